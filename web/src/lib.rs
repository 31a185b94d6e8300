//! fleetsim-web: the browser shell of fleetsim.
//!
//! It only adapts: it asks `fleetsim-core` for a [`View`](fleetsim_core::View) snapshot and
//! draws it. Behaviour (placement, lifecycle, cost) lives in the core and is tested natively;
//! what is left here is layout and formatting. Components are in this library (so
//! wasm-bindgen tests can mount them); `main.rs` only starts the renderer.

mod app;
mod az_lane;
mod format;
mod host_card;

pub use app::{opening_view, App, OPENING_TIME};
pub use az_lane::AzLane;
pub use host_card::HostCard;
