//! # fleetsim-core
//!
//! A deterministic, clock-free simulation of an Amazon ECS cluster on Managed Instances and of
//! ECS service deployments. Everything it produces is a pure function of
//! `(scenario, seed, commands, time)`.
//!
//! Layers, bottom up:
//! - **values**: [`time`] (integer ms), [`money`] (integer µ$), [`rng`] (the one seeded PCG);
//! - **input**: [`scenario`] (serde JSON, validation with paths and ranges), [`command`];
//! - **world**: [`world`] (hosts, tasks, services), [`catalog`] (instance types and prices);
//! - **engine**: [`sim::Sim`] with its [`queue`] keyed by (time, insertion sequence), the
//!   service [`scheduler`], [`placement`], [`lifecycle`], [`deploy`] and the [`cost`] ledger;
//! - **output**: [`event`]s with structured reasons, [`explain`] (plain sentences),
//!   [`metrics`] series, a [`view`] snapshot for the UI, and the [`share`] codec for URLs.
//!
//! The core is `no_std` + `alloc`; the `std` feature adds only the CLI and error-trait impls.

#![cfg_attr(not(feature = "std"), no_std)]
#![forbid(unsafe_code)]

extern crate alloc;

pub mod catalog;
pub mod command;
pub mod compare;
pub mod cost;
pub mod deploy;
pub mod digest;
pub mod event;
pub mod explain;
pub mod export;
pub mod golden;
pub mod hash;
mod health;
mod hosts;
mod id_table;
#[cfg(feature = "import")]
pub mod import;
pub mod lesson;
pub mod lifecycle;
pub mod metrics;
pub mod money;
pub mod placement;
pub mod presets;
pub mod query;
pub mod queue;
pub mod rng;
pub mod scenario;
mod scheduler;
pub mod session;
pub mod share;
pub mod sim;
mod spread;
pub mod swarm;
pub mod task_cap;
mod tasks;
mod throttle;
pub mod time;
pub mod to_ecs;
pub mod verdict;
pub mod view;
pub mod world;
pub mod worlds;

pub use command::{Command, CommandError, Timed};
pub use event::{Event, EventKind};
pub use money::Micros;
pub use scenario::{Scenario, ValidationError, ValidationErrors};
pub use session::{Progress, Session};
pub use sim::Sim;
pub use time::SimTime;
pub use view::View;
