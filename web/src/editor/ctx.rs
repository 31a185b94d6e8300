//! Builders that tie one draft field to its JSON path, its parser and its setter, so the
//! sections read as a list of fields.

use std::fmt::Display;
use std::rc::Rc;
use std::str::FromStr;

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
        html! { <Field path={path} label={label.to_string()} value={value.to_string()} errors={Rc::clone(&self.errors)} {on_commit} /> }
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
        html! { <Field path={path} label={label.to_string()} {value} errors={Rc::clone(&self.errors)} {on_commit} hint="empty: the default" /> }
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
        html! { <Field path={path} label={label.to_string()} {value} errors={Rc::clone(&self.errors)} {on_commit} /> }
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
        options: &[(T, &'static str)],
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
        options: &[(T, &'static str)],
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
            .map(|(v, l)| (AttrValue::from(enum_name(v)), AttrValue::Static(l)))
            .collect();
        html! { <Choice path={path} label={label.to_string()} {options} selected={enum_name(value)} errors={Rc::clone(&self.errors)} {on_change} /> }
    }
}
