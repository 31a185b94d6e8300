//! `cargo xtask bench [page|core]`: the page harness in Chromium, then criterion benches.
//! The page harness goes first because it takes seconds and the core benches minutes.

use crate::{cmd, tools};
use std::path::Path;

pub fn run(root: &Path, only: Option<&str>) -> Result<(), String> {
    let (page, core) = match only {
        None => (true, true),
        Some("page") => (true, false),
        Some("core") => (false, true),
        Some(other) => return Err(format!("unknown bench `{other}`: use page or core")),
    };
    let env = tools::ensure(root, tools::Needs::Browser)?;

    if page {
        // Measures the release build, exactly what users download.
        cmd::run(cmd::new("trunk", root, &env).args(["build", "--release"]))?;
        cmd::run(cmd::new("node", &root.join("tests/e2e"), &env).arg("bench/page.mjs"))?;
    }
    if core {
        // Every bench target of fleetsim-tests (tests/benches/).
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        cmd::run(cmd::new(&cargo, root, &env).args(["bench", "-p", "fleetsim-tests"]))?;
    }
    Ok(())
}
