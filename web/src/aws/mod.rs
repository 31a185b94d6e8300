//! Bring your own ECS: import real configuration, export it back for ECS, and the cost
//! verdict. Each panel only shows what the core's `import`, `to_ecs` and `verdict` compute;
//! the import runs in a module of its own, loaded when its panel opens (`importer.rs`).

mod export_panel;
mod files;
mod import_panel;
mod importer;
mod verdict_panel;

pub use export_panel::EcsExportPanel;
pub use import_panel::ImportPanel;
pub use importer::Imported;
pub use verdict_panel::VerdictPanel;
