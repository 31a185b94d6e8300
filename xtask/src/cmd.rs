//! Running child processes: echo the command line, inherit the terminal, fail on non-zero.

use std::ffi::OsStr;
use std::path::Path;
use std::process::{Command, Stdio};

/// A `Command` that starts in `dir` and has the tool environment applied.
pub fn new(program: impl AsRef<OsStr>, dir: &Path, env: &[(String, String)]) -> Command {
    let mut cmd = Command::new(program);
    cmd.current_dir(dir);
    for (key, value) in env {
        cmd.env(key, value);
    }
    cmd
}

/// Runs `cmd` with the terminal attached; Err says which command failed and how.
pub fn run(cmd: &mut Command) -> Result<(), String> {
    let line = describe(cmd);
    println!("$ {line}");
    let status = cmd
        .status()
        .map_err(|err| format!("could not start `{line}`: {err}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{line}` failed ({status})"))
    }
}

/// Stdout of `program args` when it runs and succeeds; None when it is missing or fails.
/// Used to probe installed tool versions, so stderr is discarded.
pub fn probe(program: impl AsRef<OsStr>, args: &[&str]) -> Option<String> {
    let out = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

fn describe(cmd: &Command) -> String {
    let mut parts = vec![cmd.get_program().to_string_lossy().into_owned()];
    parts.extend(cmd.get_args().map(|a| a.to_string_lossy().into_owned()));
    parts.join(" ")
}
