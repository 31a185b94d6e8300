//! Files the user chose or dropped, read as text. Reading is asynchronous in the browser; a
//! file too large for the importer is refused before it is read.

use fleetsim_core::scenario::MAX_IMPORT_FILE_BYTES;
use wasm_bindgen_futures::JsFuture;
use web_sys::{File, FileList};

/// A file read: its name and its text.
#[derive(Clone, Debug, PartialEq)]
pub struct Loaded {
    pub name: String,
    pub text: String,
}

pub fn list(files: &FileList) -> Vec<File> {
    (0..files.length()).filter_map(|i| files.get(i)).collect()
}

/// Reads each file in order; the first one that cannot be read is the error.
pub async fn read_all(files: Vec<File>) -> Result<Vec<Loaded>, String> {
    let mut out = Vec::with_capacity(files.len());
    for f in files {
        let name = f.name();
        if f.size() > MAX_IMPORT_FILE_BYTES as f64 {
            return Err(format!(
                "{name}: {} bytes, the most a file may have is {MAX_IMPORT_FILE_BYTES}",
                f.size()
            ));
        }
        let text = JsFuture::from(f.text())
            .await
            .ok()
            .and_then(|v| v.as_string())
            .ok_or_else(|| format!("{name}: the file could not be read"))?;
        out.push(Loaded { name, text });
    }
    Ok(out)
}
