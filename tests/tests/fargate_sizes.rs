//! Every row of the Fargate task-size table ("Supported task sizes" from the
//! AWS Fargate pricing page and "Troubleshoot Amazon ECS task definition invalid CPU or memory
//! errors"), written out here as the docs state it, in GB, and checked value by value against
//! the simulator's rounding.

use fleetsim_core::cost::fargate::round_up;
use fleetsim_core::scenario::TaskSize;

const GB: u32 = 1024;

/// (CPU units, every memory value the docs allow for it, MiB).
fn documented_table() -> Vec<(u32, Vec<u32>)> {
    let steps = |lo: u32, hi: u32, step: u32| (lo..=hi).step_by(step as usize).map(|g| g * GB);
    vec![
        // 256 (0.25 vCPU): 512 MiB, 1 GB, 2 GB.
        (256, vec![512, GB, 2 * GB]),
        // 512 (0.5 vCPU): 1–4 GB in 1 GB steps.
        (512, steps(1, 4, 1).collect()),
        // 1024 (1 vCPU): 2–8 GB in 1 GB steps.
        (1024, steps(2, 8, 1).collect()),
        // 2048 (2 vCPU): 4–16 GB in 1 GB steps.
        (2048, steps(4, 16, 1).collect()),
        // 4096 (4 vCPU): 8–30 GB in 1 GB steps.
        (4096, steps(8, 30, 1).collect()),
        // 8192 (8 vCPU): 16–60 GB in 4 GB steps.
        (8192, steps(16, 60, 4).collect()),
        // 16384 (16 vCPU): 32–120 GB in 8 GB steps.
        (16384, steps(32, 120, 8).collect()),
    ]
}

fn sz(cpu: u32, memory: u32) -> TaskSize {
    TaskSize { cpu, memory }
}

/// The documented answer: the smallest CPU size that holds the task, then the smallest memory
/// that CPU size allows which holds it.
fn oracle(table: &[(u32, Vec<u32>)], need: TaskSize) -> Option<TaskSize> {
    table.iter().find_map(|(cpu, memories)| {
        if need.cpu > *cpu {
            return None;
        }
        memories
            .iter()
            .find(|&&m| m >= need.memory)
            .map(|&m| sz(*cpu, m))
    })
}

#[test]
fn quarter_vcpu_allows_only_512_mib_1_gb_and_2_gb() {
    // 1,100 MiB at 0.25 vCPU is no Fargate size; the next one up is 2 GB, not 1,536 MiB.
    assert_eq!(round_up(sz(256, 1100)), Some(sz(256, 2048)));
    assert_eq!(round_up(sz(256, 1536)), Some(sz(256, 2048)));
    assert_eq!(round_up(sz(256, 513)), Some(sz(256, 1024)));
}

#[test]
fn every_documented_size_is_kept_as_is() {
    for (cpu, memories) in documented_table() {
        for m in memories {
            assert_eq!(
                round_up(sz(cpu, m)),
                Some(sz(cpu, m)),
                "{cpu} units, {m} MiB"
            );
        }
    }
}

#[test]
fn every_row_rounds_up_to_its_next_documented_size() {
    let table = documented_table();
    // Each documented value, its neighbours, and a 64 MiB grid over the whole range.
    let mut needs: Vec<u32> = (0..=(121 * GB) / 64).map(|i| i * 64).collect();
    for (_, memories) in &table {
        for &m in memories {
            needs.extend([m - 1, m, m + 1]);
        }
    }
    needs.extend([1, 1100, 120 * GB + 1]);
    needs.sort_unstable();
    needs.dedup();
    let mut cpus = vec![1, 100];
    for (cpu, _) in &table {
        cpus.extend([cpu - 1, *cpu, cpu + 1]);
    }
    let mut checked = 0;
    for &cpu in &cpus {
        for &memory in &needs {
            let need = sz(cpu, memory);
            assert_eq!(round_up(need), oracle(&table, need), "{need:?}");
            checked += 1;
        }
    }
    assert!(checked > 20 * 2_000, "{checked}");
}

#[test]
fn nothing_rounds_past_16_vcpu_and_120_gb() {
    assert_eq!(round_up(sz(16384, 120 * GB)), Some(sz(16384, 120 * GB)));
    assert_eq!(round_up(sz(16385, 1024)), None);
    assert_eq!(round_up(sz(16384, 120 * GB + 1)), None);
}
