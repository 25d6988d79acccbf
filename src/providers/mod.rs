//! The emulated providers. Each owns its routes, wire types, validation, auth and error
//! envelope; they meet only here, where the admin API reaches them through [`Provider`].

pub mod anqicms;
pub mod easemob;
pub mod openim;
pub mod yunxin;

/// What the admin API may ask of any provider.
pub trait Provider: Send + Sync {
    /// The provider's name in the journal and the admin API (`easemob`, ...).
    fn name(&self) -> &'static str;
    /// Forgets the state of `tenant` (all tenants when `None`), its journal included; the
    /// next call starts from the fixtures again.
    fn reset(&self, tenant: Option<&str>);
    /// How many tenants currently have state.
    fn tenant_count(&self) -> usize;
    /// What its stores hold, by name (users, files, ...), for health.
    fn usage(&self) -> Vec<(&'static str, u64)>;
    /// Which fixtures were loaded and the tenants they hold, for the start-up log.
    fn fixture_summary(&self) -> String;
}

/// The start-up log line of a provider's fixtures: where they came from and their tenants.
pub fn fixture_summary<'a>(source: &str, tenants: impl Iterator<Item = &'a String>) -> String {
    let mut names: Vec<&str> = tenants.map(String::as_str).collect();
    names.sort_unstable();
    let names = if names.is_empty() {
        "(none)".to_owned()
    } else {
        names.join(", ")
    };
    format!("{source} fixtures, tenants {names}")
}
