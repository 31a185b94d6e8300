//! Typed reads from one file's JSON, with the file and JSON path in every error, CloudFormation
//! intrinsics resolved only where fleetsim needs the value (an `Fn::Sub` in a log option costs
//! nothing), placeholders refused in needed fields, and unread fields listed in the report.

use serde_json::{Map, Value};

use super::parse::join;
use super::report::Report;
use super::ImportError;

/// The parts of a CloudFormation template that intrinsics refer to.
pub struct Template<'a> {
    pub parameters: Option<&'a Map<String, Value>>,
    pub resources: &'a Map<String, Value>,
    pub conditions: Option<&'a Map<String, Value>>,
}

pub struct Ctx<'a> {
    pub file: &'a str,
    pub template: Option<Template<'a>>,
    pub report: &'a mut Report,
}

/// A field of an object: ECS API names are camelCase, CloudFormation's the same in PascalCase.
pub fn field<'v>(obj: &'v Map<String, Value>, name: &str) -> Option<(&'v str, &'v Value)> {
    if let Some((k, v)) = obj.get_key_value(name) {
        return Some((k.as_str(), v));
    }
    let mut pascal = String::with_capacity(name.len());
    let mut chars = name.chars();
    if let Some(c) = chars.next() {
        pascal.extend(c.to_uppercase());
    }
    pascal.extend(chars);
    obj.get_key_value(pascal.as_str())
        .map(|(k, v)| (k.as_str(), v))
}

/// Same name, either case of its first letter.
pub fn same_name(key: &str, name: &str) -> bool {
    let (mut a, mut b) = (key.chars(), name.chars());
    match (a.next(), b.next()) {
        (Some(x), Some(y)) => x.eq_ignore_ascii_case(&y) && a.as_str() == b.as_str(),
        _ => key == name,
    }
}

fn has_placeholder(s: &str) -> bool {
    s.contains("${") || s.contains("{{")
}

fn show(v: &Value) -> String {
    let mut s = v.to_string();
    if s.chars().count() > 80 {
        s = s.chars().take(80).collect::<String>() + "…";
    }
    s
}

impl Ctx<'_> {
    pub fn err(&self, path: &str, message: impl Into<String>) -> ImportError {
        ImportError::new(self.file, path, message)
    }

    /// A field's name as this file spells it: PascalCase in CloudFormation (for paths of
    /// absent fields, which `field` cannot give).
    pub fn name(&self, api: &str) -> String {
        if self.template.is_none() {
            return String::from(api);
        }
        let mut c = api.chars();
        c.next()
            .map(|f| f.to_uppercase().chain(c).collect())
            .unwrap_or_default()
    }

    pub fn choice(&mut self, path: &str, text: impl Into<String>) {
        self.report.choice(self.file, path, text);
    }

    /// Lists every non-empty key of `obj` not in `read`, with the reason `why(key)` gives.
    pub fn ignore_rest(
        &mut self,
        obj: &Map<String, Value>,
        path: &str,
        read: &[&str],
        why: impl Fn(&str) -> &'static str,
    ) {
        for (k, v) in obj {
            let empty = match v {
                Value::Null => true,
                Value::Array(a) => a.is_empty(),
                Value::Object(o) => o.is_empty(),
                Value::String(s) => s.is_empty(),
                _ => false,
            };
            if !empty && !read.iter().any(|r| same_name(k, r)) {
                self.report.ignored(self.file, &join(path, k), why(k));
            }
        }
    }

    /// The value with CloudFormation intrinsics worked out. `fallback` is what fleetsim uses when
    /// the template cannot give a value (reported as a choice); `None` → such a value is an error.
    /// `Ok(None)`: the field is absent (`AWS::NoValue`).
    pub fn resolve(
        &mut self,
        v: &Value,
        path: &str,
        fallback: Option<Value>,
    ) -> Result<Option<Value>, ImportError> {
        let Some(t) = &self.template else {
            return Ok(Some(v.clone()));
        };
        let Value::Object(o) = v else {
            return Ok(Some(v.clone()));
        };
        if o.len() != 1 {
            return Ok(Some(v.clone()));
        }
        let (k, arg) = o
            .iter()
            .next()
            .map(|(k, a)| (k.as_str(), a))
            .unwrap_or(("", v));
        match k {
            "Ref" => {
                let name = arg.as_str().unwrap_or_default().to_string();
                if name == "AWS::NoValue" {
                    return Ok(None);
                }
                if let Some(p) = t.parameters.and_then(|ps| ps.get(&name)) {
                    if let Some(d) = p.get("Default") {
                        let d = d.clone();
                        self.choice(
                            path,
                            format!(
                                "Parameters.{name} is deployed with its Default; used {}",
                                show(&d)
                            ),
                        );
                        return Ok(Some(d));
                    }
                    return self.fallback(
                        path,
                        fallback,
                        format!("Parameters.{name} has no default"),
                    );
                }
                if t.resources.contains_key(&name) {
                    // A reference to another resource: its logical ID links service → task
                    // definition → capacity provider.
                    return Ok(Some(Value::String(name)));
                }
                if name.starts_with("AWS::") {
                    return self.fallback(
                        path,
                        fallback,
                        format!("the pseudo parameter {name} is known only at deploy time"),
                    );
                }
                Err(self.err(path, format!("Ref names {name:?}, which is neither a parameter nor a resource of the template")))
            }
            "Fn::GetAtt" => {
                let res = match arg {
                    Value::Array(a) => a.first().and_then(Value::as_str).unwrap_or_default(),
                    Value::String(s) => s.split('.').next().unwrap_or_default(),
                    _ => "",
                };
                if t.resources.contains_key(res) {
                    Ok(Some(Value::String(res.to_string())))
                } else {
                    Err(self.err(
                        path,
                        format!(
                            "Fn::GetAtt names {res:?}, which is not a resource of the template"
                        ),
                    ))
                }
            }
            "Fn::If" => {
                let parts = arg.as_array().filter(|a| a.len() == 3).ok_or_else(|| {
                    self.err(
                        path,
                        "Fn::If needs [condition, value if true, value if false]",
                    )
                })?;
                let cond = parts[0].as_str().unwrap_or_default().to_string();
                let (value, how) = match self.condition(&cond) {
                    Some(b) => (b, "evaluated with the parameters' defaults"),
                    None => (true, "cannot be evaluated here; took its true branch"),
                };
                self.choice(path, format!("Conditions.{cond} {how}: {value}"));
                let branch = parts[if value { 1 } else { 2 }].clone();
                self.resolve(&branch, path, fallback)
            }
            "Fn::ImportValue" => self.fallback(
                path,
                fallback,
                String::from(
                    "Fn::ImportValue reads another stack's output, which this file does not hold",
                ),
            ),
            f if f.starts_with("Fn::") => {
                self.fallback(path, fallback, format!("{f} is computed at deploy time"))
            }
            _ => Ok(Some(v.clone())),
        }
    }

    fn fallback(
        &mut self,
        path: &str,
        fallback: Option<Value>,
        why: String,
    ) -> Result<Option<Value>, ImportError> {
        match fallback {
            Some(f) => {
                self.choice(path, format!("{why}; used {}", show(&f)));
                Ok(Some(f))
            }
            None => Err(self.err(path, format!("{why}, and fleetsim needs this value"))),
        }
    }

    /// `Fn::Equals`, `Fn::Not`, `Fn::And`, `Fn::Or` over parameter defaults; `None` otherwise.
    fn condition(&self, name: &str) -> Option<bool> {
        let t = self.template.as_ref()?;
        let c = t.conditions?.get(name)?;
        self.eval(c, 0)
    }

    fn eval(&self, c: &Value, depth: u32) -> Option<bool> {
        if depth > 16 {
            return None;
        }
        let (k, arg) = c.as_object().filter(|o| o.len() == 1)?.iter().next()?;
        let args = arg.as_array();
        match k.as_str() {
            "Fn::Equals" => {
                let a = args.filter(|a| a.len() == 2)?;
                Some(self.literal(&a[0])? == self.literal(&a[1])?)
            }
            "Fn::Not" => Some(!self.eval(args?.first()?, depth + 1)?),
            "Fn::And" => args?
                .iter()
                .try_fold(true, |acc, x| Some(acc & self.eval(x, depth + 1)?)),
            "Fn::Or" => args?
                .iter()
                .try_fold(false, |acc, x| Some(acc | self.eval(x, depth + 1)?)),
            "Condition" => self.condition(arg.as_str()?),
            _ => None,
        }
    }

    fn literal(&self, v: &Value) -> Option<String> {
        match v {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            Value::Object(o) => {
                let name = o.get("Ref")?.as_str()?;
                let d = self
                    .template
                    .as_ref()?
                    .parameters?
                    .get(name)?
                    .get("Default")?;
                self.literal(d)
            }
            _ => None,
        }
    }

    /// A string fleetsim needs (a name, an enum value): placeholders are an error.
    pub fn string(
        &mut self,
        v: &Value,
        path: &str,
        fallback: Option<&str>,
    ) -> Result<Option<String>, ImportError> {
        let Some(v) = self.resolve(v, path, fallback.map(Value::from))? else {
            return Ok(None);
        };
        match v {
            Value::String(s) if has_placeholder(&s) => Err(self.err(
                path,
                format!("{s:?} is a template placeholder, and fleetsim needs this value: fill it in first"),
            )),
            Value::String(s) => Ok(Some(s)),
            other => Err(self.err(path, format!("expected text, found {}", show(&other)))),
        }
    }

    /// A whole number in `lo..=hi`, given as a number or as text ("1024"); CloudFormation
    /// writes both.
    pub fn int(
        &mut self,
        v: &Value,
        path: &str,
        lo: i64,
        hi: i64,
        fallback: Option<i64>,
    ) -> Result<Option<i64>, ImportError> {
        let Some(v) = self.resolve(v, path, fallback.map(Value::from))? else {
            return Ok(None);
        };
        let n = match &v {
            Value::Number(n) => n.as_i64(),
            Value::String(s) if has_placeholder(s) => {
                return Err(self.err(
                    path,
                    format!("{s:?} is a template placeholder, and fleetsim needs this value: fill it in first"),
                ))
            }
            Value::String(s) => s.trim().parse::<i64>().ok(),
            _ => None,
        };
        let n = n.ok_or_else(|| {
            self.err(path, format!("expected a whole number, found {}", show(&v)))
        })?;
        if n < lo || n > hi {
            return Err(self.err(path, format!("{n}, must be {lo}–{hi}")));
        }
        Ok(Some(n))
    }

    /// `int` narrowed to u32 for the scenario (the range keeps it in bounds).
    pub fn u32(
        &mut self,
        v: &Value,
        path: &str,
        hi: u32,
        fallback: Option<u32>,
    ) -> Result<Option<u32>, ImportError> {
        Ok(self
            .int(v, path, 0, i64::from(hi), fallback.map(i64::from))?
            .map(|n| n as u32))
    }

    pub fn bool(&mut self, v: &Value, path: &str) -> Result<Option<bool>, ImportError> {
        let Some(v) = self.resolve(v, path, None)? else {
            return Ok(None);
        };
        match &v {
            Value::Bool(b) => Ok(Some(*b)),
            Value::String(s) if s.eq_ignore_ascii_case("true") => Ok(Some(true)),
            Value::String(s) if s.eq_ignore_ascii_case("false") => Ok(Some(false)),
            _ => Err(self.err(path, format!("expected true or false, found {}", show(&v)))),
        }
    }

    /// A list (an absent or `AWS::NoValue` list is empty).
    pub fn list(&mut self, v: &Value, path: &str) -> Result<Vec<Value>, ImportError> {
        match self.resolve(v, path, None)? {
            None | Some(Value::Null) => Ok(Vec::new()),
            Some(Value::Array(a)) => Ok(a),
            Some(other) => Err(self.err(path, format!("expected a list, found {}", show(&other)))),
        }
    }

    pub fn object(
        &mut self,
        v: &Value,
        path: &str,
    ) -> Result<Option<Map<String, Value>>, ImportError> {
        match self.resolve(v, path, None)? {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Object(o)) => Ok(Some(o)),
            Some(other) => {
                Err(self.err(path, format!("expected an object, found {}", show(&other))))
            }
        }
    }
}
