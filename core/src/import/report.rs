//! What an import did besides building the scenario: each value fleetsim chose because a file
//! could not give it, and each field it does not model.

use core::fmt;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    /// "file: path: what was used and why".
    pub choices: Vec<String>,
    /// "file: path (why)".
    pub ignored: Vec<String>,
}

fn at(file: &str, path: &str) -> String {
    if file.is_empty() {
        format!("scenario {path}")
    } else if path.is_empty() {
        String::from(file)
    } else {
        format!("{file}: {path}")
    }
}

impl Report {
    pub fn choice(&mut self, file: &str, path: &str, text: impl Into<String>) {
        self.choices
            .push(format!("{}: {}", at(file, path), text.into()));
    }
    pub fn ignored(&mut self, file: &str, path: &str, why: &str) {
        self.ignored.push(format!("{} ({why})", at(file, path)));
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for c in &self.choices {
            writeln!(f, "choice: {c}")?;
        }
        for i in &self.ignored {
            writeln!(f, "ignored: {i}")?;
        }
        Ok(())
    }
}
