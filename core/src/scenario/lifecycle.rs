//! The patch cycle, maintenance windows and random faults ("Patching in Amazon ECS Managed
//! Instances").

use alloc::vec::Vec;
use serde::{Deserialize, Serialize};

#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum PatchMode {
    /// Documented: drain from day 14 (in the first maintenance window from then), forced at day 21.
    #[default]
    Documented,
    /// The talk's framing: drain from day 14 in windows, forced from day 21, all within 30 days.
    Talk,
    /// No patching (for lessons that isolate something else).
    Off,
}

#[derive(
    Copy, Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Weekday {
    #[default]
    Mon,
    Tue,
    Wed,
    Thu,
    Fri,
    Sat,
    Sun,
}

impl Weekday {
    pub fn index(self) -> u64 {
        self as u64
    }
}

/// A weekly UTC range, like an EC2 instance event window time range (each ≥ 2 h).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct MaintenanceWindow {
    pub start_day: Weekday,
    pub start_hour: u32,
    pub duration_hours: u32,
}

impl MaintenanceWindow {
    /// The window a form adds: a quiet weekend night, Saturday 02:00 UTC for 4 h, which
    /// passes the event-window rules as it is. Not `Default`, which fills a window's missing
    /// JSON fields.
    pub const fn suggested() -> MaintenanceWindow {
        MaintenanceWindow {
            start_day: Weekday::Sat,
            start_hour: 2,
            duration_hours: 4,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct Patching {
    pub mode: PatchMode,
    /// A new host image is released every this many days (illustrative).
    pub image_release_interval_days: u32,
    /// Empty → no windows: draining starts exactly on day 14.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub maintenance_windows: Vec<MaintenanceWindow>,
}

impl Default for Patching {
    fn default() -> Self {
        Patching {
            mode: PatchMode::Documented,
            image_release_interval_days: 7,
            maintenance_windows: Vec::new(),
        }
    }
}

/// Random faults at seeded rates (parts per million per host per day). Zero means off.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct Faults {
    pub hardware_degradation_ppm_per_host_day: u32,
    pub maintenance_event_ppm_per_host_day: u32,
    pub spot_interruption_ppm_per_host_day: u32,
    /// A host with a scheduled maintenance event drains at once and is deregistered by force
    /// this long after the notice (EC2 gives days of notice; illustrative default 48 h).
    pub maintenance_event_deadline_hours: u32,
    /// A host with degraded hardware drains at once and is retired by force this long after
    /// (illustrative default 6 h; AWS publishes no number).
    pub degraded_host_deadline_hours: u32,
}

impl Default for Faults {
    fn default() -> Self {
        Faults {
            hardware_degradation_ppm_per_host_day: 0,
            maintenance_event_ppm_per_host_day: 0,
            spot_interruption_ppm_per_host_day: 0,
            maintenance_event_deadline_hours: 48,
            degraded_host_deadline_hours: 6,
        }
    }
}
