//! Sections for the cluster as a whole: name and seed, Availability Zones, the capacity
//! provider's instance requirements, and the patch cycle with its maintenance windows.

use fleetsim_core::lifecycle::{DRAIN_FROM_DAYS, FORCED_AT_DAYS, TALK_LIMIT_DAYS};
use fleetsim_core::scenario::{
    unused_zone_id, CapacityOptionType, Inclusion, MaintenanceWindow, PatchMode, Scenario,
    Selection, Weekday, MAX_AZS, MAX_WINDOWS,
};
use yew::prelude::*;

use super::ctx::Ctx;
use super::fields::section_errors;

pub fn general(c: &Ctx, s: &Scenario) -> Html {
    html! {
        <fieldset class="editor-section" data-section="general">
            <legend>{ "Scenario" }</legend>
            { c.text("name".into(), "Name", &s.name, |s, v| s.name = v) }
            { c.text("description".into(), "Description", &s.description, |s, v| s.description = v) }
            { c.num("seed".into(), "Seed", s.seed, |s, v| s.seed = v) }
        </fieldset>
    }
}

pub fn zones(c: &Ctx, s: &Scenario) -> Html {
    let n = s.availability_zones.len();
    html! {
        <fieldset class="editor-section" data-section="zones">
            <legend>{ "Availability Zones" }</legend>
            { section_errors(&c.errors, "availabilityZones") }
            { for s.availability_zones.iter().enumerate().map(|(i, z)| html! {
                <div class="row">
                    { c.text(format!("availabilityZones[{i}]"), &format!("Zone {}", i + 1), z, move |s, v| s.availability_zones[i] = v) }
                    <button type="button" class="remove" onclick={c.on_click(move |s| { s.availability_zones.remove(i); })}>{ "Remove" }</button>
                </div>
            }) }
            if (n as u32) < MAX_AZS {
                <button type="button" onclick={c.on_click(move |s| {
                    let next = unused_zone_id(&s.availability_zones);
                    s.availability_zones.push(next);
                })}>{ "Add zone" }</button>
            }
        </fieldset>
    }
}

pub fn capacity(c: &Ctx, s: &Scenario) -> Html {
    let cp = &s.capacity_provider;
    let r = &cp.instance_requirements;
    let p = "capacityProvider";
    let rp = "capacityProvider.instanceRequirements";
    html! {
        <fieldset class="editor-section" data-section="capacity">
            <legend>{ "Capacity provider" }</legend>
            { section_errors(&c.errors, rp) }
            <div class="row">
                { c.num(format!("{rp}.vCpuCount"), "vCPU min", r.v_cpu_count.min, |s, v| s.capacity_provider.instance_requirements.v_cpu_count.min = v) }
                { c.opt_num(format!("{rp}.vCpuCount.max"), "vCPU max", r.v_cpu_count.max, |s, v| s.capacity_provider.instance_requirements.v_cpu_count.max = v) }
                { c.num(format!("{rp}.memoryMiB"), "Memory min (MiB)", r.memory_mib.min, |s, v| s.capacity_provider.instance_requirements.memory_mib.min = v) }
                { c.opt_num(format!("{rp}.memoryMiB.max"), "Memory max (MiB)", r.memory_mib.max, |s, v| s.capacity_provider.instance_requirements.memory_mib.max = v) }
            </div>
            { c.list(format!("{rp}.allowedInstanceTypes"), "Allowed instance types (m6i.*, *.2xlarge)", &r.allowed_instance_types, |s, v| s.capacity_provider.instance_requirements.allowed_instance_types = v) }
            { c.list(format!("{rp}.excludedInstanceTypes"), "Excluded instance types", &r.excluded_instance_types, |s, v| s.capacity_provider.instance_requirements.excluded_instance_types = v) }
            { c.list(format!("{rp}.instanceGenerations"), "Generations (current, previous)", &r.instance_generations, |s, v| s.capacity_provider.instance_requirements.instance_generations = v) }
            { c.choice(format!("{rp}.burstablePerformance"), "Burstable types",
                &[(Inclusion::Excluded, "excluded"), (Inclusion::Included, "included"), (Inclusion::Required, "required")],
                &r.burstable_performance, |s, v| s.capacity_provider.instance_requirements.burstable_performance = v) }
            <div class="row">
                { c.choice(format!("{p}.capacityOptionType"), "Capacity", &[(CapacityOptionType::OnDemand, "On-Demand"), (CapacityOptionType::Spot, "Spot")],
                    &cp.capacity_option_type, |s, v| s.capacity_provider.capacity_option_type = v) }
                { c.choice(format!("{p}.selection"), "Instance selection",
                    &[(Selection::LargestAtBestPrice, "largest at best price (talk)"), (Selection::LowestCost, "lowest cost, any size"), (Selection::CheapestPerHost, "cheapest per host (baseline)")],
                    &cp.selection, |s, v| s.capacity_provider.selection = v) }
            </div>
            <div class="row">
                { c.opt_num(format!("{p}.scaleInAfter"), "scaleInAfter", cp.scale_in_after, |s, v| s.capacity_provider.scale_in_after = v) }
                { c.num(format!("{p}.maxInstances"), "Max instances", cp.max_instances, |s, v| s.capacity_provider.max_instances = v) }
                { c.num(format!("{p}.underutilizedBelowPercent"), "Underutilised below", cp.underutilized_below_percent, |s, v| s.capacity_provider.underutilized_below_percent = v) }
            </div>
            { c.check(format!("{p}.downsizing"), "Replace hosts with cheaper types (downsizing)", cp.downsizing, |s, v| s.capacity_provider.downsizing = v) }
            { c.check(format!("{p}.awsvpcTrunking"), "ENI trunking", cp.awsvpc_trunking, |s, v| s.capacity_provider.awsvpc_trunking = v) }
        </fieldset>
    }
}

const DAYS: [(Weekday, &str); 7] = [
    (Weekday::Mon, "Mon"),
    (Weekday::Tue, "Tue"),
    (Weekday::Wed, "Wed"),
    (Weekday::Thu, "Thu"),
    (Weekday::Fri, "Fri"),
    (Weekday::Sat, "Sat"),
    (Weekday::Sun, "Sun"),
];

pub fn patching(c: &Ctx, s: &Scenario) -> Html {
    let pt = &s.patching;
    let n = pt.maintenance_windows.len();
    html! {
        <fieldset class="editor-section" data-section="patching">
            <legend>{ "Patch cycle" }</legend>
            <div class="row">
                { c.choice("patching.mode".into(), "Mode",
                    &[(PatchMode::Documented, &format!("documented ({DRAIN_FROM_DAYS}/{FORCED_AT_DAYS} days)")),
                      (PatchMode::Talk, &format!("talk (within {TALK_LIMIT_DAYS} days)")), (PatchMode::Off, "off")],
                    &pt.mode, |s, v| s.patching.mode = v) }
                { c.num("patching.imageReleaseIntervalDays".into(), "New image every", pt.image_release_interval_days, |s, v| s.patching.image_release_interval_days = v) }
            </div>
            { section_errors(&c.errors, "patching.maintenanceWindows") }
            { for pt.maintenance_windows.iter().enumerate().map(|(i, w)| {
                let wp = format!("patching.maintenanceWindows[{i}]");
                html! {
                    <div class="row">
                        { c.choice(format!("{wp}.startDay"), "Window day", &DAYS, &w.start_day, move |s, v| s.patching.maintenance_windows[i].start_day = v) }
                        { c.num(format!("{wp}.startHour"), "Start hour", w.start_hour, move |s, v| s.patching.maintenance_windows[i].start_hour = v) }
                        { c.num(format!("{wp}.durationHours"), "Duration", w.duration_hours, move |s, v| s.patching.maintenance_windows[i].duration_hours = v) }
                        <button type="button" class="remove" onclick={c.on_click(move |s| { s.patching.maintenance_windows.remove(i); })}>{ "Remove" }</button>
                    </div>
                }
            }) }
            if (n as u32) < MAX_WINDOWS {
                <button type="button" onclick={c.on_click(|s| s.patching.maintenance_windows.push(MaintenanceWindow::suggested()))}>
                    { "Add maintenance window" }
                </button>
            }
        </fieldset>
    }
}
