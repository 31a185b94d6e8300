//! Charts drawn with plotters. Every function takes any `DrawingBackend`: the page draws on a
//! canvas (`canvas.rs`), the native tests into an SVG string, so what the audience sees is
//! snapshot-tested without a browser.

pub mod canvas;

use fleetsim_core::metrics::Sample;
use fleetsim_core::time::{DAY, HOUR};
use plotters::coord::Shift;
use plotters::prelude::*;

use crate::engine::MarkKind;
use crate::snapshot::ChartData;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChartKind {
    CostRate,
    Cumulative,
    Fleet,
    Traffic,
}

impl ChartKind {
    pub const ALL: [ChartKind; 4] = [
        ChartKind::CostRate,
        ChartKind::Cumulative,
        ChartKind::Fleet,
        ChartKind::Traffic,
    ];
    pub fn title(self) -> &'static str {
        match self {
            ChartKind::CostRate => "Cost rate ($/h)",
            ChartKind::Cumulative => "Cumulative cost ($)",
            ChartKind::Fleet => "Hosts and tasks",
            ChartKind::Traffic => "Traffic and errors",
        }
    }
    pub fn id(self) -> &'static str {
        match self {
            ChartKind::CostRate => "cost",
            ChartKind::Cumulative => "cumulative",
            ChartKind::Fleet => "fleet",
            ChartKind::Traffic => "traffic",
        }
    }
}

/// Colours of one theme, as the chart needs them.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Palette {
    pub bg: RGBColor,
    pub fg: RGBColor,
    pub grid: RGBColor,
    pub ec2: RGBColor,
    pub fee: RGBColor,
    pub fargate: RGBColor,
    pub lower: RGBColor,
    pub hosts: RGBColor,
    pub tasks: RGBColor,
    pub green: RGBColor,
    pub errors: RGBColor,
    pub mark: RGBColor,
}

impl Palette {
    pub const DARK: Palette = Palette {
        bg: RGBColor(0x17, 0x21, 0x2c),
        fg: RGBColor(0xc9, 0xd5, 0xe0),
        grid: RGBColor(0x2c, 0x3b, 0x4b),
        ec2: RGBColor(0x4e, 0x79, 0xa7),
        fee: RGBColor(0x9c, 0xbc, 0xe0),
        fargate: RGBColor(0xf2, 0x8e, 0x2b),
        lower: RGBColor(0x59, 0xa1, 0x4f),
        hosts: RGBColor(0x9c, 0xbc, 0xe0),
        tasks: RGBColor(0xf2, 0x8e, 0x2b),
        green: RGBColor(0x3f, 0xb9, 0x50),
        errors: RGBColor(0xf8, 0x51, 0x49),
        mark: RGBColor(0xb0, 0x7a, 0xa1),
    };
    pub const LIGHT: Palette = Palette {
        bg: RGBColor(0xff, 0xff, 0xff),
        fg: RGBColor(0x24, 0x29, 0x2f),
        grid: RGBColor(0xe1, 0xe6, 0xeb),
        ec2: RGBColor(0x2f, 0x5f, 0x93),
        fee: RGBColor(0x8d, 0xb0, 0xd8),
        fargate: RGBColor(0xc8, 0x64, 0x0a),
        lower: RGBColor(0x2e, 0x7d, 0x32),
        hosts: RGBColor(0x2f, 0x5f, 0x93),
        tasks: RGBColor(0xc8, 0x64, 0x0a),
        green: RGBColor(0x1a, 0x7f, 0x37),
        errors: RGBColor(0xcf, 0x22, 0x2e),
        mark: RGBColor(0x82, 0x50, 0xdf),
    };
    pub const PROJECTOR: Palette = Palette {
        bg: RGBColor(0x00, 0x00, 0x00),
        fg: RGBColor(0xff, 0xff, 0xff),
        grid: RGBColor(0x44, 0x44, 0x44),
        ec2: RGBColor(0x4d, 0xa3, 0xff),
        fee: RGBColor(0xa8, 0xd1, 0xff),
        fargate: RGBColor(0xff, 0xa6, 0x1a),
        lower: RGBColor(0x5c, 0xe0, 0x6a),
        hosts: RGBColor(0xa8, 0xd1, 0xff),
        tasks: RGBColor(0xff, 0xa6, 0x1a),
        green: RGBColor(0x5c, 0xe0, 0x6a),
        errors: RGBColor(0xff, 0x5c, 0x5c),
        mark: RGBColor(0xe0, 0x9c, 0xff),
    };
}

/// Where the plot landed on the backend, so a pointer position maps back to a time.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Frame {
    pub left: i32,
    pub right: i32,
    pub t0: f64,
    pub t1: f64,
}

impl Frame {
    /// Simulated hours at backend x (clamped to the plot).
    pub fn hours_at(&self, x: i32) -> f64 {
        let w = (self.right - self.left).max(1) as f64;
        let f = ((x - self.left) as f64 / w).clamp(0.0, 1.0);
        self.t0 + f * (self.t1 - self.t0)
    }
}

fn hours(s: &Sample) -> f64 {
    s.at.0 as f64 / HOUR as f64
}

fn dollars(m: fleetsim_core::Micros) -> f64 {
    m.dollars()
}

/// "14:20" within two days, "Day 3" beyond.
fn time_label(h: &f64, span: f64) -> String {
    let ms = (h.max(0.0) * HOUR as f64) as u64;
    if span > 48.0 {
        format!("Day {}", ms / DAY)
    } else {
        let in_day = ms % DAY;
        format!("{:02}:{:02}", in_day / HOUR, (in_day % HOUR) / 60_000)
    }
}

type DrawResult<T> = Result<T, String>;

fn err<E: std::fmt::Debug>(e: E) -> String {
    format!("{e:?}")
}

/// Draws one chart filling `area`. `scale` multiplies font sizes and line widths (device
/// pixel ratio times the theme's type scale).
pub fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    kind: ChartKind,
    data: &ChartData,
    pal: &Palette,
    scale: f64,
) -> DrawResult<Frame> {
    area.fill(&pal.bg).map_err(err)?;
    let s = &data.samples;
    let t0 = s.first().map_or(0.0, hours);
    let t1 = s.last().map_or(1.0, hours).max(t0 + 0.25);
    let px = |v: f64| (v * scale).round() as u32;
    let font = |size: f64| ("sans-serif", size * scale).into_font().color(&pal.fg);
    let series: Vec<(f64, [f64; 4])> = s
        .iter()
        .map(|x| {
            let v = match kind {
                ChartKind::CostRate => [
                    dollars(x.ec2_per_hour),
                    dollars(x.ec2_per_hour) + dollars(x.fee_per_hour),
                    dollars(x.fargate_per_hour),
                    dollars(x.lower_bound_per_hour),
                ],
                ChartKind::Cumulative => [
                    dollars(x.cumulative),
                    dollars(x.fargate_cumulative),
                    dollars(x.lower_bound_cumulative),
                    0.0,
                ],
                ChartKind::Fleet => [
                    f64::from(x.tasks_running),
                    f64::from(x.tasks_pending),
                    f64::from(x.hosts),
                    f64::from(x.hosts_draining),
                ],
                ChartKind::Traffic => [
                    f64::from(x.green_bp) / 100.0,
                    if x.rps == 0 {
                        0.0
                    } else {
                        f64::from(x.errors_per_sec) * 100.0 / f64::from(x.rps)
                    },
                    f64::from(x.rps),
                    0.0,
                ],
            };
            (hours(x), v)
        })
        .collect();
    let max_of = |cols: &[usize]| {
        series
            .iter()
            .flat_map(|(_, v)| cols.iter().map(move |&c| v[c]))
            .fold(0.0f64, f64::max)
    };
    let (y_max, y_desc) = match kind {
        ChartKind::CostRate => (max_of(&[1, 2, 3]), "$ per hour"),
        ChartKind::Cumulative => (max_of(&[0, 1, 2]), "$ so far"),
        ChartKind::Fleet => (max_of(&[0, 1]), "tasks"),
        ChartKind::Traffic => (100.0, "% of production traffic"),
    };
    let y_max = nice_max(y_max);
    let span = t1 - t0;
    let mut chart = ChartBuilder::on(area)
        .margin(px(10.0))
        .margin_top(px(26.0))
        .x_label_area_size(px(28.0))
        .y_label_area_size(px(58.0))
        .right_y_label_area_size(if matches!(kind, ChartKind::Fleet | ChartKind::Traffic) {
            px(52.0)
        } else {
            0
        })
        .build_cartesian_2d(t0..t1, 0.0..y_max)
        .map_err(err)?
        .set_secondary_coord(
            t0..t1,
            0.0..match kind {
                ChartKind::Fleet => nice_max(max_of(&[2, 3])),
                ChartKind::Traffic => nice_max(max_of(&[1]).max(1.0)),
                _ => 1.0,
            },
        );
    chart
        .configure_mesh()
        .light_line_style(pal.grid.mix(0.35))
        .bold_line_style(pal.grid)
        .axis_style(pal.grid)
        .x_labels(6)
        .y_labels(5)
        .x_label_formatter(&|h| time_label(h, span))
        .y_label_formatter(&|v| short_number(*v))
        .y_desc(y_desc)
        .label_style(font(12.0))
        .axis_desc_style(font(12.0))
        .draw()
        .map_err(err)?;
    if matches!(kind, ChartKind::Fleet | ChartKind::Traffic) {
        chart
            .configure_secondary_axes()
            .y_labels(5)
            .y_label_formatter(&|v| short_number(*v))
            .y_desc(if kind == ChartKind::Fleet {
                "hosts"
            } else {
                "% of requests failing"
            })
            .label_style(font(12.0))
            .axis_desc_style(font(12.0))
            .axis_style(pal.grid)
            .draw()
            .map_err(err)?;
    }
    let col = |c: usize| series.iter().map(move |(t, v)| (*t, v[c]));
    let stroke = |c: RGBColor, w: f64| c.stroke_width(px(w).max(1));
    // Legend keys: a short line in the series' own stroke, or a swatch for a filled area.
    let line_key = move |c: RGBColor, w: f64| {
        move |(x, y): (i32, i32)| PathElement::new([(x, y), (x + 14, y)], stroke(c, w))
    };
    let area_key = |c: RGBColor| {
        move |(x, y): (i32, i32)| Rectangle::new([(x, y - 5), (x + 14, y + 5)], c.filled())
    };
    match kind {
        ChartKind::CostRate => {
            chart
                .draw_series(AreaSeries::new(col(1), 0.0, pal.fee.mix(0.85)))
                .map_err(err)?
                .label("Managed Instances fee")
                .legend(area_key(pal.fee));
            chart
                .draw_series(AreaSeries::new(col(0), 0.0, pal.ec2.mix(0.9)))
                .map_err(err)?
                .label("EC2 instances")
                .legend(area_key(pal.ec2));
            chart
                .draw_series(LineSeries::new(col(2), stroke(pal.fargate, 2.5)))
                .map_err(err)?
                .label("Fargate, same tasks")
                .legend(line_key(pal.fargate, 2.5));
            chart
                .draw_series(DashedLineSeries::new(
                    col(3),
                    px(6.0),
                    px(4.0),
                    stroke(pal.lower, 2.0),
                ))
                .map_err(err)?
                .label("Lower bound (perfect packing)")
                .legend(line_key(pal.lower, 2.0));
        }
        ChartKind::Cumulative => {
            for (c, colour, label) in [
                (0, pal.ec2, "Managed Instances"),
                (1, pal.fargate, "Fargate"),
                (2, pal.lower, "Lower bound"),
            ] {
                chart
                    .draw_series(LineSeries::new(col(c), stroke(colour, 2.5)))
                    .map_err(err)?
                    .label(label)
                    .legend(line_key(colour, 2.5));
            }
        }
        ChartKind::Fleet => {
            for (c, colour, label) in [
                (0, pal.tasks, "Tasks running"),
                (1, pal.errors, "Tasks pending"),
            ] {
                chart
                    .draw_series(LineSeries::new(col(c), stroke(colour, 2.5)))
                    .map_err(err)?
                    .label(label)
                    .legend(line_key(colour, 2.5));
            }
            for (c, colour, label) in [
                (2, pal.hosts, "Hosts (right axis)"),
                (3, pal.mark, "Hosts draining"),
            ] {
                chart
                    .draw_secondary_series(LineSeries::new(col(c), stroke(colour, 2.5)))
                    .map_err(err)?
                    .label(label)
                    .legend(line_key(colour, 2.5));
            }
        }
        ChartKind::Traffic => {
            chart
                .draw_series(
                    AreaSeries::new(col(0), 0.0, pal.green.mix(0.35))
                        .border_style(stroke(pal.green, 2.5)),
                )
                .map_err(err)?
                .label("Production traffic on green (%)")
                .legend(area_key(pal.green));
            chart
                .draw_secondary_series(LineSeries::new(col(1), stroke(pal.errors, 2.5)))
                .map_err(err)?
                .label("Requests failing (%, right axis)")
                .legend(line_key(pal.errors, 2.5));
        }
    }
    if kind == ChartKind::CostRate {
        annotate(&mut chart, data, pal, scale, (t0, t1), y_max)?;
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .background_style(pal.bg.mix(0.85))
        .border_style(pal.grid)
        .label_font(font(12.0))
        .draw()
        .map_err(err)?;
    let (xr, _) = chart.plotting_area().get_pixel_range();
    Ok(Frame {
        left: xr.start,
        right: xr.end,
        t0,
        t1,
    })
}

/// Flags on the cost chart for what moved it. Marks close together are merged into one
/// flag ("+4 hosts · deploy"), so the chart stays readable at any zoom.
fn annotate<DB: DrawingBackend, X, Y>(
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

/// The next "round" number at or above `v` (1, 2, 2.5, 5 × 10ⁿ), never zero.
pub fn nice_max(v: f64) -> f64 {
    if v.is_nan() || v <= 0.0 {
        return 1.0;
    }
    let p = 10f64.powf(v.log10().floor());
    for m in [1.0, 2.0, 2.5, 5.0, 10.0] {
        if v * 1.08 <= m * p {
            return m * p;
        }
    }
    10.0 * p
}

/// 1234 → "1.2k", 0.25 → "0.25".
pub fn short_number(v: f64) -> String {
    let a = v.abs();
    if a >= 1_000_000.0 {
        format!("{:.1}M", v / 1_000_000.0)
    } else if a >= 10_000.0 {
        format!("{:.0}k", v / 1000.0)
    } else if a >= 1_000.0 {
        format!("{:.1}k", v / 1000.0)
    } else if a >= 10.0 || a == 0.0 {
        format!("{v:.0}")
    } else if a >= 1.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.2}")
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::engine::Engine;
    use crate::scenarios::workshop;
    use fleetsim_core::{Command, SimTime};

    fn svg(kind: ChartKind, data: &ChartData) -> (String, Frame) {
        let mut out = String::new();
        let frame = {
            let area = SVGBackend::with_string(&mut out, (800, 300)).into_drawing_area();
            let f = draw(&area, kind, data, &Palette::LIGHT, 1.0).unwrap();
            area.present().unwrap();
            f
        };
        (out, frame)
    }

    fn run() -> ChartData {
        let mut e = Engine::new(workshop()).unwrap();
        e.seek(SimTime::from_hours(2));
        e.apply(Command::SetDesiredCount {
            service: "web".into(),
            count: 24,
        })
        .unwrap();
        e.seek(SimTime::from_hours(8));
        ChartData::build(&e)
    }

    fn count(hay: &str, needle: &str) -> usize {
        hay.matches(needle).count()
    }

    #[test]
    fn cost_chart_stacks_ec2_and_fee_under_fargate_and_the_bound() {
        let data = run();
        let (svg, frame) = svg(ChartKind::CostRate, &data);
        assert!(svg.starts_with("<svg"), "{}", &svg[..80.min(svg.len())]);
        // Two filled areas (fee on top of EC2), two lines, in the theme's colours.
        assert!(count(&svg, "<polygon") >= 2, "stacked areas");
        assert!(
            count(&svg, "<polyline") >= 2,
            "fargate and lower bound lines"
        );
        for c in [
            Palette::LIGHT.ec2,
            Palette::LIGHT.fee,
            Palette::LIGHT.fargate,
            Palette::LIGHT.lower,
        ] {
            let hex = format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2);
            assert!(svg.contains(&hex), "colour {hex} is used");
        }
        for label in [
            "EC2 instances",
            "Managed Instances fee",
            "Fargate, same tasks",
            "Lower bound",
            "$ per hour",
        ] {
            assert!(svg.contains(label), "legend/axis text {label}");
        }
        // The scale-out at 2 h launched hosts: the chart says so.
        assert!(svg.contains("host"), "launch annotation");
        assert!(frame.left < frame.right && frame.t1 > frame.t0);
        assert!((frame.hours_at(frame.right) - 8.0).abs() < 0.01);
    }

    #[test]
    fn every_chart_draws_its_series_with_labelled_axes() {
        let data = run();
        for kind in ChartKind::ALL {
            let (svg, _) = svg(kind, &data);
            assert!(
                count(&svg, "<polyline") + count(&svg, "<polygon") >= 2,
                "{kind:?} has series"
            );
            assert!(svg.contains("<text"), "{kind:?} has labels");
            // Time axis in clock format for a run shorter than two days.
            assert!(
                svg.contains("04:00") || svg.contains("06:00"),
                "{kind:?} time labels"
            );
        }
    }

    #[test]
    fn empty_data_draws_an_empty_chart_without_panicking() {
        let (svg, _) = svg(ChartKind::CostRate, &ChartData::default());
        assert!(svg.contains("<svg"));
    }

    #[test]
    fn nice_numbers() {
        assert_eq!(nice_max(0.0), 1.0);
        assert_eq!(nice_max(3.7), 5.0);
        assert_eq!(nice_max(96.0), 100.0);
        assert_eq!(short_number(1234.0), "1.2k");
        assert_eq!(short_number(0.25), "0.25");
    }
}
