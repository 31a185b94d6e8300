//! Bring your own ECS: import real configuration, export it back for ECS, and the cost
//! verdict. Each panel only shows what the core's `import`, `to_ecs` and `verdict` compute.

mod export_panel;
mod files;
mod import_panel;
mod verdict_panel;

pub use export_panel::EcsExportPanel;
pub use import_panel::ImportPanel;
pub use verdict_panel::VerdictPanel;
