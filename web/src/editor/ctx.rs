//! Builders that tie one draft field to its JSON path, its parser and its setter, so the
//! sections read as a list of fields.

use std::fmt::Display;
use std::rc::Rc;
use std::str::FromStr;

use fleetsim_core::scenario::fields::{specs_at, FieldSpec, Unit};
use fleetsim_core::{Scenario, ValidationErrors};
use serde::de::DeserializeOwned;
use serde::Serialize;
use yew::prelude::*;

use super::fields::{Check, Choice, Field};

/// A change to the draft (applied by the editor's reducer).
pub type Edit = Callback<Rc<dyn Fn(&mut Scenario)>>;
type Setter<T> = Rc<dyn Fn(&mut Scenario, T)>;

#[derive(Clone)]
pub struct Ctx {
    pub edit: Edit,
    pub errors: Rc<ValidationErrors>,
}

/// The JSON name of an enum value ("BLUE_GREEN"): the same names the scenario file uses.
pub fn enum_name<T: Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(String::from))
        .unwrap_or_default()
}

fn enum_from<T: DeserializeOwned>(name: &str) -> Option<T> {
    serde_json::from_value(serde_json::Value::String(name.to_string())).ok()
}

/// What the core's field table says about the field at `path`: the unit after its label, the
/// range and default under the box, the help as the box's tooltip.
pub struct Described {
    pub unit: AttrValue,
    pub range: AttrValue,
    pub help: AttrValue,
}

/// A unit worth a label's "(…)": counts of things are named by the label itself.
fn label_unit(u: Unit) -> &'static str {
    match u {
        Unit::Tasks | Unit::Instances | Unit::Count | Unit::Enis | Unit::Vcpu => "",
        Unit::HourOfDay => "UTC",
        u => u.name(),
    }
}

fn range_and_default(s: &FieldSpec) -> String {
    let when = s
        .when
        .map(|(_, values)| format!(" when {}", values.join(" or ")))
        .unwrap_or_default();
    match s.default {
        Some(d) => format!(
            "{}{when}, default {}",
            s.range_text(),
            s.value_text(d.into())
        ),
        None => format!("{}{when}", s.range_text()),
    }
}

pub fn described(path: &str) -> Described {
    let specs: Vec<&FieldSpec> = specs_at(path).collect();
    let unit = match specs.as_slice() {
        [first, rest @ ..] if rest.iter().all(|s| s.unit == first.unit) => label_unit(first.unit),
        _ => "",
    };
    let range: Vec<String> = specs.iter().map(|s| range_and_default(s)).collect();
    let help: Vec<&str> = specs.iter().map(|s| s.help).collect();
    Described {
        unit: AttrValue::Static(unit),
        range: range.join(" · ").into(),
        help: help.join(" ").into(),
    }
}

impl Ctx {
    pub fn on_click(&self, f: impl Fn(&mut Scenario) + 'static) -> Callback<MouseEvent> {
        let f: Rc<dyn Fn(&mut Scenario)> = Rc::new(f);
        let edit = self.edit.clone();
        Callback::from(move |_| edit.emit(Rc::clone(&f)))
    }

    /// A required number.
    pub fn num<T>(
        &self,
        path: String,
        label: &str,
        value: T,
        set: impl Fn(&mut Scenario, T) + 'static,
    ) -> Html
    where
        T: FromStr + Display + Copy + 'static,
    {
        self.num_dyn(path, label, value, Rc::new(set))
    }

    // The `_dyn` bodies take the setter as a trait object: generic over each of the editor's
    // dozens of closures, they would be compiled once per field into the download.
    fn num_dyn<T>(&self, path: String, label: &str, value: T, set: Setter<T>) -> Html
    where
        T: FromStr + Display + Copy + 'static,
    {
        let edit = self.edit.clone();
        let on_commit = Callback::from(move |text: String| {
            let v: T = text
                .trim()
                .parse()
                .map_err(|_| format!("\"{}\" is not a whole number of 0 or more", text.trim()))?;
            let set = Rc::clone(&set);
            edit.emit(Rc::new(move |s: &mut Scenario| set(s, v)));
            Ok(())
        });
        let d = described(&path);
        html! { <Field path={path} label={label.to_string()} value={value.to_string()} errors={Rc::clone(&self.errors)} {on_commit}
        unit={d.unit} range={d.range} hint={d.help} /> }
    }

    /// A number that may be left empty (the documented default then applies).
    pub fn opt_num<T>(
        &self,
        path: String,
        label: &str,
        value: Option<T>,
        set: impl Fn(&mut Scenario, Option<T>) + 'static,
    ) -> Html
    where
        T: FromStr + Display + Copy + 'static,
    {
        self.opt_num_dyn(path, label, value, Rc::new(set))
    }

    fn opt_num_dyn<T>(
        &self,
        path: String,
        label: &str,
        value: Option<T>,
        set: Setter<Option<T>>,
    ) -> Html
    where
        T: FromStr + Display + Copy + 'static,
    {
        let edit = self.edit.clone();
        let on_commit = Callback::from(move |text: String| {
            let t = text.trim();
            let v: Option<T> = if t.is_empty() {
                None
            } else {
                Some(t.parse().map_err(|_| {
                    format!("\"{t}\" is not a number (leave empty for the default)")
                })?)
            };
            let set = Rc::clone(&set);
            edit.emit(Rc::new(move |s: &mut Scenario| set(s, v)));
            Ok(())
        });
        let value = value.map(|v| v.to_string()).unwrap_or_default();
        let d = described(&path);
        let hint = format!("{} Empty: the default.", d.help);
        html! { <Field path={path} label={label.to_string()} {value} errors={Rc::clone(&self.errors)} {on_commit}
        unit={d.unit} range={d.range} {hint} /> }
    }

    /// A value written as JSON text (decimal percentages such as `12.5`).
    pub fn json_num<T>(
        &self,
        path: String,
        label: &str,
        value: &T,
        set: impl Fn(&mut Scenario, T) + 'static,
    ) -> Html
    where
        T: Serialize + DeserializeOwned + Clone + 'static,
    {
        self.json_num_dyn(path, label, value, Rc::new(set))
    }

    fn json_num_dyn<T>(&self, path: String, label: &str, value: &T, set: Setter<T>) -> Html
    where
        T: Serialize + DeserializeOwned + Clone + 'static,
    {
        let edit = self.edit.clone();
        let on_commit = Callback::from(move |text: String| {
            let v: T = fleetsim_core::scenario::parse::field_value(text.trim())
                .map_err(|e| format!("\"{}\": {e}", text.trim()))?;
            let set = Rc::clone(&set);
            edit.emit(Rc::new(move |s: &mut Scenario| set(s, v.clone())));
            Ok(())
        });
        let value = serde_json::to_string(value).unwrap_or_default();
        let d = described(&path);
        html! { <Field path={path} label={label.to_string()} {value} errors={Rc::clone(&self.errors)} {on_commit}
        unit={d.unit} range={d.range} hint={d.help} /> }
    }

    pub fn text(
        &self,
        path: String,
        label: &str,
        value: &str,
        set: impl Fn(&mut Scenario, String) + 'static,
    ) -> Html {
        self.text_dyn(path, label, value, Rc::new(set))
    }

    fn text_dyn(&self, path: String, label: &str, value: &str, set: Setter<String>) -> Html {
        let edit = self.edit.clone();
        let on_commit = Callback::from(move |text: String| {
            let set = Rc::clone(&set);
            edit.emit(Rc::new(move |s: &mut Scenario| set(s, text.clone())));
            Ok(())
        });
        html! { <Field path={path} label={label.to_string()} value={value.to_string()} kind="text" errors={Rc::clone(&self.errors)} {on_commit} /> }
    }

    /// A comma-separated list of words (instance-type patterns, stages).
    pub fn list(
        &self,
        path: String,
        label: &str,
        value: &[String],
        set: impl Fn(&mut Scenario, Vec<String>) + 'static,
    ) -> Html {
        self.text(path, label, &value.join(", "), move |s, t| {
            set(
                s,
                t.split(',')
                    .map(str::trim)
                    .filter(|w| !w.is_empty())
                    .map(String::from)
                    .collect(),
            )
        })
    }

    pub fn check(
        &self,
        path: String,
        label: &str,
        value: bool,
        set: impl Fn(&mut Scenario, bool) + 'static,
    ) -> Html {
        self.check_dyn(path, label, value, Rc::new(set))
    }

    fn check_dyn(&self, path: String, label: &str, value: bool, set: Setter<bool>) -> Html {
        let edit = self.edit.clone();
        let on_change = Callback::from(move |v: bool| {
            let set = Rc::clone(&set);
            edit.emit(Rc::new(move |s: &mut Scenario| set(s, v)));
        });
        html! { <Check path={path} label={label.to_string()} checked={value} errors={Rc::clone(&self.errors)} {on_change} /> }
    }

    /// A choice among an enum's values, by their JSON names.
    pub fn choice<T>(
        &self,
        path: String,
        label: &str,
        options: &[(T, &str)],
        value: &T,
        set: impl Fn(&mut Scenario, T) + 'static,
    ) -> Html
    where
        T: Serialize + DeserializeOwned + Clone + 'static,
    {
        self.choice_dyn(path, label, options, value, Rc::new(set))
    }

    fn choice_dyn<T>(
        &self,
        path: String,
        label: &str,
        options: &[(T, &str)],
        value: &T,
        set: Setter<T>,
    ) -> Html
    where
        T: Serialize + DeserializeOwned + Clone + 'static,
    {
        let edit = self.edit.clone();
        let on_change = Callback::from(move |name: String| {
            if let Some(v) = enum_from::<T>(&name) {
                let set = Rc::clone(&set);
                edit.emit(Rc::new(move |s: &mut Scenario| set(s, v.clone())));
            }
        });
        let options: Vec<(AttrValue, AttrValue)> = options
            .iter()
            .map(|(v, l)| {
                (
                    AttrValue::from(enum_name(v)),
                    AttrValue::from(l.to_string()),
                )
            })
            .collect();
        html! { <Choice path={path} label={label.to_string()} {options} selected={enum_name(value)} errors={Rc::clone(&self.errors)} {on_change} /> }
    }
}
