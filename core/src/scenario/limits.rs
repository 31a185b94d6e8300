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
/// The largest file `import` reads: CloudFormation's own limit for a template (1 MB) with
/// room to spare. A YAML or JSON document is held several times over while it is read, and in
/// a browser tab memory is short. Here rather than in `import` so the page can refuse a file
/// before reading it without carrying the importer.
pub const MAX_IMPORT_FILE_BYTES: usize = 2 << 20;
/// Commands in a recorded script (share URLs and replays).
pub const MAX_COMMANDS: u32 = 10_000;
/// Placement constraints per service or standalone group (ECS allows 10).
pub const MAX_CONSTRAINTS: u32 = 10;
/// Container definitions per task definition (ECS allows 10).
pub const MAX_CONTAINERS: u32 = 10;
/// CloudWatch alarms one deployment watches.
pub const MAX_ALARMS: u32 = 10;
/// `allowedInstanceTypes` / `excludedInstanceTypes` entries and characters each (EC2's limits).
pub const MAX_TYPE_PATTERNS: u32 = 400;
pub const MAX_TYPE_PATTERN_CHARS: u32 = 30;
/// A catalog type's On-Demand price and Managed Instances fee, µ$ per hour: $1,000/h is more
/// than twice the dearest EC2 type (u7in-32tb.224xlarge, about $400/h), and keeps every cost
/// sum of 2,000 hosts over 60 days far inside `u64`.
pub const MAX_PRICE_PER_HOUR: u64 = 1_000_000_000;
/// p99 latency of a revision and a latency alarm's threshold, ms (ten minutes).
pub const MAX_LATENCY_MS: u32 = 600_000;
/// Problems a validation reports; the rest are counted in one closing line.
pub const MAX_REPORTED_ERRORS: usize = 50;
/// Longest message of one problem (a quoted input is clipped to fit).
pub const MAX_ERROR_CHARS: usize = 300;

/// Run-time caps, which hold for every command script as well as for the scenario.
///
/// Committed tasks (`MAX_TASKS`) are each service's `max(desiredCount, autoScaling.maxTasks)`
/// plus the live standalone tasks; `SetDesiredCount` and `RunTask` are refused when they would
/// pass it. Deployments, drains and rebalancing start replacements before stopping (up to
/// `maximumPercent`, at most 200 %), so live tasks may reach twice the committed count, never
/// more: `MAX_LIVE_TASKS`. Instances never exceed `capacityProvider.maxInstances`, which is at
/// most `MAX_HOSTS`; hosts still draining count until they are terminated.
pub const MAX_LIVE_TASKS: u32 = 2 * MAX_TASKS;
