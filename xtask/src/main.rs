//! `cargo xtask serve|test|bench|tools`: the project's only entry points.
//!
//! Each command first makes sure the tools it needs are present at the right version
//! (installing only what is missing, one line per tool saying what and why), then runs.
//! Everything is installed from the package registries this project may reach:
//! crates.io, npm and Debian. Nothing downloads prebuilt binaries from elsewhere.

mod bench;
mod cmd;
mod serve;
mod test;
mod tools;

use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask <serve|test|bench|tools>
  serve   install trunk & friends, then `trunk serve` on http://127.0.0.1:8080
  test    install everything, then fmt, clippy (web on wasm32), native tests, the swarm,
          no_std check, trunk build, end-to-end tests in headless Chromium
  bench   install everything, then the page harness (size, first render, frame
          times) and the criterion benches; `bench page` or `bench core` runs one
  tools   install everything the other commands need, and nothing else (a new machine
          needs about 20 minutes of installs; this lets them run before the first build)";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = repo_root();
    let outcome = match args.first().map(String::as_str) {
        Some("serve") => serve::run(&root),
        Some("test") => test::run(&root),
        Some("bench") => bench::run(&root, args.get(1).map(String::as_str)),
        Some("tools") => tools::ensure(&root, tools::Needs::Browser).map(drop),
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("xtask: {err}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root: xtask lives one level below it, wherever the clone is.
fn repo_root() -> PathBuf {
    let manifest_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest_dir
        .parent()
        .expect("xtask sits inside the workspace")
        .to_path_buf()
}
