//! Fixture files: a provider's file from the `--fixtures` folder when it has one, else the
//! built-in text compiled into the binary, with where it came from for errors and the log; and
//! what a provider keeps of them once loaded.

use std::collections::hash_map::Entry;
use std::collections::HashMap;
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

/// A provider's fixtures once loaded: the settings of each tenant they list, those of tenants
/// made on first use, and where they came from (for the start-up log).
#[derive(Debug)]
pub struct Tenants<S> {
    pub tenants: HashMap<String, S>,
    pub defaults: S,
    pub source: String,
    /// The tenants created at run time through the admin API.
    pub created: super::created::Created<S>,
}

impl<S> Tenants<S> {
    /// No tenant listed yet; `defaults` for those made on first use.
    pub fn new(defaults: S) -> Self {
        Self {
            tenants: HashMap::new(),
            defaults,
            source: String::new(),
            created: Default::default(),
        }
    }

    /// Lists the tenant `name`; refused when it is listed twice.
    pub fn add(&mut self, name: String, settings: S) -> Result<(), String> {
        match self.tenants.entry(name) {
            Entry::Occupied(taken) => Err(format!("tenant {} is listed twice", taken.key())),
            Entry::Vacant(free) => {
                free.insert(settings);
                Ok(())
            }
        }
    }

    /// The provider's `tenants.json` (from `dir` or built in, see [`read`]) parsed by `parse`;
    /// errors name the file, or the built-in fixtures of `label`.
    pub fn read_with(
        dir: Option<&Path>,
        folder: &str,
        label: &str,
        built_in: &str,
        parse: impl FnOnce(&str) -> Result<Self, String>,
    ) -> Result<Self, String> {
        let source = read(dir, folder, "tenants.json", built_in)?;
        let mut loaded = parse(&source.text).map_err(|e| source.blame(label, e))?;
        loaded.source = source.origin;
        Ok(loaded)
    }
}
