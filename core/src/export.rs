//! Exports as text: the event log as CSV and JSON, and any table (the compare mode's diff table)
//! as CSV. Pure functions, so the browser only has to hand the string to a download.
//!
//! CSV follows RFC 4180 (CRLF line ends, fields with a comma, quote or line break quoted, quotes
//! doubled). Text that came from a scenario or a URL may start with `=`, `+`, `-` or `@`, which
//! spreadsheets run as a formula; such text fields get a leading `'` so they open as text.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt::Write;
use serde::Serialize;

use crate::event::Event;
use crate::sim::Sim;

/// Header of [`events_csv`]; one row per event follows.
pub const EVENT_COLUMNS: [&str; 9] = [
    "seq",
    "at_ms",
    "clock",
    "kind",
    "category",
    "host",
    "task",
    "service",
    "description",
];

/// One CSV field. `text` marks fields whose content the user (or a link) controls.
fn field(out: &mut String, value: &str, text: bool) {
    let formula = text && value.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let quote = formula || value.contains([',', '"', '\n', '\r']);
    if quote {
        out.push('"');
    }
    if formula {
        out.push('\'');
    }
    for c in value.chars() {
        if c == '"' {
            out.push('"');
        }
        out.push(c);
    }
    if quote {
        out.push('"');
    }
}

/// Writes rows of text cells as CSV (every cell treated as untrusted text).
pub fn csv<R, C>(rows: R) -> String
where
    R: IntoIterator<Item = C>,
    C: IntoIterator,
    C::Item: AsRef<str>,
{
    let mut out = String::new();
    for row in rows {
        for (i, cell) in row.into_iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            field(&mut out, cell.as_ref(), true);
        }
        out.push_str("\r\n");
    }
    out
}

fn category_name(e: &Event) -> &'static str {
    use crate::event::Category;
    match e.kind.category() {
        Category::Host => "host",
        Category::Task => "task",
        Category::Service => "service",
        Category::Deployment => "deployment",
        Category::Command => "command",
    }
}

fn opt(v: Option<u32>) -> String {
    v.map(|v| alloc::format!("{v}")).unwrap_or_default()
}

/// The event log as CSV. `events` pairs each event with its position in the run (the log the
/// page keeps is a window of the run, so positions need not start at 0). Sentences come from
/// `sim`, which must be the run the events belong to.
pub fn events_csv<'a>(sim: &Sim, events: impl IntoIterator<Item = (u64, &'a Event)>) -> String {
    let mut out = String::new();
    out.push_str(&EVENT_COLUMNS.join(","));
    out.push_str("\r\n");
    for (seq, e) in events {
        let service = e
            .kind
            .service()
            .map(|s| String::from(sim.names().service(s.0)));
        let _ = write!(out, "{seq},{},", e.at.ms());
        field(&mut out, &alloc::format!("{}", e.at), false);
        out.push(',');
        field(&mut out, e.kind.name(), false);
        out.push(',');
        field(&mut out, category_name(e), false);
        out.push(',');
        field(&mut out, &opt(e.kind.host().map(|h| h.0)), false);
        out.push(',');
        field(&mut out, &opt(e.kind.task().map(|t| t.0)), false);
        out.push(',');
        field(&mut out, service.as_deref().unwrap_or(""), true);
        out.push(',');
        field(&mut out, &sim.describe(e), true);
        out.push_str("\r\n");
    }
    out
}

#[derive(Serialize)]
struct EventRecord<'a> {
    seq: u64,
    at_ms: u64,
    clock: String,
    kind: &'static str,
    category: &'static str,
    description: String,
    /// The structured event, exactly as the core holds it (ids, reasons).
    event: &'a Event,
}

/// The event log as a compact JSON array: the sentence next to the structured event.
pub fn events_json<'a>(sim: &Sim, events: impl IntoIterator<Item = (u64, &'a Event)>) -> String {
    let records: Vec<EventRecord<'a>> = events
        .into_iter()
        .map(|(seq, e)| EventRecord {
            seq,
            at_ms: e.at.ms(),
            clock: alloc::format!("{}", e.at),
            kind: e.kind.name(),
            category: category_name(e),
            description: sim.describe(e),
            event: e,
        })
        .collect();
    serde_json::to_string(&records).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::Scenario;
    use crate::time::SimTime;

    /// Splits RFC 4180 text back into rows of fields (the reader a spreadsheet would be).
    fn parse(text: &str) -> Vec<Vec<String>> {
        let mut rows = Vec::new();
        let mut row = Vec::new();
        let mut cell = String::new();
        let mut quoted = false;
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            match (quoted, c) {
                (true, '"') if chars.peek() == Some(&'"') => {
                    chars.next();
                    cell.push('"');
                }
                (true, '"') => quoted = false,
                (true, c) => cell.push(c),
                (false, '"') => quoted = true,
                (false, ',') => row.push(core::mem::take(&mut cell)),
                (false, '\r') => {}
                (false, '\n') => {
                    row.push(core::mem::take(&mut cell));
                    rows.push(core::mem::take(&mut row));
                }
                (false, c) => cell.push(c),
            }
        }
        rows
    }

    #[test]
    fn awkward_text_survives_a_csv_round_trip() {
        let cells = ["plain", "a,b", "say \"hi\"", "two\nlines", ""];
        let text = csv([cells]);
        assert_eq!(parse(&text), [cells.map(String::from).to_vec()]);
    }

    #[test]
    fn formulas_from_untrusted_text_open_as_text() {
        let text = csv([["=HYPERLINK(\"x\")", "+1", "@sum", "ok"]]);
        let row = &parse(&text)[0];
        assert!(
            row.iter().all(|c| !c.starts_with(['=', '+', '@'])),
            "{row:?}"
        );
        assert_eq!(row[3], "ok");
        assert!(
            row[0].ends_with("=HYPERLINK(\"x\")"),
            "the content is kept: {row:?}"
        );
    }

    #[test]
    fn event_csv_has_one_row_per_event_with_its_sentence() {
        let mut s = Scenario::default_cluster();
        s.services[0].name = String::from("=evil,\"web\"");
        let mut sim = Sim::new(s).unwrap();
        sim.step_until(SimTime::from_mins(5));
        let events: Vec<Event> = sim.events().to_vec();
        assert!(events.len() > 10);
        let text = events_csv(
            &sim,
            events.iter().enumerate().map(|(i, e)| (i as u64 + 7, e)),
        );
        let rows = parse(&text);
        assert_eq!(rows[0], EVENT_COLUMNS.map(String::from).to_vec());
        assert_eq!(rows.len(), events.len() + 1);
        for (row, e) in rows[1..].iter().zip(&events) {
            assert_eq!(row.len(), EVENT_COLUMNS.len());
            assert_eq!(row[1], alloc::format!("{}", e.at.ms()));
            assert_eq!(row[3], e.kind.name());
            assert_eq!(row[8].trim_start_matches('\''), sim.describe(e));
        }
        assert_eq!(rows[1][0], "7", "positions are the caller's");
        // The hostile service name is one field, never a formula.
        let named: Vec<&Vec<String>> = rows.iter().filter(|r| r[7].contains("evil")).collect();
        assert!(!named.is_empty());
        assert!(
            named.iter().all(|r| r[7] == "'=evil,\"web\""),
            "{:?}",
            named[0]
        );
    }

    #[test]
    fn event_json_parses_back_with_the_structured_event() {
        let mut sim = Sim::new(Scenario::default_cluster()).unwrap();
        sim.step_until(SimTime::from_mins(3));
        let events: Vec<Event> = sim.events().to_vec();
        let text = events_json(&sim, events.iter().enumerate().map(|(i, e)| (i as u64, e)));
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        let arr = v.as_array().unwrap();
        assert_eq!(arr.len(), events.len());
        for (rec, e) in arr.iter().zip(&events) {
            let back: Event = serde_json::from_value(rec["event"].clone()).unwrap();
            assert_eq!(&back, e);
            assert_eq!(rec["description"].as_str().unwrap(), sim.describe(e));
        }
    }
}
