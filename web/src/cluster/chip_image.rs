//! A dense host tile's tasks as one small image instead of one element per chip. At 20,000
//! tasks the DOM chips cost seconds per frame (style, layout and their CSS transitions); a
//! `<canvas>` per tile fixed that but made every tile a compositor layer (2,000 of them at
//! the host limit, 200 ms frames). So the chips are drawn on one scratch canvas outside the
//! page and shown as an `<img>` (a data URL), which paints like any picture; the image is
//! redrawn only when its host's snapshot changes. The grid is fixed (`COLS` chips of `PITCH`
//! CSS pixels a row), so drawing never measures the page. The host stays a DOM card with its
//! name button; a click on a chip selects that task, and the details panel lists the selected
//! host's tasks as buttons for keyboards and screen readers.
//!
//! Pictures are drawn from a queue, a few milliseconds' worth per animation frame, and tiles
//! never drawn go first. A patch wave or the first placement changes hundreds of hosts in one
//! step, and encoding all their pictures at once blocked frames for 300 ms at the documented
//! limits; paced, a tile shows its previous picture for a few frames instead.

use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, VecDeque};
use std::f64::consts::PI;
use std::rc::Rc;

use fleetsim_core::world::TaskState;
use gloo_render::{request_animation_frame, AnimationFrame};
use wasm_bindgen::JsCast;
use web_sys::{
    CanvasRenderingContext2d, Element, HtmlCanvasElement, HtmlElement, HtmlImageElement,
};
use yew::prelude::*;

use super::host_card::chip_title;
use crate::slice::wall_ms;
use crate::snapshot::{Chip, HostSnap};
use crate::state::{Action, Selection};
use crate::theme::Theme;

/// Chips per row, and the cell each takes (a 6 px chip and a 2 px gap), in CSS pixels.
pub const COLS: u32 = 12;
pub const PITCH: u32 = 8;
const CHIP: f64 = 6.0;

#[derive(Properties, PartialEq)]
pub struct ChipImageProps {
    pub host: Rc<HostSnap>,
    pub services: Rc<Vec<AttrValue>>,
    pub selected_task: Option<u32>,
    pub theme: Theme,
    pub dispatch: Callback<Action>,
}

#[component]
pub fn ChipImage(props: &ChipImageProps) -> Html {
    let img = use_node_ref();
    let tile = *use_state(Queue::new_tile);
    let n = props.host.tasks.len() as u32;
    let (w, h) = (COLS * PITCH, n.div_ceil(COLS).max(1) * PITCH);
    {
        let img = img.clone();
        use_effect_with(
            (props.host.clone(), props.selected_task, props.theme),
            move |(host, selected, theme)| {
                if let Some(img) = img.cast::<HtmlImageElement>() {
                    Queue::request(
                        tile,
                        Job {
                            img,
                            host: host.clone(),
                            selected: *selected,
                            theme: *theme,
                            size: (w, h),
                        },
                    );
                }
            },
        );
    }
    use_effect_with((), move |_| move || Queue::forget(tile));
    let at = {
        let host = props.host.clone();
        move |e: &MouseEvent| -> Option<Chip> {
            let el = e.target_dyn_into::<HtmlElement>()?;
            // The image may be drawn narrower than its grid (a narrow tile): scale back.
            let scale = f64::from(w) / f64::from(el.client_width().max(1));
            let col = (f64::from(e.offset_x()) * scale) as u32 / PITCH;
            let row = (f64::from(e.offset_y()) * scale) as u32 / PITCH;
            (col < COLS)
                .then(|| host.tasks.get((row * COLS + col) as usize).copied())
                .flatten()
        }
    };
    let onclick = {
        let (at, dispatch) = (at.clone(), props.dispatch.clone());
        Callback::from(move |e: MouseEvent| {
            if let Some(c) = at(&e) {
                e.stop_propagation();
                dispatch.emit(Action::Select(Some(Selection::Task(c.id))));
            }
        })
    };
    // The tooltip of the chip under the pointer, set only while hovering: no title per chip
    // is built while time runs.
    let onmousemove = {
        let services = props.services.clone();
        Callback::from(move |e: MouseEvent| {
            let title = at(&e).map_or_else(String::new, |c| chip_title(&c, &services));
            if let Some(el) = e.target_dyn_into::<HtmlElement>() {
                if el.title() != title {
                    el.set_title(&title);
                }
            }
        })
    };
    html! {
        <img ref={img} class="chips" data-testid="chips" data-chips={n.to_string()}
            alt={format!("{n} tasks")} width={w.to_string()} height={h.to_string()}
            {onclick} {onmousemove} />
    }
}

/// Milliseconds of picture drawing per animation frame (at least one picture is drawn).
const FRAME_BUDGET_MS: f64 = 4.0;

/// One tile's latest request: what to draw and where.
struct Job {
    img: HtmlImageElement,
    host: Rc<HostSnap>,
    selected: Option<u32>,
    theme: Theme,
    size: (u32, u32),
}

/// Tiles waiting for a picture, in request order, never-drawn tiles first. A tile asked
/// again while waiting keeps its place and draws only its latest request.
#[derive(Default)]
struct Queue {
    jobs: BTreeMap<u64, Job>,
    fresh: VecDeque<u64>,
    stale: VecDeque<u64>,
    pump: Option<AnimationFrame>,
}

thread_local! {
    static QUEUE: RefCell<Queue> = RefCell::new(Queue::default());
    static NEXT_TILE: Cell<u64> = const { Cell::new(0) };
}

impl Queue {
    fn new_tile() -> u64 {
        NEXT_TILE.with(|n| {
            n.set(n.get() + 1);
            n.get()
        })
    }

    fn request(tile: u64, job: Job) {
        QUEUE.with_borrow_mut(|q| {
            // An image with a picture already has a source; a new tile has none.
            let fresh = job.img.src().is_empty();
            if q.jobs.insert(tile, job).is_none() {
                if fresh {
                    q.fresh.push_back(tile);
                } else {
                    q.stale.push_back(tile);
                }
            }
            if q.pump.is_none() {
                q.pump = Some(request_animation_frame(|_| Queue::drain()));
            }
        });
    }

    /// The tile left the page: drop its request (its id stays in a deque and is skipped).
    fn forget(tile: u64) {
        QUEUE.with_borrow_mut(|q| {
            q.jobs.remove(&tile);
        });
    }

    fn next(&mut self) -> Option<Job> {
        while let Some(tile) = self.fresh.pop_front().or_else(|| self.stale.pop_front()) {
            if let Some(job) = self.jobs.remove(&tile) {
                return Some(job);
            }
        }
        None
    }

    fn drain() {
        let start = wall_ms();
        loop {
            // The queue is not borrowed while drawing: reading a colour may lay the page out.
            let Some(job) = QUEUE.with_borrow_mut(Queue::next) else {
                break;
            };
            if let Some(url) = picture(&job.img, &job.host.tasks, job.selected, job.theme, job.size)
            {
                job.img.set_src(&url);
            }
            if wall_ms() - start >= FRAME_BUDGET_MS {
                break;
            }
        }
        QUEUE.with_borrow_mut(|q| {
            q.pump = (!q.jobs.is_empty()).then(|| request_animation_frame(|_| Queue::drain()));
        });
    }
}

/// The theme's colours as the CSS defines them, read once per theme.
struct Colours {
    services: Vec<String>,
    green: String,
    text: String,
    accent: String,
}

thread_local! {
    static COLOURS: RefCell<Option<(Theme, Rc<Colours>)>> = const { RefCell::new(None) };
}

fn colours(el: &Element, theme: Theme) -> Option<Rc<Colours>> {
    if let Some(c) = COLOURS.with_borrow(|c| {
        c.as_ref()
            .filter(|(t, _)| *t == theme)
            .map(|(_, c)| c.clone())
    }) {
        return Some(c);
    }
    let style = web_sys::window()?.get_computed_style(el).ok()??;
    let var = |name: &str| {
        style
            .get_property_value(name)
            .map(|v| v.trim().to_string())
            .unwrap_or_default()
    };
    let c = Rc::new(Colours {
        services: (0..crate::format::SERVICE_COLOURS)
            .map(|i| var(&format!("--svc-{i}")))
            .collect(),
        green: var("--green-rev"),
        text: var("--text"),
        accent: var("--accent"),
    });
    COLOURS.with_borrow_mut(|slot| *slot = Some((theme, c.clone())));
    Some(c)
}

thread_local! {
    /// The one canvas every tile's picture is drawn on; never in the page.
    static SCRATCH: Option<HtmlCanvasElement> = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.create_element("canvas").ok())
        .and_then(|c| c.dyn_into().ok());
}

/// The tile's chips as a PNG data URL, at the screen's pixel density.
fn picture(
    el: &Element,
    chips: &[Chip],
    selected: Option<u32>,
    theme: Theme,
    (w, h): (u32, u32),
) -> Option<String> {
    let colours = colours(el, theme)?;
    SCRATCH.with(|canvas| {
        let canvas = canvas.as_ref()?;
        let dpr = web_sys::window()
            .map_or(1.0, |w| w.device_pixel_ratio())
            .max(1.0);
        canvas.set_width((f64::from(w) * dpr).round() as u32);
        canvas.set_height((f64::from(h) * dpr).round() as u32);
        let ctx = canvas
            .get_context("2d")
            .ok()
            .flatten()?
            .dyn_into::<CanvasRenderingContext2d>()
            .ok()?;
        let _ = ctx.set_transform(dpr, 0.0, 0.0, dpr, 0.0, 0.0);
        ctx.set_line_width(1.0);
        // Resizing the canvas reset its state to these.
        let mut pen = Pen::default();
        for (i, c) in chips.iter().enumerate() {
            let i = i as u32;
            let at = (f64::from(i % COLS * PITCH), f64::from(i / COLS * PITCH));
            chip(&ctx, &colours, &mut pen, c, selected == Some(c.id), at);
        }
        canvas.to_data_url().ok()
    })
}

/// The canvas state last set, so a tile of one service sets its colour once, not per chip
/// (each setting crosses into JavaScript and parses a colour string).
#[derive(Default)]
struct Pen {
    fill: Option<usize>,
    stroke: Option<usize>,
    faded: bool,
}

/// Colour keys beyond the services' indexes.
const GREEN: usize = usize::MAX;
const TEXT: usize = usize::MAX - 1;
const ACCENT: usize = usize::MAX - 2;

impl Pen {
    fn colour(k: &Colours, key: usize) -> &str {
        match key {
            GREEN => &k.green,
            TEXT => &k.text,
            ACCENT => &k.accent,
            i => &k.services[i % k.services.len()],
        }
    }
    fn fill(&mut self, ctx: &CanvasRenderingContext2d, k: &Colours, key: usize) {
        if self.fill != Some(key) {
            ctx.set_fill_style_str(Pen::colour(k, key));
            self.fill = Some(key);
        }
    }
    fn stroke(&mut self, ctx: &CanvasRenderingContext2d, k: &Colours, key: usize) {
        if self.stroke != Some(key) {
            ctx.set_stroke_style_str(Pen::colour(k, key));
            self.stroke = Some(key);
        }
    }
    fn fade(&mut self, ctx: &CanvasRenderingContext2d, faded: bool) {
        if self.faded != faded {
            ctx.set_global_alpha(if faded { 0.35 } else { 1.0 });
            self.faded = faded;
        }
    }
}

/// One chip, in the same visual language as the DOM chips (app.css `.task`): service colour;
/// hollow while starting, half full while activating, faded and smaller while stopping; the
/// green revision a diamond, standalone tasks round; an outline when protected or selected.
fn chip(
    ctx: &CanvasRenderingContext2d,
    k: &Colours,
    pen: &mut Pen,
    c: &Chip,
    selected: bool,
    (x, y): (f64, f64),
) {
    let svc = c.svc as usize;
    let stopping = matches!(
        c.state,
        TaskState::Deactivating | TaskState::Stopping | TaskState::Stopped
    ) || c.stopping;
    pen.fade(ctx, stopping);
    pen.fill(ctx, k, svc);
    let plain = !c.standalone && !c.green && !c.protected && !selected;
    if plain && !stopping && matches!(c.state, TaskState::Running) {
        // Most chips: one call.
        ctx.fill_rect(x, y, CHIP, CHIP);
        return;
    }
    let size = if stopping { CHIP * 0.7 } else { CHIP };
    let (cx, cy) = (x + CHIP / 2.0, y + CHIP / 2.0);
    ctx.begin_path();
    let r = size / 2.0;
    if c.standalone {
        let _ = ctx.arc(cx, cy, r, 0.0, 2.0 * PI);
    } else if c.green {
        ctx.move_to(cx, cy - r);
        ctx.line_to(cx + r, cy);
        ctx.line_to(cx, cy + r);
        ctx.line_to(cx - r, cy);
        ctx.close_path();
    } else {
        ctx.rect(cx - r, cy - r, size, size);
    }
    pen.stroke(ctx, k, if c.green { GREEN } else { svc });
    match c.state {
        TaskState::Provisioning | TaskState::Pending => {
            // Hollow: an inset outline (save and restore keep the pen's colours).
            ctx.save();
            ctx.clip();
            ctx.set_line_width(2.0);
            ctx.stroke();
            ctx.restore();
        }
        TaskState::Activating => {
            ctx.save();
            ctx.clip();
            ctx.fill_rect(cx - r, cy, size, r);
            ctx.set_line_width(2.0);
            ctx.stroke();
            ctx.restore();
        }
        _ => {
            ctx.fill();
            if c.green {
                ctx.stroke();
            }
        }
    }
    if c.protected || selected {
        pen.fade(ctx, false);
        pen.stroke(ctx, k, if selected { ACCENT } else { TEXT });
        ctx.set_line_width(if selected { 1.5 } else { 1.0 });
        ctx.stroke_rect(x - 0.5, y - 0.5, CHIP + 1.0, CHIP + 1.0);
        ctx.set_line_width(1.0);
    }
}
