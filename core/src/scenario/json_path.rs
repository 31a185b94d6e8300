//! The JSON path (`services[0].task.cpu`) of a position in a JSON text: which key or list item
//! the reader was in when serde_json reported an error there.
//!
//! serde_json reports where an error was found (after the value or key at fault) but not
//! where that is in the document's structure. Wrapping the deserializer to track the path as
//! it reads (as `serde_path_to_error` does) puts a second layer around every field of every
//! type: about 16 KB more gzipped download for the page. Re-reading the text up to the error's
//! position gives the same path at no cost until an error happens, and works without `std`.
//! The tests hold it to `serde_path_to_error`'s answers.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

enum Frame<'a> {
    /// The key being read or whose value is being read; `None` right after `{` or `,`.
    Object(Option<&'a str>),
    /// The item being read, and whether it has begun (a path names no item after `[` or `,`).
    Array(u32, bool),
}

/// The byte offset of serde_json's (one-based line, column in bytes) position.
pub fn offset(text: &str, line: usize, column: usize) -> usize {
    let start = if line <= 1 {
        0
    } else {
        text.bytes()
            .enumerate()
            .filter(|&(_, b)| b == b'\n')
            .nth(line - 2)
            .map_or(text.len(), |(i, _)| i + 1)
    };
    (start + column).min(text.len())
}

/// Where the number, name or literal that ends at `end` starts, when one does and it is an
/// object's value or a list's item (serde_json places a refused value's error right after it).
pub fn scalar_start(text: &str, end: usize) -> Option<usize> {
    let bytes = text.as_bytes().get(..end)?;
    let start = if bytes.last() == Some(&b'"') {
        // The opening quote: the nearest one before that no backslash escapes.
        let mut i = end - 1;
        loop {
            i = bytes[..i].iter().rposition(|&b| b == b'"')?;
            let slashes = bytes[..i].iter().rev().take_while(|&&b| b == b'\\').count();
            if slashes % 2 == 0 {
                break i;
            }
        }
    } else {
        let n = bytes
            .iter()
            .rev()
            .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'+' | b'.'))
            .count();
        (n > 0).then_some(end - n)?
    };
    let before = bytes[..start]
        .iter()
        .rev()
        .find(|b| !b.is_ascii_whitespace());
    matches!(before, Some(b':' | b',' | b'[')).then_some(start)
}

/// The path of whatever the text's first `end` bytes leave open, in validation's spelling:
/// object keys joined by `.`, list items as `[i]`; empty at the top level.
pub fn path_at(text: &str, end: usize) -> String {
    let bytes = &text.as_bytes()[..end.min(text.len())];
    // An error serde_json cannot place itself (one found in a tagged enum, after its object was
    // read) is placed where the list around it ends: a `]` just before `end` still holds the
    // item at fault.
    let last = bytes.iter().rposition(|b| !b.is_ascii_whitespace());
    let closing_list = last.filter(|&i| bytes[i] == b']');
    let mut stack: Vec<Frame> = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        // A value starts: the list item it is in has begun.
        if !matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b',' | b':' | b'}' | b']') {
            if let Some(Frame::Array(_, begun)) = stack.last_mut() {
                *begun = true;
            }
        }
        match b {
            b'{' => stack.push(Frame::Object(None)),
            b'[' => stack.push(Frame::Array(0, false)),
            b'}' => {
                stack.pop();
            }
            b']' if closing_list != Some(i) => {
                stack.pop();
            }
            b',' => match stack.last_mut() {
                Some(Frame::Object(key)) => *key = None,
                Some(Frame::Array(n, begun)) => {
                    *n += 1;
                    *begun = false;
                }
                None => {}
            },
            b'"' => {
                let start = i + 1;
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                if let Some(Frame::Object(key @ None)) = stack.last_mut() {
                    *key = text.get(start..i.min(bytes.len()));
                }
            }
            _ => {}
        }
        i += 1;
    }
    // serde_json places a wrong type found by a peek (a `{` where text belongs) before it: a
    // list item that starts there is the one at fault.
    let next = text.as_bytes()[bytes.len()..]
        .iter()
        .find(|b| !b.is_ascii_whitespace());
    if next.is_some_and(|b| !matches!(b, b',' | b':' | b'}' | b']')) {
        if let Some(Frame::Array(_, begun)) = stack.last_mut() {
            *begun = true;
        }
    }
    let mut out = String::new();
    for frame in &stack {
        match frame {
            Frame::Object(Some(key)) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(key);
            }
            Frame::Array(n, true) => out.push_str(&format!("[{n}]")),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at_end(text: &str) -> String {
        path_at(text, text.len())
    }

    #[test]
    fn keys_and_items() {
        assert_eq!(at_end(r#"{"a":{"b":[1,{"c":-1"#), "a.b[1].c");
        assert_eq!(at_end(r#"{"a":{"b":[1,"#), "a.b");
        assert_eq!(at_end(r#"{"a":1,"#), "");
        let peeked = r#"{"a":[1,{}]}"#;
        assert_eq!(path_at(peeked, peeked.rfind('{').unwrap()), "a[1]");
        assert_eq!(at_end(r#"{"a":[{"x":1}"#), "a[0]");
        assert_eq!(at_end(r#"{"a":[{"x":1}]"#), "a[0]");
        assert_eq!(at_end(r#"{"a":[{"x":1}],"#), "");
        assert_eq!(at_end(r#"{"a":{"k\"q":{"z":"}]\"""#), "a.k\\\"q.z");
    }

    #[test]
    fn scalars_are_found_back_from_their_end() {
        let text = r#"{"a":-12,"b":"x\"y","c":[true]}"#;
        let end = |probe: &str| text.find(probe).unwrap() + probe.len();
        assert_eq!(scalar_start(text, end("-12")), text.find("-12"));
        assert_eq!(scalar_start(text, end(r#""x\"y""#)), text.find(r#""x\"y""#));
        assert_eq!(scalar_start(text, end("true")), text.find("true"));
        assert_eq!(scalar_start(text, end(r#""a""#)), None);
        assert_eq!(scalar_start(text, end("]")), None);
    }

    #[test]
    fn offsets_follow_serde_jsons_lines_and_columns() {
        let text = "{\n  \"a\": -1\n}";
        let e = serde_json::from_str::<u32>("-1").unwrap_err();
        assert_eq!((e.line(), e.column()), (1, 2));
        assert_eq!(offset(text, 2, 9), 11);
        assert_eq!(path_at(text, offset(text, 2, 9)), "a");
    }
}
