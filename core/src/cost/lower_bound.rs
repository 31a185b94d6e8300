//! The cost lower bound: the cheapest *fractional* cover of the tasks' total vCPU, memory and
//! task ENIs by the allowed instance types, at price + Managed Instances fee.
//!
//! It is a linear program with three constraints. Its dual — maximise d·y subject to
//! cap_t·y ≤ price_t for every type, y ≥ 0 — has a feasible region that depends only on the
//! catalog, so we enumerate that polytope's vertices once and each evaluation is then the best
//! of a few hundred dot products. By LP duality this max equals the primal optimum.
//!
//! Floating point is used here on purpose: only IEEE-754 add/mul/div (no fused ops), which
//! give the same bits on every platform, and results are rounded to whole µ$.

use alloc::vec::Vec;
use serde::{Deserialize, Serialize};

use crate::world::Res;

/// One instance type as the LP sees it.
#[derive(Copy, Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TypeCost {
    pub cap: [f64; 3],
    /// µ$ per hour incl. fee.
    pub price: f64,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct LowerBound {
    /// Vertices y of the dual polytope (µ$/h per CPU unit, per MiB, per ENI).
    vertices: Vec<[f64; 3]>,
    types: Vec<TypeCost>,
}

fn det3(m: &[[f64; 3]; 3]) -> f64 {
    m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1])
        - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
        + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0])
}

fn solve3(a: &[[f64; 3]; 3], b: &[f64; 3]) -> Option<[f64; 3]> {
    let d = det3(a);
    if d.abs() < 1e-12 {
        return None;
    }
    let mut out = [0.0; 3];
    for (col, o) in out.iter_mut().enumerate() {
        let mut m = *a;
        for row in 0..3 {
            m[row][col] = b[row];
        }
        *o = det3(&m) / d;
    }
    Some(out)
}

impl LowerBound {
    pub fn new(types: Vec<TypeCost>) -> LowerBound {
        // Planes: one per type (cap·y = price) and the three axes (y_i = 0).
        let mut planes: Vec<([f64; 3], f64)> = types.iter().map(|t| (t.cap, t.price)).collect();
        planes.push(([1.0, 0.0, 0.0], 0.0));
        planes.push(([0.0, 1.0, 0.0], 0.0));
        planes.push(([0.0, 0.0, 1.0], 0.0));
        let n = planes.len();
        let mut vertices: Vec<[f64; 3]> = Vec::new();
        for i in 0..n {
            for j in i + 1..n {
                for k in j + 1..n {
                    let a = [planes[i].0, planes[j].0, planes[k].0];
                    let b = [planes[i].1, planes[j].1, planes[k].1];
                    let Some(y) = solve3(&a, &b) else { continue };
                    let feasible = y.iter().all(|v| *v >= -1e-9)
                        && types
                            .iter()
                            .all(|t| dot(&t.cap, &y) <= t.price * (1.0 + 1e-9) + 1e-9);
                    if feasible && !vertices.iter().any(|v| close(v, &y)) {
                        vertices.push([y[0].max(0.0), y[1].max(0.0), y[2].max(0.0)]);
                    }
                }
            }
        }
        LowerBound { vertices, types }
    }

    /// The dual optimum for demand `d`: (µ$/h, the vertex y).
    pub fn solve(&self, d: &[f64; 3]) -> (f64, [f64; 3]) {
        let mut best = (0.0, [0.0; 3]);
        for v in &self.vertices {
            let x = dot(d, v);
            if x > best.0 {
                best = (x, *v);
            }
        }
        best
    }

    /// µ$ per hour to cover `demand`, rounded down to whole µ$.
    pub fn rate(&self, demand: Res) -> u64 {
        self.rate_of(to_f(demand))
    }

    /// The same for a demand given as (CPU units, MiB, ENIs), e.g. a fleet-wide sum.
    pub fn rate_of(&self, demand: [f64; 3]) -> u64 {
        self.solve(&demand).0 as u64
    }

    /// Indices of types on the optimal face for `demand` (the ones an optimal cover uses).
    pub fn tight_types(&self, demand: Res) -> Vec<u32> {
        let (_, y) = self.solve(&to_f(demand));
        self.types
            .iter()
            .enumerate()
            .filter(|(_, t)| dot(&t.cap, &y) >= t.price * (1.0 - 1e-9))
            .map(|(i, _)| i as u32)
            .collect()
    }
}

pub fn to_f(r: Res) -> [f64; 3] {
    [f64::from(r.cpu), f64::from(r.memory), f64::from(r.enis)]
}

fn dot(a: &[f64; 3], b: &[f64; 3]) -> f64 {
    a[0] * b[0] + a[1] * b[1] + a[2] * b[2]
}

fn close(a: &[f64; 3], b: &[f64; 3]) -> bool {
    (0..3).all(|i| (a[i] - b[i]).abs() <= 1e-9 * (1.0 + a[i].abs()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(cpu: f64, mem: f64, enis: f64, price: f64) -> TypeCost {
        TypeCost {
            cap: [cpu, mem, enis],
            price,
        }
    }

    #[test]
    fn single_type_bound_is_the_binding_resource() {
        let lb = LowerBound::new(alloc::vec![t(2.0, 8.0, 10.0, 100.0)]);
        // 3 CPUs need 1.5 instances; 4 memory needs 0.5; so 150.
        let (v, _) = lb.solve(&[3.0, 4.0, 0.0]);
        assert!((v - 150.0).abs() < 1e-6, "{v}");
    }

    #[test]
    fn mixes_types_when_that_is_cheaper() {
        // "c": 2 cpu/2 mem at 80; "r": 1 cpu/4 mem at 80. Demand 2 cpu, 5 mem.
        // Best: x_c = 0.5, x_r = 1 → 120 (c alone: 2.5 × 80 = 200; r alone: 2 × 80 = 160).
        let lb = LowerBound::new(alloc::vec![
            t(2.0, 2.0, 100.0, 80.0),
            t(1.0, 4.0, 100.0, 80.0)
        ]);
        let (v, _) = lb.solve(&[2.0, 5.0, 0.0]);
        assert!((v - 120.0).abs() < 1e-6, "{v}");
        assert_eq!(
            lb.tight_types(Res {
                cpu: 2,
                memory: 5,
                enis: 0
            }),
            [0, 1]
        );
    }

    #[test]
    fn task_slots_can_bind() {
        let lb = LowerBound::new(alloc::vec![t(96.0, 384.0, 10.0, 100.0)]);
        let (v, _) = lb.solve(&[1.0, 1.0, 40.0]);
        assert!((v - 400.0).abs() < 1e-6, "{v}");
    }
}
