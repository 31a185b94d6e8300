use fleetsim_core::cost::lower_bound::{to_f, LowerBound, TypeCost};
use fleetsim_core::placement::pack::{pack, Item, TypeInfo};
use fleetsim_core::world::{Res, TaskId};
fn main() {
    let cat = fleetsim_core::catalog::default_catalog();
    let types: Vec<TypeInfo> = cat.iter().enumerate().map(|(i, t)| TypeInfo { catalog_idx: i as u32, cap: Res { cpu: t.cpu_units(), memory: t.memory_mib, enis: t.task_enis(true) }, price: t.total_per_hour().0, family: fleetsim_core::hash::fold(0, &t.family()) as u32 }).collect();
    let bound = LowerBound::new(types.iter().map(|t| TypeCost { cap: to_f(t.cap), price: t.price as f64 }).collect());
    let sizes = fleetsim_tests::fargate_sizes();
    let k = sizes.len();
    let n = 3333;
    let mut items = vec![];
    let mut d = Res::default();
    for i in 0..n { let (c, m) = sizes[i % k]; let need = Res { cpu: c, memory: m, enis: 1 }; d = d.plus(&need); items.push(Item { task: TaskId(i as u32), need, distinct: None }); }
    println!("demand {:?} ratio MiB/vCPU {:.0} lb {:.0}", d, d.memory as f64 / (d.cpu as f64 / 1024.0), bound.solve(&to_f(d)).0);
    println!("tight {:?}", bound.tight_types(d).iter().map(|&i| &cat[i as usize].name).collect::<Vec<_>>());
    let t0 = std::time::Instant::now(); let (bins, _) = pack(items, &types, &bound, fleetsim_core::scenario::Selection::LargestAtBestPrice); println!("pack {:?}", t0.elapsed());
    let mut last = String::new(); let mut run = 0;
    let total: u64 = bins.iter().map(|b| types[b.ty as usize].price).sum();
    for b in &bins { let name = cat[types[b.ty as usize].catalog_idx as usize].name.clone(); let t = &types[b.ty as usize]; let s = format!("{name} cpu {:.2} mem {:.2}", b.used.cpu as f64 / t.cap.cpu as f64, b.used.memory as f64 / t.cap.memory as f64); if s != last { if run > 0 { println!("{run} x {last}"); } last = s; run = 1; } else { run += 1; } }
    println!("{run} x {last}");
    println!("ratio {:.4}", total as f64 / bound.solve(&to_f(d)).0);
}
