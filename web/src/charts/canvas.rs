//! A chart on a `<canvas>`: backing store sized CSS pixels × devicePixelRatio so lines stay
//! crisp on HiDPI screens and projectors, and a hover readout of the sample under the pointer
//! (plain DOM over the canvas, so hovering never redraws the chart).

use std::rc::Rc;

use fleetsim_core::metrics::Sample;
use fleetsim_core::time::HOUR;
use fleetsim_core::SimTime;
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use web_sys::HtmlCanvasElement;
use yew::prelude::*;

use super::{draw, ChartKind, Frame, Palette};
use crate::snapshot::ChartData;

#[derive(Properties, PartialEq)]
pub struct ChartCanvasProps {
    pub kind: ChartKind,
    pub data: Rc<ChartData>,
    pub palette: Palette,
    /// Type scale of the theme (projector mode draws larger).
    pub type_scale: f64,
}

#[component]
pub fn ChartCanvas(props: &ChartCanvasProps) -> Html {
    let canvas = use_node_ref();
    let frame = use_mut_ref(|| (Frame::default(), 1.0f64));
    let hover = use_state(|| None::<(f64, String)>);
    // Bumped on window resize so the canvas is re-measured and redrawn.
    let size_gen = use_state(|| 0u32);
    {
        let size_gen = size_gen.clone();
        use_effect_with((), move |_| {
            let window = gloo_utils_window();
            let listener = gloo_events::EventListener::new(&window, "resize", move |_| {
                size_gen.set(*size_gen + 1);
            });
            move || drop(listener)
        });
    }
    let measured = use_mut_ref(|| None::<(u32, f64, f64)>);
    {
        let canvas = canvas.clone();
        let frame = frame.clone();
        use_effect_with(
            (
                props.kind,
                props.data.clone(),
                props.palette,
                props.type_scale,
                *size_gen,
            ),
            move |(kind, data, palette, type_scale, size_gen)| {
                if let Some(el) = canvas.cast::<HtmlCanvasElement>() {
                    let dpr = gloo_utils_window().device_pixel_ratio().max(1.0);
                    // Measured once per window size: reading the size forces a style and
                    // layout pass, which at 2,000 host tiles costs hundreds of milliseconds
                    // when it lands after the cluster changed (every refresh while playing).
                    let (w, h) = match *measured.borrow() {
                        Some((g, w, h)) if g == *size_gen && w > 1.0 => (w, h),
                        _ => (
                            el.client_width().max(1) as f64,
                            el.client_height().max(1) as f64,
                        ),
                    };
                    *measured.borrow_mut() = Some((*size_gen, w, h));
                    let (bw, bh) = ((w * dpr).round() as u32, (h * dpr).round() as u32);
                    if el.width() != bw || el.height() != bh {
                        el.set_width(bw);
                        el.set_height(bh);
                    }
                    if let Some(backend) = CanvasBackend::with_canvas_object(el) {
                        let area = backend.into_drawing_area();
                        if let Ok(f) = draw(&area, *kind, data, palette, dpr * type_scale) {
                            *frame.borrow_mut() = (f, dpr);
                        }
                        let _ = area.present();
                    }
                }
            },
        );
    }
    let onmousemove = {
        let hover = hover.clone();
        let frame = frame.clone();
        let data = props.data.clone();
        let kind = props.kind;
        Callback::from(move |e: MouseEvent| {
            let (f, dpr) = *frame.borrow();
            let x = f64::from(e.offset_x());
            let hours = f.hours_at((x * dpr).round() as i32);
            let at = (hours * HOUR as f64) as u64;
            let nearest = data.samples.iter().min_by_key(|s| s.at.0.abs_diff(at));
            hover.set(nearest.map(|s| (x, readout(kind, s))));
        })
    };
    let onmouseleave = {
        let hover = hover.clone();
        Callback::from(move |_| hover.set(None))
    };
    html! {
        <div class="chart-wrap">
            <canvas ref={canvas} class="chart" data-testid={format!("chart-{}", props.kind.id())}
                role="img" aria-label={props.kind.title()} {onmousemove} {onmouseleave}></canvas>
            if let Some((x, text)) = &*hover {
                <div class="hover-line" style={format!("left:{x}px")}></div>
                <div class="readout" data-testid="chart-readout" style={format!("left:{x}px")}>{ text }</div>
            }
        </div>
    }
}

fn gloo_utils_window() -> web_sys::Window {
    web_sys::window().expect("a browser window")
}

fn readout(kind: ChartKind, s: &Sample) -> String {
    let when = time_only(s.at);
    match kind {
        ChartKind::CostRate => format!(
            "{when}: EC2 {} + fee {} = {}/h · Fargate {}/h · bound {}/h",
            s.ec2_per_hour,
            s.fee_per_hour,
            s.rate(),
            s.fargate_per_hour,
            s.lower_bound_per_hour
        ),
        ChartKind::Cumulative => format!(
            "{when}: spent {} · Fargate {} · bound {}",
            s.cumulative, s.fargate_cumulative, s.lower_bound_cumulative
        ),
        ChartKind::Fleet => format!(
            "{when}: {} hosts ({} draining) · {} tasks running · {} pending",
            s.hosts, s.hosts_draining, s.tasks_running, s.tasks_pending
        ),
        ChartKind::Traffic => format!(
            "{when}: {:.1} % on green · {} req/s · {} failing/s",
            f64::from(s.green_bp) / 100.0,
            s.rps,
            s.errors_per_sec
        ),
    }
}

/// "Day 3 · 14:20" (the core's clock without seconds).
pub fn time_only(t: SimTime) -> String {
    let full = t.to_string();
    full[..full.len() - 3].to_string()
}
