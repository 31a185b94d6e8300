//! Cumulative cost ($ so far): Managed Instances, Fargate and the lower bound.

use fleetsim_core::metrics::Sample;
use plotters::prelude::*;

use super::{dollars, err, DrawResult, Dual, Pens, Spec};

pub(super) const SPEC: Spec = Spec {
    values: |x: &Sample| {
        [
            dollars(x.cumulative),
            dollars(x.fargate_cumulative),
            dollars(x.lower_bound_cumulative),
            0.0,
        ]
    },
    primary: &[0, 1, 2],
    y_top: None,
    y_desc: "$ so far",
    secondary: None,
};

pub(super) fn series<DB: DrawingBackend>(chart: &mut Dual<'_, '_, DB>, p: &Pens) -> DrawResult<()> {
    let pal = p.pal;
    for (c, colour, label) in [
        (0, pal.ec2, "Managed Instances"),
        (1, pal.fargate, "Fargate"),
        (2, pal.lower, "Lower bound"),
    ] {
        chart
            .draw_series(LineSeries::new(p.col(c), p.stroke(colour, 2.5)))
            .map_err(err)?
            .label(label)
            .legend(p.line_key(colour, 2.5));
    }
    Ok(())
}
