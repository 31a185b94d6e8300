//! Presentation only: integers from the core become short human labels here (and nowhere
//! else), so floats never flow back into the simulation.

use fleetsim_core::Micros;

/// ECS counts CPU in units of 1/1024 vCPU.
const CPU_UNITS_PER_VCPU: u32 = 1024;
const MIB_PER_GIB: u32 = 1024;

/// Share of `total` that is used, 0..=100, rounding down; 0 when there is no capacity.
pub fn percent(used: u32, total: u32) -> u32 {
    if total == 0 {
        return 0;
    }
    (u64::from(used.min(total)) * 100 / u64::from(total)) as u32
}

/// "1.5/4 vCPU"
pub fn cpu_label(used: u32, total: u32) -> String {
    format!(
        "{}/{} vCPU",
        short(used, CPU_UNITS_PER_VCPU),
        short(total, CPU_UNITS_PER_VCPU)
    )
}

/// "6/16 GiB"
pub fn mem_label(used_mib: u32, total_mib: u32) -> String {
    format!(
        "{}/{} GiB",
        short(used_mib, MIB_PER_GIB),
        short(total_mib, MIB_PER_GIB)
    )
}

/// "0.25 vCPU · 512 MiB": a task's size as ECS writes it (memory in MiB, as task definitions
/// give it; vCPU to the thousandth, so quarter and eighth sizes stay exact).
pub fn size_label(cpu_units: u32, memory_mib: u32) -> String {
    let thousandths = u64::from(cpu_units) * 1000 / u64::from(CPU_UNITS_PER_VCPU);
    let vcpu = format!("{}.{:03}", thousandths / 1000, thousandths % 1000);
    let vcpu = vcpu.trim_end_matches('0').trim_end_matches('.');
    format!("{vcpu} vCPU · {memory_mib} MiB")
}

/// "$1.29/h"
/// A share in basis points as a percent, with a decimal only when it has one.
pub fn bp_percent(bp: u32) -> String {
    let p = f64::from(bp) / 100.0;
    if p.fract() == 0.0 {
        format!("{p:.0} %")
    } else {
        format!("{p:.1} %")
    }
}

pub fn dollars_per_hour(rate: Micros) -> String {
    format!("{rate}/h")
}

/// CSS class for a host status ("ACTIVE" → "status-active").
pub fn status_class(status: &str) -> String {
    format!("status-{}", status.to_ascii_lowercase())
}

/// Services cycle through eight colours in static/app.css.
/// Service colours in `static/app.css` (`--svc-0` …), reused in turn.
pub const SERVICE_COLOURS: u32 = 8;

pub fn service_class(service_index: u32) -> String {
    format!("svc-{}", service_index % SERVICE_COLOURS)
}

/// `value / unit` with at most one decimal, and none when it is whole.
fn short(value: u32, unit: u32) -> String {
    let tenths = u64::from(value) * 10 / u64::from(unit);
    if tenths % 10 == 0 {
        format!("{}", tenths / 10)
    } else {
        format!("{}.{}", tenths / 10, tenths % 10)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn task_sizes_keep_their_quarters() {
        assert_eq!(size_label(256, 512), "0.25 vCPU · 512 MiB");
        assert_eq!(size_label(128, 128), "0.125 vCPU · 128 MiB");
        assert_eq!(size_label(4096, 30720), "4 vCPU · 30720 MiB");
        assert_eq!(size_label(1536, 5500), "1.5 vCPU · 5500 MiB");
    }

    #[test]
    fn percent_is_bounded_and_safe_on_empty_hosts() {
        assert_eq!(percent(0, 0), 0);
        assert_eq!(percent(512, 1024), 50);
        assert_eq!(percent(2048, 1024), 100);
        assert_eq!(percent(1, 3), 33);
    }

    #[test]
    fn labels_use_vcpu_and_gib() {
        assert_eq!(cpu_label(1536, 4096), "1.5/4 vCPU");
        assert_eq!(mem_label(6144, 16384), "6/16 GiB");
        assert_eq!(mem_label(512, 2048), "0.5/2 GiB");
    }

    #[test]
    fn classes_are_stable() {
        assert_eq!(status_class("DRAINING"), "status-draining");
        assert_eq!(service_class(9), "svc-1");
    }
}
