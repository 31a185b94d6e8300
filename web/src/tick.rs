//! The frame clock: one `requestAnimationFrame` per display frame, reporting the wall time
//! since the previous frame. The pending frame's handle is owned by the hook (dropping it
//! cancels the frame), so unmounting stops the loop; nothing is leaked with `.forget()`.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use gloo_render::{request_animation_frame, AnimationFrame};
use yew::prelude::*;

type Slot = Rc<RefCell<Option<AnimationFrame>>>;

fn schedule(slot: Slot, last: Rc<Cell<Option<f64>>>, on_frame: Callback<f64>) {
    let next = slot.clone();
    let frame = request_animation_frame(move |now| {
        let dt = last.replace(Some(now)).map_or(0.0, |prev| now - prev);
        on_frame.emit(dt);
        schedule(next, last, on_frame);
    });
    *slot.borrow_mut() = Some(frame);
}

/// Calls `on_frame(wall_ms_since_last_frame)` on every animation frame while mounted.
#[hook]
pub fn use_frame_clock(on_frame: Callback<f64>) {
    use_effect_with((), move |_| {
        let slot: Slot = Rc::new(RefCell::new(None));
        schedule(slot.clone(), Rc::new(Cell::new(None)), on_frame);
        move || {
            slot.borrow_mut().take();
        }
    });
}
