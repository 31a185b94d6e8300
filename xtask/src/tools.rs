//! Installing the toolchain a command needs, skipping whatever is already at the right version.
//!
//! Every tool comes from a package registry (crates.io, npm, Debian), never from a download
//! of a prebuilt binary, because those hosts are unreachable on our machines and in CI.
//! The environment returned by [`ensure`] puts the installed tools first on PATH and tells
//! trunk never to touch the network, so a version mismatch fails loudly instead of trying
//! to download a replacement.

use crate::cmd;
use std::path::{Path, PathBuf};
use std::process::Command;

pub const CHROMIUM: &str = "/usr/bin/chromium";

/// Trunk 0.22 needs a newer rustc than the one we pin, so stay on 0.21.x.
const TRUNK_REQ: &str = "~0.21";
const TRUNK_PREFIX: &str = "0.21.";

/// What a command needs installed.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Needs {
    /// trunk, wasm-bindgen-cli, wasm-opt and the wasm target: enough to build and serve.
    Build,
    /// Build plus the no_std target, Chromium and the e2e node packages.
    Browser,
}

/// Installs what is missing and returns the environment child processes must run with.
pub fn ensure(root: &Path, needs: Needs) -> Result<Vec<(String, String)>, String> {
    let mut targets = vec!["wasm32-unknown-unknown"];
    if needs == Needs::Browser {
        targets.push("wasm32v1-none");
    }
    ensure_targets(&targets)?;
    ensure_trunk()?;
    ensure_wasm_bindgen(root)?;
    ensure_npm()?;
    ensure_wasm_opt(root)?;
    if needs == Needs::Browser {
        ensure_chromium()?;
        ensure_e2e_packages(root)?;
    }
    Ok(env(root))
}

/// PATH with our tools first, plus the settings trunk and the test runners read.
fn env(root: &Path) -> Vec<(String, String)> {
    let old_path = std::env::var("PATH").unwrap_or_default();
    let path = format!(
        "{}:{}:{old_path}",
        npm_bin_dir(root).display(),
        cargo_bin_dir().display()
    );
    vec![
        ("PATH".into(), path),
        // trunk must use the tools installed here; it cannot download its own.
        ("TRUNK_OFFLINE".into(), "true".into()),
        ("TRUNK_SKIP_VERSION_CHECK".into(), "true".into()),
        // The e2e and bench harnesses launch this browser binary.
        ("CHROMIUM".into(), CHROMIUM.into()),
    ]
}

fn say(tool: &str, what: &str) {
    println!("xtask: {tool}: {what}");
}

fn ensure_targets(wanted: &[&str]) -> Result<(), String> {
    let installed = cmd::probe("rustup", &["target", "list", "--installed"])
        .ok_or("rustup is needed to add wasm targets (install Rust with rustup)")?;
    let missing: Vec<&str> = wanted
        .iter()
        .copied()
        .filter(|t| !installed.lines().any(|l| l.trim() == *t))
        .collect();
    if missing.is_empty() {
        say("rust targets", &format!("{} present", wanted.join(", ")));
        return Ok(());
    }
    say(
        "rust targets",
        &format!(
            "adding {} (wasm32-unknown-unknown builds the app; wasm32v1-none has no std and proves the core is no_std)",
            missing.join(", ")
        ),
    );
    cmd::run(
        Command::new("rustup")
            .args(["target", "add"])
            .args(&missing),
    )
}

fn ensure_trunk() -> Result<(), String> {
    let trunk = cargo_bin_dir().join("trunk");
    let found = cmd::probe(&trunk, &["--version"]);
    let version = found.as_deref().and_then(second_word).unwrap_or("none");
    if version.starts_with(TRUNK_PREFIX) {
        say("trunk", &format!("{version} present"));
        return Ok(());
    }
    say(
        "trunk",
        &format!("installing {TRUNK_REQ} from crates.io (found {version}; builds and serves the wasm app; 0.22 needs a newer rustc; ~11 min from source)"),
    );
    cargo_install(&["trunk", "--version", TRUNK_REQ])
}

fn ensure_wasm_bindgen(root: &Path) -> Result<(), String> {
    let wanted = locked_version(root, "wasm-bindgen")?;
    let bin = cargo_bin_dir();
    let cli = cmd::probe(bin.join("wasm-bindgen"), &["--version"]);
    let have = |out: &Option<String>| out.as_deref().and_then(second_word) == Some(&wanted);
    if have(&cli) {
        say("wasm-bindgen-cli", &format!("{wanted} present"));
        return Ok(());
    }
    let found = cli.as_deref().and_then(second_word).unwrap_or("none");
    say(
        "wasm-bindgen-cli",
        &format!("installing {wanted} from crates.io (found {found}; must equal the wasm-bindgen in Cargo.lock; ~4 min)"),
    );
    cargo_install(&["wasm-bindgen-cli", "--version", &wanted])
}

fn ensure_npm() -> Result<(), String> {
    if cmd::probe("npm", &["--version"]).is_some() {
        return Ok(());
    }
    say(
        "node/npm",
        "installing Debian nodejs and npm (wasm-opt and the browser tests come from npm)",
    );
    apt_install(&["nodejs", "npm"])
}

fn ensure_wasm_opt(root: &Path) -> Result<(), String> {
    let wanted = binaryen_version(root)?;
    let found = cmd::probe(npm_bin_dir(root).join("wasm-opt"), &["--version"]);
    // `wasm-opt version 132 (version_132)`
    let version = found
        .as_deref()
        .and_then(|s| s.split_whitespace().nth(2))
        .unwrap_or("none");
    if version == wanted {
        say("wasm-opt", &format!("binaryen {wanted} present"));
        return Ok(());
    }
    say(
        "wasm-opt",
        &format!("installing npm binaryen@{wanted} into target/tools (found {version}; shrinks release wasm; Debian's binaryen is too old for current wasm-bindgen output)"),
    );
    let prefix = tools_dir(root);
    std::fs::create_dir_all(&prefix).map_err(|e| format!("creating {}: {e}", prefix.display()))?;
    cmd::run(
        Command::new("npm")
            .args(["install", "--no-audit", "--no-fund", "--prefix"])
            .arg(&prefix)
            .arg(format!("binaryen@{wanted}")),
    )
}

fn ensure_chromium() -> Result<(), String> {
    if Path::new(CHROMIUM).exists() {
        say("chromium", "chromium present");
        return Ok(());
    }
    say(
        "chromium",
        "installing Debian chromium (headless browser for the end-to-end tests and page benches)",
    );
    // Without recommends (udev, printing, GL drivers: none needed headless), but with the
    // fonts a recommends install would bring, so screenshots look the same everywhere.
    apt_install(&["chromium", "fonts-liberation"])
}

/// `npm ci` in tests/e2e, skipped when node_modules was installed from the current lockfile.
fn ensure_e2e_packages(root: &Path) -> Result<(), String> {
    let dir = root.join("tests/e2e");
    let lock =
        modified(&dir.join("package-lock.json")).ok_or("tests/e2e/package-lock.json is missing")?;
    // npm writes this hidden lockfile on every install.
    let installed = modified(&dir.join("node_modules/.package-lock.json"));
    if installed.is_some_and(|t| t >= lock) {
        say("e2e packages", "tests/e2e/node_modules up to date");
        return Ok(());
    }
    say(
        "e2e packages",
        "npm ci in tests/e2e (playwright-core drives Chromium; it never downloads a browser)",
    );
    cmd::run(
        Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(&dir),
    )
}

fn modified(path: &Path) -> Option<std::time::SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

fn cargo_install(args: &[&str]) -> Result<(), String> {
    cmd::run(
        Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .arg("install")
            .args(args)
            .arg("--locked"),
    )
}

fn apt_install(packages: &[&str]) -> Result<(), String> {
    cmd::run(Command::new("apt-get").arg("update"))?;
    cmd::run(
        Command::new("apt-get")
            .args(["install", "-y", "--no-install-recommends"])
            .args(packages)
            .env("DEBIAN_FRONTEND", "noninteractive"),
    )
}

/// The version of `package` recorded in Cargo.lock (creating the lockfile if absent).
fn locked_version(root: &Path, package: &str) -> Result<String, String> {
    let lock_path = root.join("Cargo.lock");
    if !lock_path.exists() {
        say(
            "Cargo.lock",
            "missing; resolving dependencies to learn the wasm-bindgen version",
        );
        cmd::run(
            Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
                .arg("generate-lockfile")
                .current_dir(root),
        )?;
    }
    let lock =
        std::fs::read_to_string(&lock_path).map_err(|e| format!("reading Cargo.lock: {e}"))?;
    let name_line = format!("name = \"{package}\"");
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == name_line {
            if let Some(v) = lines
                .next()
                .and_then(|l| l.trim().strip_prefix("version = "))
            {
                return Ok(v.trim_matches('"').to_string());
            }
        }
    }
    Err(format!("{package} not found in Cargo.lock"))
}

/// The binaryen release named by Trunk.toml `[tools] wasm_opt = "version_N"`, so trunk's
/// version check and our install can never disagree.
fn binaryen_version(root: &Path) -> Result<String, String> {
    let text = std::fs::read_to_string(root.join("Trunk.toml"))
        .map_err(|e| format!("reading Trunk.toml: {e}"))?;
    text.lines()
        .filter_map(|l| l.trim().strip_prefix("wasm_opt"))
        .filter_map(|rest| rest.trim_start().strip_prefix('='))
        .find_map(|v| {
            v.trim()
                .trim_matches('"')
                .strip_prefix("version_")
                .map(str::to_string)
        })
        .ok_or_else(|| "Trunk.toml must set [tools] wasm_opt = \"version_N\"".to_string())
}

fn second_word(s: &str) -> Option<&str> {
    s.split_whitespace().nth(1)
}

pub fn target_dir(root: &Path) -> PathBuf {
    root.join("target")
}

fn tools_dir(root: &Path) -> PathBuf {
    target_dir(root).join("tools")
}

fn npm_bin_dir(root: &Path) -> PathBuf {
    tools_dir(root).join("node_modules/.bin")
}

/// Where `cargo install` puts binaries: $CARGO_INSTALL_ROOT, $CARGO_HOME or ~/.cargo.
fn cargo_bin_dir() -> PathBuf {
    let root = std::env::var_os("CARGO_INSTALL_ROOT")
        .or_else(|| std::env::var_os("CARGO_HOME"))
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(std::env::var_os("HOME").unwrap_or_default()).join(".cargo")
        });
    root.join("bin")
}
