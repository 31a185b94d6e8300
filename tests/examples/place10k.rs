fn main() {
    let s = fleetsim_tests::mixed_workload(10_000);
    let t = std::time::Instant::now();
    let sim = fleetsim_tests::placed(s);
    println!("{:?} {}", t.elapsed(), sim.hosts().count());
}
