//! The lesson's keys: 1–4 pick a choice, R reveals, N goes on. Typing in a field is left alone.

use gloo_events::{EventListener, EventListenerOptions};
use wasm_bindgen::JsCast;
use yew::Callback;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Key {
    Pick(usize),
    Reveal,
    Next,
}

pub fn key(name: &str) -> Option<Key> {
    Some(match name {
        "1" | "2" | "3" | "4" => Key::Pick(name.parse::<usize>().ok()? - 1),
        "r" | "R" => Key::Reveal,
        "n" | "N" => Key::Next,
        _ => return None,
    })
}

/// Listens on the window until dropped.
pub fn listen(on_key: Callback<Key>) -> Option<EventListener> {
    let window = web_sys::window()?;
    // Not passive: a lesson key must not also scroll or type elsewhere.
    let options = EventListenerOptions::enable_prevent_default();
    Some(EventListener::new_with_options(
        &window,
        "keydown",
        options,
        move |e| {
            let Some(e) = e.dyn_ref::<web_sys::KeyboardEvent>() else {
                return;
            };
            let typing = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .is_some_and(|el| {
                    matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
                });
            if typing || e.ctrl_key() || e.meta_key() || e.alt_key() {
                return;
            }
            if let Some(k) = key(&e.key()) {
                e.prevent_default();
                on_key.emit(k);
            }
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_pick_the_choice_with_that_number_and_r_and_n_drive_the_lesson() {
        assert_eq!(key("1"), Some(Key::Pick(0)));
        assert_eq!(key("4"), Some(Key::Pick(3)));
        assert_eq!(key("5"), None, "a question has at most four choices");
        assert_eq!(key("0"), None);
        assert_eq!(key("R"), Some(Key::Reveal));
        assert_eq!(key("n"), Some(Key::Next));
        assert_eq!(key(" "), None, "space stays play/pause");
    }
}
