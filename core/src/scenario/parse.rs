//! Reading JSON: every error names the JSON path of the value at fault, in the same spelling
//! as validation's paths (`services[0].task.cpu`), and says what was found and what is allowed
//! in words ("-1, must be a whole number 0–4294967295") instead of serde's type names.

use alloc::format;
use alloc::string::{String, ToString};
use serde::de::DeserializeOwned;
use serde_json::error::Category;

use super::json_path::{offset, path_at, scalar_start};
use super::validate::{clip, ValidationError};
use super::{MAX_ERROR_CHARS, MAX_NAME_CHARS};

/// Parses `text` as `T`; on failure, one error with the path and a plain message.
///
/// Every JSON read of the scenario (files, the editor, links) goes through here, and through
/// `serde_json::from_str`, so the deserializers exist once in the browser build.
pub fn from_json<T: DeserializeOwned>(text: &str) -> Result<T, ValidationError> {
    read(text).map_err(|f| f.error)
}

/// As [`from_json`]; and where a whole number belongs but something else was written (`-1`,
/// `2.5`, `"30s"`), the message gives that field's own range, `range_of(document, path)`: the
/// text is read again with an out-of-range number in the value's place and checked.
pub fn from_json_with<T: DeserializeOwned>(
    text: &str,
    range_of: impl Fn(&T, &str) -> Option<String>,
) -> Result<T, ValidationError> {
    read(text).map_err(|f| {
        let start = f.whole_number.then(|| scalar_start(text, f.at)).flatten();
        let mut error = f.error;
        if let Some(start) = start {
            // Above every limit, below every minimum, and below -1 for the one signed field.
            for probe in ["4294967295", "0", "-2"] {
                let probed = format!("{}{probe}{}", &text[..start], &text[f.at..]);
                let range = serde_json::from_str::<T>(&probed)
                    .ok()
                    .and_then(|t| range_of(&t, &error.path));
                if let Some(range) = range {
                    with_range(&mut error, &range);
                    break;
                }
            }
        }
        error
    })
}

/// "-1, must be a whole number 0–4294967295" → "-1, must be 0–5000 tasks".
fn with_range(error: &mut ValidationError, range: &str) {
    let found = error.message.split(", must be ").next().unwrap_or("");
    let room = MAX_ERROR_CHARS.saturating_sub(error.path.chars().count() + 2);
    error.message = clip(format!("{found}, must be {range}"), room);
}

struct Failure {
    error: ValidationError,
    /// Where serde_json stopped (bytes).
    at: usize,
    /// A whole number was expected.
    whole_number: bool,
}

fn read<T: DeserializeOwned>(text: &str) -> Result<T, Failure> {
    serde_json::from_str(text).map_err(|e| failure(text, &e))
}

/// Everything about an error that does not depend on the type read (kept out of the generic
/// functions, which exist once per type in the download).
fn failure(text: &str, e: &serde_json::Error) -> Failure {
    let message = without_location(e);
    let at = offset(text, e.line(), e.column());
    let mut path = path_at(text, at);
    // `{"zzz": 1}` where a name belongs is read as variant `zzz` of the enum: the field is at
    // fault, not a key inside it.
    if let Some(variant) = quoted_after(&message, "unknown variant `") {
        if let Some(field) = path.strip_suffix(variant).and_then(|p| p.strip_suffix('.')) {
            path.truncate(field.len());
        }
    }
    // serde notices a missing field at its object's `}`, which is where the path is.
    if let Some(field) = missing_field(&message) {
        if !path.is_empty() {
            path.push('.');
        }
        path.push_str(field);
    }
    let whole_number = ["u8", "u16", "u32", "u64", "i32", "i64"]
        .iter()
        .any(|t| message.ends_with(&format!(", expected {t}")));
    Failure {
        error: error(path, &message, e),
        at,
        whole_number,
    }
}

/// A value typed into one field of the editor (`-1`, `"abc"`): the same plain words, without a
/// path or a location, since the field itself is both.
pub fn field_value<T: DeserializeOwned>(text: &str) -> Result<T, String> {
    serde_json::from_str(text).map_err(|e| field_error(&e))
}

fn field_error(e: &serde_json::Error) -> String {
    clip(plain(without_location(e).as_str(), ""), MAX_ERROR_CHARS)
}

/// `vcpu` in "missing field `vcpu`".
fn missing_field(message: &str) -> Option<&str> {
    quoted_after(message, "missing field `")
}

/// The name quoted after `prefix` at the start of serde's message.
fn quoted_after<'a>(message: &'a str, prefix: &str) -> Option<&'a str> {
    let rest = message.strip_prefix(prefix)?;
    rest.split_once('`').map(|(name, _)| name)
}

/// serde_json's message without its " at line L column C".
fn without_location(e: &serde_json::Error) -> String {
    let full = e.to_string();
    let location = format!(" at line {} column {}", e.line(), e.column());
    match full.strip_suffix(&location) {
        Some(message) => message.to_string(),
        None => full,
    }
}

fn error(path: String, message: &str, e: &serde_json::Error) -> ValidationError {
    let mut message = plain(message, &path);
    // A syntax error is in the text, not in a value: say where.
    if matches!(e.classify(), Category::Syntax | Category::Eof) {
        message.push_str(&format!(" (line {}, column {})", e.line(), e.column()));
    }
    // Keys come from the input, which may hold a key as long as itself.
    let path = clip(path, 2 * MAX_NAME_CHARS as usize);
    let room = MAX_ERROR_CHARS.saturating_sub(path.chars().count() + 2);
    ValidationError {
        path,
        message: clip(message, room),
    }
}

/// serde's wording, in words a workshop participant reads without knowing Rust's types.
fn plain(message: &str, path: &str) -> String {
    // "unknown field `cpus`, expected one of `cpu`, `memory`" and "duplicate field `cpu`":
    // the path already names the key, so say what is wrong with it.
    for (prefix, what) in [
        ("unknown field `", "not a field here"),
        ("duplicate field `", "given twice"),
        ("missing field `", "missing, and required"),
    ] {
        if let Some(rest) = message.strip_prefix(prefix) {
            let (key, tail) = rest.split_once('`').unwrap_or((rest, ""));
            let mut out = String::from(what);
            if path != key && !path.ends_with(&format!(".{key}")) {
                out = format!("`{key}` is {what}");
            }
            if let Some(expected) = tail.strip_prefix(", expected one of ") {
                out.push_str(&format!("; the fields here are {expected}"));
            } else if tail.starts_with(", there are no fields") {
                out.push_str("; this takes no fields");
            }
            return out;
        }
    }
    let Some((found, expected)) = message.rsplit_once(", expected ") else {
        return message.to_string();
    };
    let allowed = match expected {
        "u8" => "a whole number 0–255",
        "u16" => "a whole number 0–65535",
        "u32" => "a whole number 0–4294967295",
        "u64" => "a whole number 0–18446744073709551615",
        "i32" => "a whole number -2147483648–2147483647",
        "i64" => "a whole number -9223372036854775808–9223372036854775807",
        "f64" => "a number",
        "a boolean" => "true or false",
        "a string" => "text in quotes",
        other => other,
    };
    let found = found
        .strip_prefix("invalid value: ")
        .or_else(|| found.strip_prefix("invalid type: "))
        .unwrap_or(found);
    let found = match found {
        "map" => String::from("an object"),
        "sequence" => String::from("a list"),
        "null" => String::from("null"),
        f => {
            // "integer `-1`", "floating point `1.5`", "string \"x\"", "boolean `true`"
            let value = f
                .split_once('`')
                .map(|(_, v)| v.trim_end_matches('`').to_string())
                .or_else(|| f.strip_prefix("string ").map(|s| format!("text {s}")));
            value.unwrap_or_else(|| f.to_string())
        }
    };
    format!("{found}, must be {allowed}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_field_value_is_read_in_plain_words() {
        assert_eq!(
            field_value::<u32>("-5"),
            Err(String::from("-5, must be a whole number 0–4294967295"))
        );
        assert_eq!(field_value::<Option<u32>>("null"), Ok(None));
    }

    #[test]
    fn plain_words_for_type_sign_and_overflow() {
        let m = |s: &str| plain(s, "x");
        assert_eq!(
            m("invalid value: integer `-1`, expected u32"),
            "-1, must be a whole number 0–4294967295"
        );
        assert_eq!(
            m("invalid type: string \"abc\", expected u32"),
            "text \"abc\", must be a whole number 0–4294967295"
        );
        assert_eq!(
            m("invalid type: floating point `1.5`, expected u32"),
            "1.5, must be a whole number 0–4294967295"
        );
        assert_eq!(
            m("invalid type: map, expected a boolean"),
            "an object, must be true or false"
        );
    }
}
