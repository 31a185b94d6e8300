//! Charts drawn with plotters. Every function takes any `DrawingBackend`: the page draws on a
//! canvas (`canvas.rs`), the native tests into an SVG string, so what the audience sees is
//! snapshot-tested without a browser.

pub mod canvas;
mod cost_rate;
mod cumulative;
mod fleet;
mod traffic;

use fleetsim_core::metrics::Sample;
use fleetsim_core::time::{DAY, HOUR};
use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;

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

pub(crate) fn dollars(m: fleetsim_core::Micros) -> f64 {
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

pub(crate) fn err<E: std::fmt::Debug>(e: E) -> String {
    format!("{e:?}")
}

/// The chart as drawn: the primary and secondary coordinates, over simulated hours.
pub(crate) type Dual<'a, 'b, DB> = plotters::chart::DualCoordChartContext<
    'a,
    DB,
    Cartesian2d<RangedCoordf64, RangedCoordf64>,
    Cartesian2d<RangedCoordf64, RangedCoordf64>,
>;

/// What one chart plots: four values per sample, the columns its left axis scales to, and
/// its right axis when it has one.
pub(crate) struct Spec {
    pub values: fn(&Sample) -> [f64; 4],
    pub primary: &'static [usize],
    /// A fixed top for the left axis instead of the columns' maximum (a percentage ends at
    /// 100).
    pub y_top: Option<f64>,
    pub y_desc: &'static str,
    /// Columns, description and the least top of the right axis.
    pub secondary: Option<(&'static [usize], &'static str, f64)>,
}

impl ChartKind {
    fn spec(self) -> Spec {
        match self {
            ChartKind::CostRate => cost_rate::SPEC,
            ChartKind::Cumulative => cumulative::SPEC,
            ChartKind::Fleet => fleet::SPEC,
            ChartKind::Traffic => traffic::SPEC,
        }
    }
}

/// The series of one chart and how to stroke them at this scale.
pub(crate) struct Pens<'p> {
    series: Vec<(f64, [f64; 4])>,
    pub pal: &'p Palette,
    scale: f64,
}

impl Pens<'_> {
    /// Column `c` of every sample, against simulated hours.
    pub fn col(&self, c: usize) -> impl Iterator<Item = (f64, f64)> + Clone + '_ {
        self.series.iter().map(move |(t, v)| (*t, v[c]))
    }
    pub fn px(&self, v: f64) -> u32 {
        (v * self.scale).round() as u32
    }
    pub fn stroke(&self, c: RGBColor, w: f64) -> ShapeStyle {
        c.stroke_width(self.px(w).max(1))
    }
    /// A legend key: a short line in the series' own stroke.
    pub fn line_key(&self, c: RGBColor, w: f64) -> impl Fn((i32, i32)) -> PathElement<(i32, i32)> {
        let style = self.stroke(c, w);
        move |(x, y)| PathElement::new([(x, y), (x + 14, y)], style)
    }
    /// A legend key: a swatch for a filled area.
    pub fn area_key(&self, c: RGBColor) -> impl Fn((i32, i32)) -> Rectangle<(i32, i32)> {
        move |(x, y)| Rectangle::new([(x, y - 5), (x + 14, y + 5)], c.filled())
    }
    fn max_of(&self, cols: &[usize]) -> f64 {
        self.series
            .iter()
            .flat_map(|(_, v)| cols.iter().map(move |&c| v[c]))
            .fold(0.0f64, f64::max)
    }
}

/// Draws one chart filling `area`: the frame, axes and legend every chart shares, and the
/// chart's own series (one module each). `scale` multiplies font sizes and line widths
/// (device pixel ratio times the theme's type scale).
pub fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    kind: ChartKind,
    data: &ChartData,
    pal: &Palette,
    scale: f64,
) -> DrawResult<Frame> {
    area.fill(&pal.bg).map_err(err)?;
    let spec = kind.spec();
    let s = &data.samples;
    let t0 = s.first().map_or(0.0, hours);
    let t1 = s.last().map_or(1.0, hours).max(t0 + 0.25);
    let font = |size: f64| ("sans-serif", size * scale).into_font().color(&pal.fg);
    let pens = Pens {
        series: s.iter().map(|x| (hours(x), (spec.values)(x))).collect(),
        pal,
        scale,
    };
    let y_max = spec
        .y_top
        .unwrap_or_else(|| nice_max(pens.max_of(spec.primary)));
    let span = t1 - t0;
    let right = spec.secondary.map_or(1.0, |(cols, _, least)| {
        nice_max(pens.max_of(cols).max(least))
    });
    let mut chart = ChartBuilder::on(area)
        .margin(pens.px(10.0))
        .margin_top(pens.px(26.0))
        .x_label_area_size(pens.px(28.0))
        .y_label_area_size(pens.px(58.0))
        .right_y_label_area_size(if spec.secondary.is_some() {
            pens.px(52.0)
        } else {
            0
        })
        .build_cartesian_2d(t0..t1, 0.0..y_max)
        .map_err(err)?
        .set_secondary_coord(t0..t1, 0.0..right);
    chart
        .configure_mesh()
        .light_line_style(pal.grid.mix(0.35))
        .bold_line_style(pal.grid)
        .axis_style(pal.grid)
        .x_labels(6)
        .y_labels(5)
        .x_label_formatter(&|h| time_label(h, span))
        .y_label_formatter(&|v| short_number(*v))
        .y_desc(spec.y_desc)
        .label_style(font(12.0))
        .axis_desc_style(font(12.0))
        .draw()
        .map_err(err)?;
    if let Some((_, desc, _)) = spec.secondary {
        chart
            .configure_secondary_axes()
            .y_labels(5)
            .y_label_formatter(&|v| short_number(*v))
            .y_desc(desc)
            .label_style(font(12.0))
            .axis_desc_style(font(12.0))
            .axis_style(pal.grid)
            .draw()
            .map_err(err)?;
    }
    match kind {
        ChartKind::CostRate => {
            cost_rate::series(&mut chart, &pens)?;
            cost_rate::annotate(&mut chart, data, pal, scale, (t0, t1), y_max)?;
        }
        ChartKind::Cumulative => cumulative::series(&mut chart, &pens)?,
        ChartKind::Fleet => fleet::series(&mut chart, &pens)?,
        ChartKind::Traffic => traffic::series(&mut chart, &pens)?,
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
