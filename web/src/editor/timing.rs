//! Sections for how long things take (launches, image pulls, health checks, shutdown) and for
//! the random faults the seeded PRNG injects. Every field shows the core's range message.

use fleetsim_core::scenario::Scenario;
use yew::prelude::*;

use super::ctx::Ctx;

pub fn timing(c: &Ctx, s: &Scenario) -> Html {
    let t = &s.timing;
    html! {
        <fieldset class="editor-section" data-section="timing">
            <legend>{ "Timing" }</legend>
            <div class="row">
                { c.num("timing.instanceLaunchSeconds".into(), "Instance launch", t.instance_launch_seconds, |s, v| s.timing.instance_launch_seconds = v) }
                { c.num("timing.imagePullSeconds".into(), "Image pull (not cached)", t.image_pull_seconds, |s, v| s.timing.image_pull_seconds = v) }
                { c.num("timing.cachedStartSeconds".into(), "Start (image cached)", t.cached_start_seconds, |s, v| s.timing.cached_start_seconds = v) }
            </div>
            <div class="row">
                { c.num("timing.healthCheckIntervalSeconds".into(), "Health check interval (ELB)", t.health_check_interval_seconds, |s, v| s.timing.health_check_interval_seconds = v) }
                { c.num("timing.healthyThresholdCount".into(), "Healthy threshold (checks)", t.healthy_threshold_count, |s, v| s.timing.healthy_threshold_count = v) }
                { c.num("timing.unhealthyThresholdCount".into(), "Unhealthy threshold (checks)", t.unhealthy_threshold_count, |s, v| s.timing.unhealthy_threshold_count = v) }
                { c.num("timing.healthCheckGracePeriodSeconds".into(), "Health check grace period", t.health_check_grace_period_seconds, |s, v| s.timing.health_check_grace_period_seconds = v) }
            </div>
            <div class="row">
                { c.num("timing.deregistrationDelaySeconds".into(), "Deregistration delay (ELB)", t.deregistration_delay_seconds, |s, v| s.timing.deregistration_delay_seconds = v) }
                { c.num("timing.shutdownSeconds".into(), "Shutdown after SIGTERM", t.shutdown_seconds, |s, v| s.timing.shutdown_seconds = v) }
            </div>
            { c.num("timing.metricsIntervalSeconds".into(), "Chart sample every", t.metrics_interval_seconds, |s, v| s.timing.metrics_interval_seconds = v) }
        </fieldset>
    }
}

pub fn faults(c: &Ctx, s: &Scenario) -> Html {
    let f = &s.faults;
    html! {
        <fieldset class="editor-section" data-section="faults">
            <legend>{ "Random faults" }</legend>
            <div class="row">
                { c.num("faults.hardwareDegradationPpmPerHostDay".into(), "Hardware degradation", f.hardware_degradation_ppm_per_host_day, |s, v| s.faults.hardware_degradation_ppm_per_host_day = v) }
                { c.num("faults.maintenanceEventPpmPerHostDay".into(), "Maintenance events", f.maintenance_event_ppm_per_host_day, |s, v| s.faults.maintenance_event_ppm_per_host_day = v) }
                { c.num("faults.spotInterruptionPpmPerHostDay".into(), "Spot interruptions", f.spot_interruption_ppm_per_host_day, |s, v| s.faults.spot_interruption_ppm_per_host_day = v) }
            </div>
            <div class="row">
                { c.num("faults.maintenanceEventDeadlineHours".into(), "Maintenance deadline", f.maintenance_event_deadline_hours, |s, v| s.faults.maintenance_event_deadline_hours = v) }
                { c.num("faults.degradedHostDeadlineHours".into(), "Degraded host retired after", f.degraded_host_deadline_hours, |s, v| s.faults.degraded_host_deadline_hours = v) }
            </div>
        </fieldset>
    }
}
