//! Traffic and errors: production traffic on green (%) as an area, the share of requests
//! failing on the right axis.

use fleetsim_core::metrics::Sample;
use plotters::prelude::*;

use super::{err, DrawResult, Dual, Pens, Spec};

pub(super) const SPEC: Spec = Spec {
    values: |x: &Sample| {
        [
            f64::from(x.green_bp) / 100.0,
            if x.rps == 0 {
                0.0
            } else {
                f64::from(x.errors_per_sec) * 100.0 / f64::from(x.rps)
            },
            f64::from(x.rps),
            0.0,
        ]
    },
    primary: &[],
    y_top: Some(100.0),
    y_desc: "% of production traffic",
    secondary: Some((&[1], "% of requests failing", 1.0)),
};

pub(super) fn series<DB: DrawingBackend>(chart: &mut Dual<'_, '_, DB>, p: &Pens) -> DrawResult<()> {
    let pal = p.pal;
    chart
        .draw_series(
            AreaSeries::new(p.col(0), 0.0, pal.green.mix(0.35))
                .border_style(p.stroke(pal.green, 2.5)),
        )
        .map_err(err)?
        .label("Production traffic on green (%)")
        .legend(p.area_key(pal.green));
    chart
        .draw_secondary_series(LineSeries::new(p.col(1), p.stroke(pal.errors, 2.5)))
        .map_err(err)?
        .label("Requests failing (%, right axis)")
        .legend(p.line_key(pal.errors, 2.5));
    Ok(())
}
