//! Self-study progress per lesson id: which steps were answered and whether rightly, kept in
//! localStorage so a reload or tomorrow's session resumes where the learner stopped.

use std::collections::BTreeMap;

const KEY: &str = "fleetsim.lessons.v1";

/// Per lesson id, one entry per answered step: right or not.
pub type Progress = BTreeMap<String, Vec<bool>>;

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

pub fn load(id: &str) -> Vec<bool> {
    all().remove(id).unwrap_or_default()
}

fn all() -> Progress {
    storage()
        .and_then(|s| s.get_item(KEY).ok().flatten())
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default()
}

/// Best effort, like the session autosave: a refused write must not disturb the lesson.
pub fn save(id: &str, results: &[bool]) {
    let mut all = all();
    all.insert(id.to_string(), results.to_vec());
    if let (Some(s), Ok(text)) = (storage(), serde_json::to_string(&all)) {
        let _ = s.set_item(KEY, &text);
    }
}
