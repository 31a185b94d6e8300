//! The last scenario and command script, kept in localStorage as a share string (compact, and
//! read back through the same checked decoder as a link, so a tampered entry is just ignored).

use fleetsim_core::share::{decode, encode, Shared};

const KEY: &str = "fleetsim.session.v1";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

pub fn load() -> Option<Shared> {
    let text = storage()?.get_item(KEY).ok().flatten()?;
    decode(&text).ok()
}

/// Best effort: private windows and full quotas refuse, and losing an autosave must not
/// disturb the page.
pub fn save(shared: &Shared) {
    if let Some(s) = storage() {
        let _ = s.set_item(KEY, &encode(shared));
    }
}
