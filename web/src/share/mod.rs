//! Share links and the safety net around them: the `#s=` URL fragment (the core's share
//! string, the same one `fleetsim encode` prints), browser back/forward between shared states,
//! copying with a visible confirmation (and a text box when the Clipboard API is refused), the
//! `role="alert"` banner for links that cannot be opened, and the local autosave of the last
//! scenario and command script that is offered back after such a link.
//!
//! Everything that touches the browser happens in effects or event handlers of [`ShareBar`];
//! the parsing is plain Rust in [`link`], tested natively.

mod bar;
pub mod clipboard;
pub mod link;
mod load;
mod session;

pub use bar::{ShareBar, ShareBarProps};
pub use link::Link;
pub use load::{engine_for, shared_of};
