//! fleetsim-web: the browser shell of fleetsim.
//!
//! It only adapts: the [`engine`] drives a `fleetsim-core` simulation (time, rewind, command
//! timeline), [`state`] turns it into cheap snapshots each frame, and components draw them.
//! Behaviour (placement, lifecycle, deployments, cost) lives in the core and is tested
//! natively; so are the engine, the snapshots and the charts here.

pub mod actions;
mod app;
pub mod aws;
pub mod charts;
pub mod cluster;
pub mod compare;
pub mod controls;
pub mod deployment_view;
pub mod editor;
pub mod engine;
pub mod event_log;
pub mod export;
mod format;
pub mod js_api;
pub mod lb_view;
pub mod lesson;
pub mod presets_panel;
mod provenance;
pub mod scenarios;
pub mod share;
pub mod slice;
pub mod snapshot;
pub mod state;
pub mod theme;
pub mod tick;
pub mod workbench;

pub use app::{App, OPENING_TIME};
