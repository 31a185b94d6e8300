//! A lesson's answers, worked out by the core in slices across animation frames (a lesson over
//! a large world or many days would otherwise freeze the tab while the page opens it). The
//! pending frame is owned by the hook, so closing the lesson stops the work.

use std::cell::RefCell;
use std::rc::Rc;

use fleetsim_core::lesson::{Answering, StepAnswer};
use fleetsim_core::share::Shared;
use gloo_render::{request_animation_frame, AnimationFrame};
use yew::prelude::*;

/// Timers per frame: a few milliseconds of simulation, like a played frame.
const FRAME_TIMERS: u64 = 20_000;

pub type Answers = Rc<Vec<Result<StepAnswer, String>>>;

#[derive(Clone, Debug, PartialEq)]
pub enum Progress {
    Working { done: u32, of: u32 },
    Ready(Answers),
}

type Slot = Rc<RefCell<Option<AnimationFrame>>>;

fn schedule(run: Rc<RefCell<Answering>>, state: UseStateHandle<Progress>, slot: Slot) {
    let next = slot.clone();
    let frame = request_animation_frame(move |_| {
        let finished = run.borrow_mut().work(FRAME_TIMERS);
        if finished {
            state.set(Progress::Ready(Rc::new(run.borrow().answers().to_vec())));
        } else {
            let (done, of) = run.borrow().progress();
            state.set(Progress::Working { done, of });
            schedule(run, state, next);
        }
    });
    *slot.borrow_mut() = Some(frame);
}

/// The answers of `shared`'s lesson (none without one), recomputed when the state changes.
#[hook]
pub fn use_answers(shared: Rc<Shared>) -> Progress {
    let state = use_state(|| Progress::Working { done: 0, of: 0 });
    {
        let state = state.clone();
        use_effect_with(shared, move |shared| {
            let slot: Slot = Rc::new(RefCell::new(None));
            match &shared.lesson {
                Some(l) => {
                    let of = l.steps.len() as u32;
                    state.set(Progress::Working { done: 0, of });
                    let run = Answering::new(&shared.scenario, &shared.script, l);
                    schedule(Rc::new(RefCell::new(run)), state, slot.clone());
                }
                None => state.set(Progress::Ready(Rc::default())),
            }
            move || {
                slot.borrow_mut().take();
            }
        });
    }
    (*state).clone()
}
