//! Fixture files: a provider's file from the `--fixtures` folder when it has one, else the
//! built-in text compiled into the binary, with where it came from for errors and the log.

use std::path::Path;

/// A fixture file's text and where it came from (`built-in` or its path).
pub struct Source {
    pub text: String,
    pub origin: String,
}

/// `DIR/<provider>/<file>` when `dir` has it, else `built_in`.
pub fn read(
    dir: Option<&Path>,
    provider: &str,
    file: &str,
    built_in: &str,
) -> Result<Source, String> {
    let path = dir
        .map(|d| d.join(provider).join(file))
        .filter(|p| p.exists());
    let Some(path) = path else {
        return Ok(Source {
            text: built_in.to_owned(),
            origin: "built-in".into(),
        });
    };
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    Ok(Source {
        text,
        origin: path.display().to_string(),
    })
}

impl Source {
    /// Where an error in the file is reported: the path, or the provider's built-in file.
    pub fn blame(&self, provider: &str, error: impl std::fmt::Display) -> String {
        if self.origin == "built-in" {
            format!("built-in {provider} fixtures: {error}")
        } else {
            format!("{}: {error}", self.origin)
        }
    }
}
