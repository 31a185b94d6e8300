//! Hard limits that keep any input from freezing a browser tab. The docs state them too.

pub const MAX_AZS: u32 = 6;
pub const MAX_HOSTS: u32 = 2_000;
pub const MAX_TASKS: u32 = 20_000;
pub const MAX_SERVICES: u32 = 50;
pub const MAX_STANDALONE_GROUPS: u32 = 50;
pub const MAX_DAYS: u64 = 60;
pub const MAX_CATALOG_TYPES: u32 = 200;
pub const MAX_NAME_CHARS: u32 = 64;
pub const MAX_DESCRIPTION_CHARS: u32 = 2_000;
pub const MAX_EXPRESSION_CHARS: u32 = 2_000;
pub const MAX_HOOKS_PER_KIND: u32 = 10;
pub const MAX_SCRIPT_STEPS: u32 = 100;
pub const MAX_WINDOWS: u32 = 20;
pub const MAX_REVISIONS: u32 = 20;
pub const MAX_SCENARIO_BYTES: usize = 1 << 20;
/// Commands in a recorded script (share URLs and replays).
pub const MAX_COMMANDS: u32 = 10_000;
