//! `cargo xtask test`: every check CI runs, in order, stopping at the first failure.
//!
//! The last line is `xtask: N passed, N failed[, N skipped]` (one count per step) because
//! that plain line is what CI reads; cargo's and node's own summaries appear above it.

use crate::{cmd, tools};
use std::path::Path;
use std::process::Command;
use std::time::Instant;

/// Builds the command of one step, given the repo root and the tool environment.
type StepFn = fn(&Path, &[(String, String)]) -> Command;

const STEPS: [(&str, StepFn); 7] = [
    ("fmt", fmt),
    ("clippy", clippy),
    ("native tests", native_tests),
    ("swarm", swarm),
    ("no_std core", no_std_core),
    ("trunk + clippy", trunk_build),
    ("e2e tests", e2e_tests),
];

pub fn run(root: &Path) -> Result<(), String> {
    let started = Instant::now();
    let env = match tools::ensure(root, tools::Needs::Browser) {
        Ok(env) => env,
        Err(err) => {
            println!("xtask: setup failed: {err}");
            println!("xtask: 0 passed, 1 failed, {} skipped", STEPS.len());
            return Err("could not install the toolchain".into());
        }
    };
    let setup_secs = started.elapsed().as_secs_f64();

    let mut report = Vec::new();
    let mut failure = None;
    for (name, build) in STEPS {
        println!("\n== xtask step: {name} ==");
        let t = Instant::now();
        let result = cmd::run(&mut build(root, &env));
        report.push((name, t.elapsed().as_secs_f64(), result.is_ok()));
        if let Err(err) = result {
            failure = Some(err);
            break;
        }
    }

    println!("\nxtask: setup {setup_secs:.1}s");
    for (name, secs, ok) in &report {
        let verdict = if *ok { "ok" } else { "FAILED" };
        println!("xtask: {name:<13} {verdict:<6} {secs:>6.1}s");
    }
    let passed = report.iter().filter(|r| r.2).count();
    let failed = report.len() - passed;
    let skipped = STEPS.len() - report.len();
    println!("xtask: total {:.1}s", started.elapsed().as_secs_f64());
    if skipped > 0 {
        println!("xtask: {passed} passed, {failed} failed, {skipped} skipped");
    } else {
        println!("xtask: {passed} passed, {failed} failed");
    }
    failure.map_or(Ok(()), Err)
}

fn cargo(root: &Path, env: &[(String, String)]) -> Command {
    cmd::new(
        std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()),
        root,
        env,
    )
}

fn fmt(root: &Path, env: &[(String, String)]) -> Command {
    let mut c = cargo(root, env);
    c.args(["fmt", "--all", "--check"]);
    c
}

/// Native crates on the host. The web crate only ever runs on wasm32, so it is linted there,
/// while trunk builds it (`trunk_build`), instead of compiling Yew a second time for the host.
fn clippy(root: &Path, env: &[(String, String)]) -> Command {
    let mut c = cargo(root, env);
    c.args([
        "clippy",
        "--workspace",
        "--exclude",
        "fleetsim-web",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ]);
    c
}

/// Every crate's native tests, the web crate's formatting included. What the page does in a
/// browser (the golden digest on wasm included) is checked by the e2e step on the release build.
fn native_tests(root: &Path, env: &[(String, String)]) -> Command {
    let mut c = cargo(root, env);
    c.args(["test", "--workspace"]);
    c
}

/// Seeds the swarm runs in CI: about 30 s on a 2-core machine, plus its build. Larger runs
/// (`fleetsim swarm --seeds 0..10000`) are reported in the issue notes.
const SWARM_SEEDS: &str = "0..500";

/// Random worlds and instructor sessions against ECS's promises (`core/src/swarm/`), built
/// with the `swarm` profile: optimised, but with overflow checks and debug assertions on.
fn swarm(root: &Path, env: &[(String, String)]) -> Command {
    let mut c = cargo(root, env);
    c.args([
        "run",
        "--quiet",
        "--profile",
        "swarm",
        "-p",
        "fleetsim-core",
        "--features",
        "std",
        "--bin",
        "fleetsim",
        "--",
        "swarm",
        "--seeds",
        SWARM_SEEDS,
    ]);
    c
}

/// wasm32v1-none has no `std` at all, so this only type-checks if the core truly is no_std
/// (a check is enough: a missing `std` item fails name resolution, before code generation).
fn no_std_core(root: &Path, env: &[(String, String)]) -> Command {
    let mut c = cargo(root, env);
    c.args([
        "check",
        "-p",
        "fleetsim-core",
        "--no-default-features",
        "--target",
        "wasm32v1-none",
    ]);
    c
}

/// The page's release build, linted as it compiles: clippy's driver wraps rustc for the
/// workspace's crates, as `cargo clippy` itself does (`RUSTC_WORKSPACE_WRAPPER`, and the lint
/// flags in `CLIPPY_ARGS` joined by its separator), so the web crate is checked for wasm32
/// without building all of its dependencies a second time in check mode (two minutes here).
fn trunk_build(root: &Path, env: &[(String, String)]) -> Command {
    let mut c = cmd::new("trunk", root, env);
    c.args(["build", "--release"]);
    c.env("RUSTC_WORKSPACE_WRAPPER", clippy_driver(root));
    c.env(
        "CLIPPY_ARGS",
        "-D__CLIPPY_HACKERY__warnings__CLIPPY_HACKERY__",
    );
    c
}

/// The pinned toolchain's clippy driver (`rust-toolchain.toml` applies in the repo); a bare
/// name otherwise, so a missing clippy fails the build loudly instead of skipping the lints.
fn clippy_driver(root: &Path) -> String {
    let out = Command::new("rustup")
        .args(["which", "clippy-driver"])
        .current_dir(root)
        .output();
    match out {
        Ok(o) if o.status.success() => String::from_utf8_lossy(&o.stdout).trim().to_string(),
        _ => "clippy-driver".to_string(),
    }
}

/// Node's test runner over tests/e2e; the harness serves dist/ itself.
fn e2e_tests(root: &Path, env: &[(String, String)]) -> Command {
    let mut c = cmd::new("node", &root.join("tests/e2e"), env);
    c.args(["--test", "--test-reporter=spec"]);
    c
}
