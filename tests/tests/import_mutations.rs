//! The page runs the importer inside the tab, where a panic ends the page and the scenario the
//! user was working on. So: every real ECS file, damaged at random (cut short, a value swapped
//! for one of the wrong type or out of range, a character dropped), is either imported into a
//! scenario the core accepts or refused with an error; never a panic.

use std::sync::OnceLock;

use fleetsim_core::import::{import, Input};
use fleetsim_core::Scenario;
use proptest::prelude::*;

fn files() -> &'static [(String, String)] {
    static FILES: OnceLock<Vec<(String, String)>> = OnceLock::new();
    FILES.get_or_init(|| {
        let dir = fleetsim_tests::real_ecs::dir();
        let mut all: Vec<(String, String)> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                p.extension()
                    .is_some_and(|x| x == "json" || x == "yaml" || x == "yml")
            })
            .map(|p| {
                let name = p.file_name().unwrap().to_string_lossy().into_owned();
                let text = std::fs::read_to_string(&p).unwrap();
                (name, text)
            })
            .collect();
        all.sort();
        assert!(all.len() >= 20, "{} real files", all.len());
        all
    })
}

/// Values a field should never hold, each valid JSON (and YAML).
const WRONG: [&str; 12] = [
    "-1",
    "0",
    "4294967296",
    "99999999999999999999999",
    "1e308",
    "0.5",
    "\"\"",
    "\"${TASK_CPU}\"",
    "null",
    "[]",
    "{}",
    "true",
];

fn boundary(text: &str, at: usize) -> usize {
    let mut i = at % (text.len() + 1);
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The `n`th run of digits (a number in JSON and YAML alike), as a byte range.
fn nth_number(text: &str, n: usize) -> Option<(usize, usize)> {
    let b = text.as_bytes();
    let mut runs = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i].is_ascii_digit() {
            let start = i;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            runs.push((start, i));
        } else {
            i += 1;
        }
    }
    (!runs.is_empty()).then(|| runs[n % runs.len()])
}

fn damage(text: &str, kind: u8, at: usize, wrong: &str) -> String {
    match kind % 3 {
        0 => text[..boundary(text, at)].to_string(),
        1 => match nth_number(text, at) {
            Some((a, b)) => format!("{}{wrong}{}", &text[..a], &text[b..]),
            None => text.to_string(),
        },
        _ => {
            let i = boundary(text, at);
            let mut s = text.to_string();
            if i < s.len() {
                s.remove(i);
            }
            s
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn a_damaged_real_file_is_imported_or_refused_never_a_panic(
        file in 0usize..64,
        kind in any::<u8>(),
        at in any::<usize>(),
        wrong in 0usize..WRONG.len(),
    ) {
        let (name, text) = &files()[file % files().len()];
        let damaged = damage(text, kind, at, WRONG[wrong]);
        match import(&[Input { name, text: &damaged }]) {
            Ok(i) => {
                prop_assert!(i.scenario.validate().is_ok(), "{name}: an invalid scenario");
                prop_assert!(Scenario::from_json(&i.scenario.to_json()).is_ok());
            }
            Err(e) => {
                prop_assert_eq!(&e.file, name);
                prop_assert!(!e.message.is_empty());
            }
        }
    }
}

#[test]
fn a_file_the_core_refuses_after_import_is_named_plainly() {
    // A misspelt `lifecycleStages` is an ignored field, so the hook has no stage and only the
    // core's own validation refuses it; the error once named the file as "NAME: ".
    let name = "14-bluegreen-lifecycle-hooks-service.json";
    let (_, text) = files().iter().find(|(n, _)| n == name).unwrap();
    let damaged = text.replacen("\"lifecycleStages\"", "\"ifecycleStages\"", 1);
    let e = import(&[Input {
        name,
        text: &damaged,
    }])
    .unwrap_err();
    assert_eq!(e.file, name);
    assert!(e.message.contains("lifecycleStages"), "{e}");
    assert!(!e.to_string().contains(": :"), "{e}");
}
