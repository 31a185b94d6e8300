//! Simulation work sliced across display frames: each frame spends about `FRAME_WORK_MS` on a
//! long seek, link replay or comparison, in pieces sized by the measured throughput, so no
//! frame is blocked near the 50 ms the page promises and clicks (Cancel) are answered
//! between frames. The core counts work in timers (it has no clock); this converts.

use std::cell::Cell;

/// Simulation work per display frame; the rest of the frame is for drawing and input.
pub const FRAME_WORK_MS: f64 = 8.0;
/// Work is measured after each piece this long, so one slice overshoots by little.
const PIECE_MS: f64 = 2.0;
/// Timers per millisecond assumed before the first measurement (a large world's slowest).
pub const FIRST_RATE: f64 = 20.0;
/// The most timers one piece may fire, whatever the estimate.
const MAX_PIECE_TIMERS: u64 = 512;

/// Runs `work(budget_timers) -> (timers fired, done)` for about one frame's share; returns
/// whether the job is done. `rate` (timers per wall ms) is measured and kept between frames.
/// Natively there is no clock, so the whole job runs at once (the tests' synchronous path).
pub fn one_frame(rate: &Cell<f64>, work: impl FnMut(u64) -> (u64, bool)) -> bool {
    within(FRAME_WORK_MS, rate, work)
}

/// Simulation work per frame while playing: less than a seek's share, because each played
/// frame also redraws the world (at 20,000 tasks that redraw takes most of a frame).
pub const PLAY_WORK_MS: f64 = 4.0;

/// [`one_frame`] with `budget_ms` of work instead of `FRAME_WORK_MS`.
pub fn within(budget_ms: f64, rate: &Cell<f64>, mut work: impl FnMut(u64) -> (u64, bool)) -> bool {
    let start = wall_ms();
    loop {
        let r = rate.get();
        let t0 = wall_ms();
        let (timers, done) = work(((r * PIECE_MS) as u64).clamp(1, MAX_PIECE_TIMERS));
        let took = wall_ms() - t0;
        if took > 0.5 {
            // Timers differ in cost by orders of magnitude (a stale timer is a no-op, a
            // scheduler pass walks the fleet): follow a slowdown at once, a speed-up slowly,
            // so a run of cheap timers cannot size the next piece for seconds of work.
            let measured = timers as f64 / took;
            rate.set(if measured < r { measured } else { r * 1.25 }.max(0.05));
        }
        if done {
            return true;
        }
        if wall_ms() - start >= budget_ms {
            return false;
        }
    }
}

/// The page's clock in milliseconds (`performance.now()`); 0 natively.
#[cfg(target_arch = "wasm32")]
pub fn wall_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

#[cfg(not(target_arch = "wasm32"))]
pub fn wall_ms() -> f64 {
    0.0
}
