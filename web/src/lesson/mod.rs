//! Lessons in the page: presenter mode (the room votes, the presenter reveals), self-study (one
//! person answers, progress kept in localStorage) and the lesson form (write steps over the
//! current scenario, preview the answers, share the link). The answers come from the core
//! (`fleetsim_core::lesson::answers`); this module only shows them.

mod answers;
mod author;
mod keys;
mod panel;
mod progress;

pub use author::LessonAuthor;
pub use panel::{LessonPanel, Mode};
