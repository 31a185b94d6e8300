//! `cargo xtask bench`: criterion benches of the core, then the page harness in Chromium.

use crate::{cmd, tools};
use std::path::Path;

pub fn run(root: &Path) -> Result<(), String> {
    let env = tools::ensure(root, tools::Needs::Browser)?;
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());

    // Runs every bench target of fleetsim-tests; with none defined yet it just builds.
    cmd::run(cmd::new(&cargo, root, &env).args(["bench", "-p", "fleetsim-tests"]))?;

    // The page harness measures the release build, exactly what users download.
    cmd::run(cmd::new("trunk", root, &env).args(["build", "--release"]))?;
    cmd::run(cmd::new("node", &root.join("tests/e2e"), &env).arg("bench/page.mjs"))
}
