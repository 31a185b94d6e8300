//! Hosts and tasks: tasks running and pending on the left axis, hosts and hosts draining on
//! the right.

use fleetsim_core::metrics::Sample;
use plotters::prelude::*;

use super::{err, DrawResult, Dual, Pens, Spec};

pub(super) const SPEC: Spec = Spec {
    values: |x: &Sample| {
        [
            f64::from(x.tasks_running),
            f64::from(x.tasks_pending),
            f64::from(x.hosts),
            f64::from(x.hosts_draining),
        ]
    },
    primary: &[0, 1],
    y_top: None,
    y_desc: "tasks",
    secondary: Some((&[2, 3], "hosts", 0.0)),
};

pub(super) fn series<DB: DrawingBackend>(chart: &mut Dual<'_, '_, DB>, p: &Pens) -> DrawResult<()> {
    let pal = p.pal;
    for (c, colour, label) in [
        (0, pal.tasks, "Tasks running"),
        (1, pal.errors, "Tasks pending"),
    ] {
        chart
            .draw_series(LineSeries::new(p.col(c), p.stroke(colour, 2.5)))
            .map_err(err)?
            .label(label)
            .legend(p.line_key(colour, 2.5));
    }
    for (c, colour, label) in [
        (2, pal.hosts, "Hosts (right axis)"),
        (3, pal.mark, "Hosts draining"),
    ] {
        chart
            .draw_secondary_series(LineSeries::new(p.col(c), p.stroke(colour, 2.5)))
            .map_err(err)?
            .label(label)
            .legend(p.line_key(colour, 2.5));
    }
    Ok(())
}
