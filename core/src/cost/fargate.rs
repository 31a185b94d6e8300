//! The Fargate-equivalent price of a task ("AWS Fargate pricing"): its size rounded up to a valid
//! Fargate size, at Linux/x86 On-Demand rates.

use crate::scenario::TaskSize;

/// $0.04048 per vCPU-hour, in µ$.
pub const PER_VCPU_HOUR: u64 = 40_480;
/// $0.004445 per GB-hour, in µ$.
pub const PER_GB_HOUR: u64 = 4_445;

/// The memory a Fargate CPU size allows ("Supported task sizes" in the Fargate pricing and
/// task-size tables): either a short list or a range in equal steps.
#[derive(Copy, Clone)]
enum Memory {
    /// Exactly these values, ascending (0.25 vCPU: 512 MiB, 1 GB, 2 GB, and nothing between).
    Only(&'static [u32]),
    /// `lo`, `lo + step`, … up to `hi` (MiB).
    Steps { lo: u32, hi: u32, step: u32 },
}

impl Memory {
    /// The smallest allowed value ≥ `mib`, or `None` above the largest.
    fn at_least(self, mib: u32) -> Option<u32> {
        match self {
            Memory::Only(values) => values.iter().copied().find(|&v| v >= mib),
            Memory::Steps { lo, hi, step } => {
                let m = if mib <= lo {
                    lo
                } else {
                    lo + (mib - lo).div_ceil(step) * step
                };
                (m <= hi).then_some(m)
            }
        }
    }
}

/// CPU units and the memory each allows, smallest first.
const SIZES: [(u32, Memory); 7] = [
    (256, Memory::Only(&[512, 1024, 2048])),
    (
        512,
        Memory::Steps {
            lo: 1024,
            hi: 4096,
            step: 1024,
        },
    ),
    (
        1024,
        Memory::Steps {
            lo: 2048,
            hi: 8192,
            step: 1024,
        },
    ),
    (
        2048,
        Memory::Steps {
            lo: 4096,
            hi: 16384,
            step: 1024,
        },
    ),
    (
        4096,
        Memory::Steps {
            lo: 8192,
            hi: 30720,
            step: 1024,
        },
    ),
    (
        8192,
        Memory::Steps {
            lo: 16384,
            hi: 61440,
            step: 4096,
        },
    ),
    (
        16384,
        Memory::Steps {
            lo: 32768,
            hi: 122880,
            step: 8192,
        },
    ),
];

/// The smallest valid Fargate size that holds `size`, or `None` above 16 vCPU / 120 GB.
pub fn round_up(size: TaskSize) -> Option<TaskSize> {
    SIZES.iter().find_map(|&(cpu, memory)| {
        if size.cpu > cpu {
            return None;
        }
        let memory = memory.at_least(size.memory)?;
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

/// µ$ per hour for exactly this size at Fargate's rates, as if Fargate sold any size: the
/// difference to [`price_per_hour`] is what rounding up costs. The same formula, so a task
/// that already has a Fargate size costs exactly the same both ways.
pub fn unrounded_price_per_hour(size: TaskSize) -> u64 {
    (u64::from(size.cpu) * PER_VCPU_HOUR).div_ceil(1024)
        + (u64::from(size.memory) * PER_GB_HOUR).div_ceil(1024)
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
