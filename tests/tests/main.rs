//! Every integration test of the core in one binary: one link instead of one per file, which
//! is most of what `cargo test` spends on them. Each file is a module named for what it
//! tests; the `*_common` modules hold what several of them share. A file left out of this
//! list would never run, so `every_test_file_is_listed_here` checks the list.

mod deploy_common;
mod lifecycle_common;
mod trust_common;

mod cost_verdict;
mod deploy_props;
mod deploy_protection;
mod deploy_rollback;
mod deploy_stages;
mod deploy_supersede;
mod determinism;
mod error_messages;
mod export_roundtrip;
mod extremes;
mod fargate_sizes;
mod field_specs;
mod health_checks;
mod import_mutations;
mod import_real_files;
mod lessons;
mod lifecycle_autoscale;
mod lifecycle_faults;
mod lifecycle_optimize;
mod lifecycle_patch;
mod lifecycle_props;
mod limits;
mod packing_optimality;
mod placement;
mod placement_props;
mod presets;
mod rebalance_preconditions;
mod replacement_pairs;
mod session;
mod share_props;
mod share_robustness;
mod strategy_comparison;
mod swarm;
mod trust_defects;
mod trust_defects_staged;
mod view_counts;

#[test]
fn every_test_file_is_listed_here() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let listed = include_str!("main.rs");
    for entry in std::fs::read_dir(&dir).expect("tests/ is readable") {
        let path = entry.expect("a directory entry").path();
        let name = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default();
        let is_module = path.extension().is_some_and(|e| e == "rs") || path.join("mod.rs").exists();
        if is_module && name != "main" {
            assert!(
                listed.contains(&format!("\nmod {name};\n")),
                "tests/{name} is not declared in tests/main.rs, so it never runs"
            );
        }
    }
}
