//! The Fargate-equivalent price of a task (reference §5): its size rounded up to a valid
//! Fargate size, at Linux/x86 On-Demand rates.

use crate::scenario::TaskSize;

/// $0.04048 per vCPU-hour, in µ$.
pub const PER_VCPU_HOUR: u64 = 40_480;
/// $0.004445 per GB-hour, in µ$.
pub const PER_GB_HOUR: u64 = 4_445;

/// (CPU units, smallest memory MiB, largest memory MiB, step MiB).
const SIZES: [(u32, u32, u32, u32); 7] = [
    (256, 512, 2048, 512),
    (512, 1024, 4096, 1024),
    (1024, 2048, 8192, 1024),
    (2048, 4096, 16384, 1024),
    (4096, 8192, 30720, 1024),
    (8192, 16384, 61440, 4096),
    (16384, 32768, 122880, 8192),
];

/// The smallest valid Fargate size that holds `size`, or `None` above 16 vCPU / 120 GB.
pub fn round_up(size: TaskSize) -> Option<TaskSize> {
    SIZES.iter().find_map(|&(cpu, lo, hi, step)| {
        if size.cpu > cpu || size.memory > hi {
            return None;
        }
        let memory = if size.memory <= lo {
            lo
        } else if cpu == 256 && size.memory <= 1024 {
            // 0.25 vCPU offers 512 MiB, 1 GB and 2 GB.
            1024
        } else {
            size.memory.div_ceil(step) * step
        };
        Some(TaskSize { cpu, memory })
    })
}

/// µ$ per hour for a task of this size on Fargate. Tasks larger than Fargate's largest size are
/// priced at the same per-vCPU and per-GB rates (there is no Fargate size to compare with).
pub fn price_per_hour(size: TaskSize) -> u64 {
    let s = round_up(size).unwrap_or(size);
    (u64::from(s.cpu) * PER_VCPU_HOUR).div_ceil(1024)
        + (u64::from(s.memory) * PER_GB_HOUR).div_ceil(1024)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sz(cpu: u32, memory: u32) -> TaskSize {
        TaskSize { cpu, memory }
    }

    #[test]
    fn rounds_to_valid_sizes() {
        assert_eq!(round_up(sz(100, 100)), Some(sz(256, 512)));
        assert_eq!(round_up(sz(256, 700)), Some(sz(256, 1024)));
        assert_eq!(round_up(sz(256, 3000)), Some(sz(512, 3072)));
        assert_eq!(round_up(sz(1500, 3000)), Some(sz(2048, 4096)));
        assert_eq!(round_up(sz(8192, 17000)), Some(sz(8192, 20480)));
        assert_eq!(round_up(sz(4096, 40000)), Some(sz(8192, 40960)));
        assert_eq!(round_up(sz(32768, 1024)), None);
    }

    #[test]
    fn worked_example_from_the_reference() {
        // 2 vCPU / 8 GB: 2 × 0.04048 + 8 × 0.004445 = $0.11652/h.
        assert_eq!(price_per_hour(sz(2048, 8192)), 116_520);
    }
}
