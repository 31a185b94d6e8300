//! File text → one JSON value. JSON is read with a duplicate-key check (serde_json keeps the
//! last value silently, as the AWS CLI's reader does, and the report must say so); YAML goes
//! through serde_yaml_ng, with CloudFormation's short tags (`!Ref`, `!GetAtt`, `!Sub`…)
//! turned into the long JSON form (`{"Ref": …}`, `{"Fn::GetAtt": […]}`) so one reader serves both.

use core::cell::RefCell;
use core::fmt;
use serde::de::{DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

use super::ImportError;

/// The parsed document and the paths of keys that appeared twice (the last value was kept).
pub struct Parsed {
    pub value: Value,
    pub duplicate_keys: Vec<String>,
}

pub fn parse(file: &str, text: &str) -> Result<Parsed, ImportError> {
    let first = text.trim_start().chars().next();
    if first == Some('{') || first == Some('[') {
        parse_json(file, text)
    } else {
        parse_yaml(file, text)
    }
}

fn parse_json(file: &str, text: &str) -> Result<Parsed, ImportError> {
    let dups = RefCell::new(Vec::new());
    let mut de = serde_json::Deserializer::from_str(text);
    let value = Seed {
        path: String::new(),
        dups: &dups,
    }
    .deserialize(&mut de)
    .and_then(|v| de.end().map(|()| v))
    .map_err(|e| {
        ImportError::new(
            file,
            "",
            format!(
                "not valid JSON at line {}, column {}: {e}",
                e.line(),
                e.column()
            ),
        )
    })?;
    Ok(Parsed {
        value,
        duplicate_keys: dups.into_inner(),
    })
}

fn parse_yaml(file: &str, text: &str) -> Result<Parsed, ImportError> {
    let yaml: serde_yaml_ng::Value = serde_yaml_ng::from_str(text)
        .map_err(|e| ImportError::new(file, "", format!("not valid JSON or YAML: {e}")))?;
    let value = yaml_to_json(file, "", yaml)?;
    Ok(Parsed {
        value,
        duplicate_keys: Vec::new(),
    })
}

fn yaml_to_json(file: &str, path: &str, y: serde_yaml_ng::Value) -> Result<Value, ImportError> {
    use serde_yaml_ng::Value as Y;
    Ok(match y {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(b),
        Y::Number(n) => {
            if let Some(u) = n.as_u64() {
                Value::from(u)
            } else if let Some(i) = n.as_i64() {
                Value::from(i)
            } else {
                n.as_f64()
                    .and_then(Number::from_f64)
                    .map(Value::Number)
                    .unwrap_or(Value::Null)
            }
        }
        Y::String(s) => Value::String(s),
        Y::Sequence(items) => Value::Array(
            items
                .into_iter()
                .enumerate()
                .map(|(i, v)| yaml_to_json(file, &format!("{path}[{i}]"), v))
                .collect::<Result<_, _>>()?,
        ),
        Y::Mapping(m) => {
            let mut out = Map::new();
            for (k, v) in m {
                let key = match k {
                    Y::String(s) => s,
                    Y::Number(n) => n.to_string(),
                    Y::Bool(b) => b.to_string(),
                    other => {
                        return Err(ImportError::new(
                            file,
                            path,
                            format!("a mapping key must be text, found {other:?}"),
                        ))
                    }
                };
                let p = join(path, &key);
                out.insert(key, yaml_to_json(file, &p, v)?);
            }
            Value::Object(out)
        }
        Y::Tagged(t) => {
            let tag = t.tag.to_string();
            let name = tag.trim_start_matches('!');
            let inner = yaml_to_json(file, path, t.value)?;
            let (key, inner) = match name {
                "Ref" => (String::from("Ref"), inner),
                "Condition" => (String::from("Condition"), inner),
                // `!GetAtt Res.Attr` is the short form of `Fn::GetAtt: [Res, Attr]`.
                "GetAtt" => match inner {
                    Value::String(s) => {
                        let (res, attr) = s.split_once('.').unwrap_or((s.as_str(), ""));
                        (
                            String::from("Fn::GetAtt"),
                            Value::Array(vec![Value::from(res), Value::from(attr)]),
                        )
                    }
                    other => (String::from("Fn::GetAtt"), other),
                },
                other => (format!("Fn::{other}"), inner),
            };
            let mut m = Map::new();
            m.insert(key, inner);
            Value::Object(m)
        }
    })
}

pub fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        String::from(key)
    } else {
        format!("{path}.{key}")
    }
}

/// Builds a `serde_json::Value` like its own `Deserialize`, noting keys seen twice.
struct Seed<'a> {
    path: String,
    dups: &'a RefCell<Vec<String>>,
}

impl<'de> DeserializeSeed<'de> for Seed<'_> {
    type Value = Value;
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Seed<'_> {
    type Value = Value;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Number::from_f64(v).map_or(Value::Null, Value::Number))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut out = Vec::new();
        while let Some(v) = seq.next_element_seed(Seed {
            path: format!("{}[{}]", self.path, out.len()),
            dups: self.dups,
        })? {
            out.push(v);
        }
        Ok(Value::Array(out))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let path = join(&self.path, &key);
            let v = map.next_value_seed(Seed {
                path: path.clone(),
                dups: self.dups,
            })?;
            if out.insert(key, v).is_some() {
                self.dups.borrow_mut().push(path);
            }
        }
        Ok(Value::Object(out))
    }
}
