//! `cargo xtask serve`: install the build tools, then `trunk serve` with rebuild on change.

use crate::{cmd, tools};
use std::path::Path;

/// Trunk.toml sets the same address; repeated here only for the line we print.
const ADDRESS: &str = "http://127.0.0.1:8080";

pub fn run(root: &Path) -> Result<(), String> {
    let env = tools::ensure(root, tools::Needs::Build)?;
    println!("xtask: serving fleetsim on {ADDRESS} (first build takes a minute; Ctrl-C stops)");
    cmd::run(cmd::new("trunk", root, &env).arg("serve"))
}
