//! Where the real public ECS files (`shared/real-ecs/`) are. They are kept outside the
//! repository and read at test time, never copied in. The repository normally sits beside
//! `shared/` (…/main and …/shared); a clone elsewhere on the same machine (CI clones into a
//! temporary folder) finds them through `FLEETSIM_REAL_ECS`, a `shared/` beside any folder
//! above the clone, or the machines' fixed `/work/shared`.

use std::path::PathBuf;

const FIXED: &str = "/work/shared/real-ecs";

/// The folder of real ECS files; panics with where it looked when there is none.
pub fn dir() -> PathBuf {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut tried = Vec::new();
    let env = std::env::var_os("FLEETSIM_REAL_ECS").map(PathBuf::from);
    let beside = root.ancestors().skip(1).map(|a| a.join("shared/real-ecs"));
    for d in env.into_iter().chain(beside).chain([PathBuf::from(FIXED)]) {
        if d.is_dir() {
            return d;
        }
        tried.push(d.display().to_string());
    }
    panic!(
        "the real ECS files are read at test time and none were found; tried: {}",
        tried.join(", ")
    );
}
