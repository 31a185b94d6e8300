use std::collections::BTreeMap;
fn main() {
    for n in [30u32, 300, 10_000] {
        let t = std::time::Instant::now();
        let sim = fleetsim_tests::placed(fleetsim_tests::mixed_workload(n));
        let dt = t.elapsed();
        let (rate, lb) = fleetsim_tests::rate_vs_bound(&sim);
        let placed = sim.tasks().filter(|t| t.host.is_some()).count();
        println!("{n}: placed {placed} hosts {} rate {rate} lb {lb} ratio {:.4} in {:?}", sim.hosts().count(), rate as f64 / lb as f64, dt);
        let mut by: BTreeMap<String, (u32, u64, u64, u64, u64, u64, u64)> = BTreeMap::new();
        for h in sim.hosts() {
            let e = by.entry(sim.catalog()[h.instance_type as usize].name.clone()).or_default();
            e.0 += 1;
            e.1 += h.used.cpu as u64; e.2 += h.capacity.cpu as u64;
            e.3 += h.used.memory as u64; e.4 += h.capacity.memory as u64;
            e.5 += h.used.enis as u64; e.6 += h.capacity.enis as u64;
        }
        if n > 100 { for (k, v) in by { println!("  {k:14} {:4} cpu {:.2} mem {:.2} eni {:.2}", v.0, v.1 as f64 / v.2 as f64, v.3 as f64 / v.4 as f64, v.5 as f64 / v.6 as f64); } }
    }
}
