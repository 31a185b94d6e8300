//! Cost rate ($/h): EC2 and the Managed Instances fee stacked, against Fargate for the same
//! tasks and the lower bound (the cheapest fractional cover, i.e. perfect packing).

use fleetsim_core::metrics::Sample;
use fleetsim_core::time::HOUR;
use plotters::prelude::*;

use super::{dollars, err, DrawResult, Dual, Palette, Pens, Spec};
use crate::engine::MarkKind;
use crate::snapshot::ChartData;

pub(super) const SPEC: Spec = Spec {
    values: |x: &Sample| {
        [
            dollars(x.ec2_per_hour),
            dollars(x.rate()),
            dollars(x.fargate_per_hour),
            dollars(x.lower_bound_per_hour),
        ]
    },
    primary: &[1, 2, 3],
    y_top: None,
    y_desc: "$ per hour",
    secondary: None,
};

pub(super) fn series<DB: DrawingBackend>(chart: &mut Dual<'_, '_, DB>, p: &Pens) -> DrawResult<()> {
    let pal = p.pal;
    chart
        .draw_series(AreaSeries::new(p.col(1), 0.0, pal.fee.mix(0.85)))
        .map_err(err)?
        .label("Managed Instances fee")
        .legend(p.area_key(pal.fee));
    chart
        .draw_series(AreaSeries::new(p.col(0), 0.0, pal.ec2.mix(0.9)))
        .map_err(err)?
        .label("EC2 instances")
        .legend(p.area_key(pal.ec2));
    chart
        .draw_series(LineSeries::new(p.col(2), p.stroke(pal.fargate, 2.5)))
        .map_err(err)?
        .label("Fargate, same tasks")
        .legend(p.line_key(pal.fargate, 2.5));
    chart
        .draw_series(DashedLineSeries::new(
            p.col(3),
            p.px(6.0),
            p.px(4.0),
            p.stroke(pal.lower, 2.0),
        ))
        .map_err(err)?
        .label("Lower bound (perfect packing)")
        .legend(p.line_key(pal.lower, 2.0));
    Ok(())
}

/// Flags on the cost chart for what moved it. Marks close together are merged into one
/// flag ("+4 hosts · deploy"), so the chart stays readable at any zoom.
pub(super) fn annotate<DB: DrawingBackend, X, Y>(
    chart: &mut ChartContext<'_, DB, plotters::coord::cartesian::Cartesian2d<X, Y>>,
    data: &ChartData,
    pal: &Palette,
    scale: f64,
    (t0, t1): (f64, f64),
    y_max: f64,
) -> DrawResult<()>
where
    X: plotters::coord::ranged1d::Ranged<ValueType = f64>,
    Y: plotters::coord::ranged1d::Ranged<ValueType = f64>,
{
    const BINS: usize = 8;
    let width = (t1 - t0) / BINS as f64;
    let mut bins: Vec<(f64, [u32; 10])> = Vec::new();
    for m in &data.marks {
        let t = m.at.0 as f64 / HOUR as f64;
        if t < t0 || t > t1 || m.kind == MarkKind::Command {
            continue;
        }
        let b = ((t - t0) / width) as usize;
        match bins.last_mut() {
            Some((start, counts)) if ((*start - t0) / width) as usize == b => {
                counts[m.kind as usize] += 1
            }
            _ => {
                let mut counts = [0; 10];
                counts[m.kind as usize] = 1;
                bins.push((t, counts));
            }
        }
    }
    let style = ("sans-serif", 11.0 * scale).into_font().color(&pal.mark);
    for (i, (t, c)) in bins.iter().enumerate() {
        let mut parts = Vec::new();
        let net =
            i64::from(c[MarkKind::Launch as usize]) - i64::from(c[MarkKind::Terminate as usize]);
        if c[MarkKind::Launch as usize] + c[MarkKind::Terminate as usize] > 0 {
            parts.push(match net {
                0 => "hosts replaced".to_string(),
                n if n > 0 => format!("+{n} host{}", if n == 1 { "" } else { "s" }),
                n => format!("−{} host{}", -n, if n == -1 { "" } else { "s" }),
            });
        }
        for k in [
            MarkKind::DeployStart,
            MarkKind::DeployDone,
            MarkKind::Rollback,
            MarkKind::Patch,
            MarkKind::AzDown,
            MarkKind::AzUp,
        ] {
            if c[k as usize] > 0 {
                parts.push(k.label().to_string());
            }
        }
        if parts.is_empty() {
            continue;
        }
        chart
            .draw_series(std::iter::once(PathElement::new(
                [(*t, 0.0), (*t, y_max)],
                pal.mark
                    .mix(0.7)
                    .stroke_width((scale.round() as u32).max(1)),
            )))
            .map_err(err)?;
        // Alternate rows so neighbouring flags do not overlap.
        let y = y_max * if i % 2 == 0 { 0.97 } else { 0.89 };
        chart
            .draw_series(std::iter::once(Text::new(
                parts.join(" · "),
                (*t, y),
                style.clone(),
            )))
            .map_err(err)?;
    }
    Ok(())
}
