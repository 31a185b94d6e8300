//! `fleetsim import`: real ECS configuration → a scenario plus a report (feature `import`).
//!
//! Each file is parsed (`parse`), its shape detected (`detect`), and read into plain parts
//! (`taskdef`, `service`, `capacity`; CloudFormation resources through `template`), which
//! `assemble` joins into one scenario that the core's own validation accepts. Nothing is
//! guessed silently: a value a file cannot give is a reported choice, a field fleetsim does not
//! model is reported as ignored, and a wrong value is an error naming the file and JSON path.

mod assemble;
mod capacity;
mod detect;
mod parse;
mod read;
mod report;
mod service;
mod taskdef;
mod template;

use core::fmt;

pub use report::Report;

use crate::scenario::{Scenario, MAX_IMPORT_FILE_BYTES};

/// One input file: its name (for messages) and its text.
pub struct Input<'a> {
    pub name: &'a str,
    pub text: &'a str,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Imported {
    pub scenario: Scenario,
    pub report: Report,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportError {
    pub file: String,
    /// JSON path inside the file ("" for the file as a whole).
    pub path: String,
    pub message: String,
}

impl ImportError {
    pub fn new(file: &str, path: &str, message: impl Into<String>) -> Self {
        ImportError {
            file: String::from(file),
            path: String::from(path),
            message: message.into(),
        }
    }
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "{}: {}", self.file, self.message)
        } else {
            write!(f, "{}: {}: {}", self.file, self.path, self.message)
        }
    }
}

impl std::error::Error for ImportError {}

/// Reads every file and joins them into one scenario; the first error stops the import.
pub fn import(files: &[Input<'_>]) -> Result<Imported, ImportError> {
    let mut report = Report::default();
    let mut parts = assemble::Parts::default();
    for f in files {
        if f.text.len() > MAX_IMPORT_FILE_BYTES {
            return Err(ImportError::new(
                f.name,
                "",
                format!(
                    "{} bytes, the most a file may have is {MAX_IMPORT_FILE_BYTES}",
                    f.text.len()
                ),
            ));
        }
        let parsed = parse::parse(f.name, f.text)?;
        for d in &parsed.duplicate_keys {
            report.choice(
                f.name,
                d,
                "this key appears more than once; used its last value, as the AWS CLI's JSON reader does",
            );
        }
        detect::read_file(f.name, &parsed.value, &mut report, &mut parts)?;
    }
    let scenario = assemble::assemble(parts, &mut report)?;
    Ok(Imported { scenario, report })
}
