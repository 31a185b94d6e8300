//! The patch cycle ("Patching in Amazon ECS Managed Instances"). Hosts are never patched in place:
//! a new image is released on a schedule, every host drains from day 14 of its life (in the first
//! maintenance window from day 14 when windows are set), and one still present at day 21 is
//! deregistered by force and replaced by a fresh host with the current image. The talk's variant
//! drains in the same window but forces from day 21 in a window, everything replaced within 30
//! days.

use alloc::vec::Vec;

use serde::{Deserialize, Serialize};

use crate::event::EventKind;
use crate::queue::Timer;
use crate::scenario::{MaintenanceWindow, PatchMode};
use crate::sim::Sim;
use crate::time::{SimTime, DAY, HOUR, SECOND, WEEK};
use crate::world::{DrainCause, HostId, HostStatus};

pub const DRAIN_FROM_DAYS: u64 = 14;
pub const FORCED_AT_DAYS: u64 = 21;
/// The talk's outer bound: every host replaced within 30 days.
pub const TALK_LIMIT_DAYS: u64 = 30;
/// Forced deregistration starts this much before the deadline at the least, so a host whose
/// tasks need no stop time is still gone by day 21.
pub const STOP_MARGIN_FLOOR_MS: u64 = SECOND;

/// When a host launched at a given time drains and is forced out.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PatchPlan {
    pub drain_at: SimTime,
    pub in_window: bool,
    /// `None` when patching is off.
    pub forced_at: Option<SimTime>,
}

fn offset(w: &MaintenanceWindow) -> u64 {
    w.start_day.index() * DAY + u64::from(w.start_hour) * HOUR
}

fn inside(ws: &[MaintenanceWindow], t: SimTime) -> bool {
    ws.iter().any(|w| {
        (t.ms() % WEEK + WEEK - offset(w) % WEEK) % WEEK < u64::from(w.duration_hours) * HOUR
    })
}

/// The latest window opening at or before `t`.
fn last_start(ws: &[MaintenanceWindow], t: SimTime) -> Option<SimTime> {
    ws.iter()
        .filter_map(|w| {
            let back = (t.ms() % WEEK + WEEK - offset(w) % WEEK) % WEEK;
            t.ms().checked_sub(back).map(SimTime)
        })
        .max()
}

/// The first window opening at or after `t`.
fn next_start(ws: &[MaintenanceWindow], t: SimTime) -> Option<SimTime> {
    ws.iter()
        .map(|w| t + (offset(w) % WEEK + WEEK - t.ms() % WEEK) % WEEK)
        .min()
}

/// Every opening of the weekly windows that overlaps `[from, to)`, clipped to it and in time
/// order: what a host's age bar marks between its launch and its deadline.
pub fn window_spans(
    ws: &[MaintenanceWindow],
    from: SimTime,
    to: SimTime,
) -> Vec<(SimTime, SimTime)> {
    let mut spans = Vec::new();
    for w in ws {
        let len = u64::from(w.duration_hours) * HOUR;
        let next = from.ms() + (offset(w) % WEEK + WEEK - from.ms() % WEEK) % WEEK;
        // The opening a week earlier may still be open at `from`.
        let mut start = next.checked_sub(WEEK).unwrap_or(next);
        while start < to.ms() {
            if start + len > from.ms() {
                let span = (
                    SimTime(start.max(from.ms())),
                    SimTime((start + len).min(to.ms())),
                );
                // Kept in order as they come: a few spans, and no sort routine in the download.
                let at = spans.partition_point(|s| *s < span);
                spans.insert(at, span);
            }
            start += WEEK;
        }
    }
    spans
}

/// Where a host stands in its patch cycle at some moment.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub enum PatchStage {
    /// Before its patch drain (always, when patching is off).
    #[default]
    Fresh,
    /// Its patch drain is due: a host still here should be draining.
    DrainDue,
    /// Its forced deregistration is due: a host still here is being replaced by force.
    Overdue,
}

impl PatchPlan {
    pub fn stage(&self, now: SimTime) -> PatchStage {
        match self.forced_at {
            None => PatchStage::Fresh,
            Some(forced) if now >= forced => PatchStage::Overdue,
            Some(_) if now >= self.drain_at => PatchStage::DrainDue,
            Some(_) => PatchStage::Fresh,
        }
    }
}

/// A host's patch cycle as its age bar draws it: the bar runs from launch to the latest age
/// the patch mode lets a host reach (day 21, the talk's day 30; day 21 when patching is off,
/// so the bar still reads as an age), and every mark is in thousandths of it. Fixed at launch.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PatchBar {
    pub plan: PatchPlan,
    pub launched: SimTime,
    pub span_ms: u64,
    /// The maintenance windows that open during the bar.
    pub windows: Vec<(u16, u16)>,
    /// Day 14, from which the patch drain may come; `None` when patching is off.
    pub drain_from: Option<u16>,
    /// When the drain is planned; `None` when patching is off.
    pub drain_at: Option<u16>,
}

impl PatchBar {
    pub fn permille(&self, age_ms: u64) -> u16 {
        (age_ms.min(self.span_ms) * 1000 / self.span_ms.max(1)) as u16
    }
    pub fn stage(&self, now: SimTime) -> PatchStage {
        self.plan.stage(now)
    }
    /// The host's age when its drain is planned; `None` when patching is off.
    pub fn drain_age_ms(&self) -> Option<u64> {
        self.plan
            .forced_at
            .map(|_| self.plan.drain_at.since(self.launched))
    }
    /// The host's age when its forced deregistration begins; `None` when patching is off.
    pub fn forced_age_ms(&self) -> Option<u64> {
        self.plan.forced_at.map(|t| t.since(self.launched))
    }
}

impl Sim {
    /// How long a forced deregistration takes to stop every task: the load balancer's
    /// deregistration delay plus the shutdown time (each task's stop timeout caps the latter).
    fn stop_margin(&self) -> u64 {
        let t = &self.scenario.timing;
        (u64::from(t.deregistration_delay_seconds) + u64::from(t.shutdown_seconds.min(120)))
            * SECOND
    }

    pub fn patch_plan(&self, launched: SimTime) -> PatchPlan {
        let p = &self.scenario.patching;
        let ws = &p.maintenance_windows[..];
        let day14 = launched + DRAIN_FROM_DAYS * DAY;
        let day21 = launched + FORCED_AT_DAYS * DAY;
        let margin = self.stop_margin().max(STOP_MARGIN_FLOOR_MS);
        match p.mode {
            PatchMode::Off => PatchPlan {
                drain_at: SimTime(u64::MAX),
                in_window: false,
                forced_at: None,
            },
            _ if ws.is_empty() => PatchPlan {
                drain_at: day14,
                in_window: false,
                forced_at: Some(SimTime(day21.ms() - margin)),
            },
            PatchMode::Documented => {
                // "Patching in Amazon ECS Managed Instances": a 14–21 day life, maintenance in
                // the customer's event windows. The drain falls in the first window open at or
                // opening after day 14 while that is before day 21 (a weekly window always is),
                // else in the last one opening before day 21.
                let drain_at = if inside(ws, day14) {
                    day14
                } else {
                    next_start(ws, day14)
                        .filter(|t| *t < day21)
                        .or_else(|| last_start(ws, SimTime(day21.ms() - 1)))
                        .unwrap_or(day14)
                };
                PatchPlan {
                    drain_at: drain_at.max(launched),
                    in_window: true,
                    forced_at: Some(SimTime(day21.ms() - margin)),
                }
            }
            PatchMode::Talk => {
                let drain_at = if inside(ws, day14) {
                    day14
                } else {
                    next_start(ws, day14).unwrap_or(day14)
                };
                let forced = if inside(ws, day21) {
                    day21
                } else {
                    next_start(ws, day21).unwrap_or(day21)
                };
                let limit = SimTime((launched + TALK_LIMIT_DAYS * DAY).ms() - margin);
                PatchPlan {
                    drain_at,
                    in_window: true,
                    forced_at: Some(forced.min(limit)),
                }
            }
        }
    }

    pub fn patch_bar(&self, launched: SimTime) -> PatchBar {
        let p = &self.scenario.patching;
        let days = match p.mode {
            PatchMode::Talk => TALK_LIMIT_DAYS,
            PatchMode::Documented | PatchMode::Off => FORCED_AT_DAYS,
        };
        let plan = self.patch_plan(launched);
        let mut bar = PatchBar {
            plan,
            launched,
            span_ms: days * DAY,
            windows: Vec::new(),
            drain_from: None,
            drain_at: None,
        };
        let at = |t: SimTime| bar.permille(t.since(launched));
        let windows = window_spans(&p.maintenance_windows, launched, launched + bar.span_ms)
            .into_iter()
            .map(|(a, b)| (at(a), at(b)))
            .collect();
        let drain_from = plan.forced_at.map(|_| at(launched + DRAIN_FROM_DAYS * DAY));
        let drain_at = plan.forced_at.map(|_| at(plan.drain_at));
        bar.windows = windows;
        bar.drain_from = drain_from;
        bar.drain_at = drain_at;
        bar
    }

    pub(crate) fn schedule_patch(&mut self, h: HostId) {
        let Some(host) = self.hosts.get(&h) else {
            return;
        };
        let plan = self.patch_plan(host.launched_at);
        let Some(forced) = plan.forced_at else { return };
        self.queue.push(plan.drain_at, Timer::PatchDue(h));
        self.queue.push(forced, Timer::HostDeadline(h));
    }

    pub(crate) fn patch_due(&mut self, h: HostId) {
        let Some(host) = self.hosts.get(&h) else {
            return;
        };
        if !matches!(host.status, HostStatus::Active | HostStatus::Registering) {
            return;
        }
        let plan = self.patch_plan(host.launched_at);
        let age_days = (host.age_ms(self.now) / DAY) as u32;
        self.drain_host(
            h,
            DrainCause::Patch {
                age_days,
                in_window: plan.in_window,
            },
        );
    }

    /// A new host image every `imageReleaseIntervalDays`; hosts launched from now on get it.
    pub(crate) fn release_images(&mut self) {
        if self.scenario.patching.mode == PatchMode::Off
            || self.now < self.lifecycle.next_image_release
        {
            return;
        }
        let every = u64::from(self.scenario.patching.image_release_interval_days.max(1)) * DAY;
        self.lifecycle.next_image_release = self.now + every;
        self.image_version += 1;
        self.emit(EventKind::ImageReleased {
            version: self.image_version,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::Weekday;

    fn w(day: Weekday, hour: u32, dur: u32) -> MaintenanceWindow {
        MaintenanceWindow {
            start_day: day,
            start_hour: hour,
            duration_hours: dur,
        }
    }

    #[test]
    fn window_spans_cover_a_hosts_life() {
        // Saturday 02:00–06:00 and Wednesday 22:00 + 3 h (crossing midnight). A host launched
        // on day 3 (Thursday) at 00:00 sees, up to its day 21: the last hour of the window
        // opened Wednesday (day 2) 22:00, then Sat d5, Wed d9 22:00, Sat d12, Wed d16 22:00,
        // Sat d19, and Wed d23 22:00 — clipped at day 24.
        let ws = [w(Weekday::Sat, 2, 4), w(Weekday::Wed, 22, 3)];
        let from = SimTime(3 * DAY);
        let spans = window_spans(&ws, from, from + 21 * DAY);
        let at = |d: u64, h: u64| SimTime(d * DAY + h * HOUR);
        assert_eq!(
            spans,
            [
                (at(3, 0), at(3, 1)),
                (at(5, 2), at(5, 6)),
                (at(9, 22), at(10, 1)),
                (at(12, 2), at(12, 6)),
                (at(16, 22), at(17, 1)),
                (at(19, 2), at(19, 6)),
                (at(23, 22), at(24, 0)),
            ]
        );
        // A window already open when the range starts is clipped to it.
        let mid = at(5, 4);
        assert_eq!(window_spans(&ws, mid, at(5, 5)), [(mid, at(5, 5))]);
        assert!(window_spans(&[], from, from + DAY).is_empty());
    }

    /// "Patching in Amazon ECS Managed Instances": with a Saturday 02:00 window, a host launched
    /// on Monday day 0 drains in the first window from day 14 (Saturday day 19), not at day 12.
    #[test]
    fn documented_drain_falls_in_the_first_window_from_day_14() {
        let mut s = crate::scenario::Scenario::default();
        s.services.clear();
        s.patching.maintenance_windows = alloc::vec![w(Weekday::Sat, 2, 4)];
        let sim = Sim::new(s).unwrap();
        let plan = sim.patch_plan(SimTime(0));
        assert_eq!(plan.drain_at, SimTime(19 * DAY + 2 * HOUR));
        assert!(plan.in_window);
        // A window already open at day 14 (Monday 00:00, Sunday 22:00 + 4 h): day 14 itself.
        let mut s = crate::scenario::Scenario::default();
        s.services.clear();
        s.patching.maintenance_windows = alloc::vec![w(Weekday::Sun, 22, 4)];
        let sim = Sim::new(s).unwrap();
        assert_eq!(sim.patch_plan(SimTime(0)).drain_at, SimTime(14 * DAY));
    }

    /// Lateness follows the mode's plan, not fixed days 14 and 21: the talk's mode drains in
    /// the first window from day 14 and forces from day 21 in a window, and off never does.
    #[test]
    fn patch_stage_follows_the_mode() {
        use crate::scenario::PatchMode;
        let sim_with = |mode: PatchMode, ws: Vec<MaintenanceWindow>| {
            let mut s = crate::scenario::Scenario::default();
            s.services.clear();
            s.patching.mode = mode;
            s.patching.maintenance_windows = ws;
            Sim::new(s).unwrap()
        };
        let day = |d: u64| SimTime(d * DAY);

        let doc = sim_with(PatchMode::Documented, Vec::new()).patch_bar(SimTime(0));
        assert_eq!(doc.stage(day(13)), PatchStage::Fresh);
        assert_eq!(doc.stage(day(14)), PatchStage::DrainDue);
        assert_eq!(
            doc.stage(SimTime(21 * DAY - 10 * SECOND * 60)),
            PatchStage::DrainDue
        );
        assert_eq!(doc.stage(day(21)), PatchStage::Overdue);
        assert_eq!(doc.span_ms, 21 * DAY);
        assert_eq!((doc.drain_from, doc.drain_at), (Some(666), Some(666)));

        // Saturday 02:00 windows: drain Saturday day 19, forced Saturday day 26.
        let talk = sim_with(PatchMode::Talk, alloc::vec![w(Weekday::Sat, 2, 4)]);
        let bar = talk.patch_bar(SimTime(0));
        assert_eq!(bar.stage(day(15)), PatchStage::Fresh);
        assert_eq!(bar.stage(day(19) + 2 * HOUR), PatchStage::DrainDue);
        assert_eq!(bar.stage(day(22)), PatchStage::DrainDue);
        assert_eq!(bar.stage(day(26) + 2 * HOUR), PatchStage::Overdue);
        assert_eq!(bar.span_ms, 30 * DAY);
        assert_eq!(bar.drain_age_ms(), Some(19 * DAY + 2 * HOUR));
        assert_eq!(bar.forced_age_ms(), Some(26 * DAY + 2 * HOUR));
        assert_eq!(bar.permille(15 * DAY), 500);
        assert_eq!(bar.windows.len(), 4, "Saturdays of days 5, 12, 19 and 26");

        let off = sim_with(PatchMode::Off, alloc::vec![w(Weekday::Sat, 2, 4)]);
        let bar = off.patch_bar(SimTime(0));
        assert_eq!(bar.stage(day(40)), PatchStage::Fresh);
        assert_eq!(
            (bar.drain_from, bar.drain_at, bar.forced_age_ms()),
            (None, None, None)
        );
    }

    #[test]
    fn window_arithmetic() {
        // Day 0 is a Monday; a Saturday 02:00–06:00 window.
        let ws = [w(Weekday::Sat, 2, 4)];
        let sat2 = SimTime(5 * DAY + 2 * HOUR);
        assert!(inside(&ws, sat2));
        assert!(inside(&ws, sat2 + 3 * HOUR));
        assert!(!inside(&ws, sat2 + 4 * HOUR));
        assert_eq!(
            last_start(&ws, SimTime(14 * DAY)),
            Some(SimTime(12 * DAY + 2 * HOUR))
        );
        assert_eq!(
            next_start(&ws, SimTime(14 * DAY)),
            Some(SimTime(19 * DAY + 2 * HOUR))
        );
        assert_eq!(next_start(&ws, sat2), Some(sat2));
    }
}
