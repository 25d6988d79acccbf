//! The catalog of scenarios: what each one sends and what it reports.
//!
//! A provider contributes [`Workload`]s (one function each, in its own file);
//! the catalog turns them into throughput, half-load, storage and memory-bound
//! scenarios.

pub mod anqicms;
pub mod easemob;
pub mod openim;
pub mod yunxin;

use crate::endpoint::Endpoint;

/// A request mix of one provider's API.
#[derive(Clone, Copy)]
pub struct Workload {
    /// Scenario name, `provider-what`.
    pub name: &'static str,
    pub about: &'static str,
    /// Work items per request and their name, when a request carries several
    /// (recipient-messages of a multi-recipient send).
    pub items: Option<(u64, &'static str)>,
    /// Content bytes one request stores (the text of a message).
    pub content_bytes: u64,
    /// Obtains the credential the requests carry.
    pub login: fn(&Endpoint) -> Result<String, String>,
    /// Encodes the requests each connection cycles through.
    pub requests: fn(&Endpoint, &str) -> Vec<Vec<u8>>,
}

/// What a scenario measures.
#[derive(Clone, Copy)]
pub enum Kind {
    /// The baseline server under the workload's requests.
    Baseline(Workload),
    /// p99 of the baseline in an open-loop run at half its maximum throughput.
    BaselineHalfLoad(Workload),
    /// Closed-loop maximum throughput of the workload.
    Load(Workload),
    /// p99 of an open-loop run at half the workload's maximum throughput.
    HalfLoad(Workload),
    /// The half-load run of `load` with `waiters` long-poll requests to
    /// `wait_path` (which no message matches) waiting the whole time.
    HalfLoadWaiters {
        load: Workload,
        waiters: usize,
        wait_path: &'static str,
    },
    /// The closed-loop run of the workload with one subscriber of
    /// `/_emulator/events` that never reads what it is sent.
    LoadStalledSubscriber(Workload),
    /// The closed-loop run of `load`, whose tenant (`tenant` gives its
    /// `POST /_emulator/tenants` body from a receiver's URL) fires a callback
    /// for every request at a receiver that answers at once; compared with
    /// the run of `without`.
    LoadCallbacks {
        load: Workload,
        without: &'static str,
        tenant: fn(&str) -> String,
    },
    /// Median time from spawn to the first healthy reply.
    Startup,
    /// Resident memory of a fresh, idle emulator.
    IdleRss,
    /// Resident memory per request stored, beyond its content.
    Store(Workload),
    /// Resident memory over a sustained closed loop of the workload, on an
    /// emulator whose message journal is bounded.
    BoundedRss(Workload),
}

/// A named scenario.
#[derive(Clone)]
pub struct Scenario {
    pub name: String,
    pub about: String,
    pub kind: Kind,
    /// Flags added to the command line of the emulator started for it.
    pub emulator_args: &'static [&'static str],
}

impl Scenario {
    fn new(name: impl Into<String>, about: impl Into<String>, kind: Kind) -> Self {
        Self {
            name: name.into(),
            about: about.into(),
            kind,
            emulator_args: &[],
        }
    }

    /// Starts its emulator with `args` added to the command line.
    fn with_args(mut self, args: &'static [&'static str]) -> Self {
        self.emulator_args = args;
        self
    }

    /// The line `--list` prints.
    pub fn listing(&self) -> String {
        let mut line = format!("{:26} {}", self.name, self.about);
        if !self.emulator_args.is_empty() {
            line.push_str(&format!(" [emulator {}]", self.emulator_args.join(" ")));
        }
        line
    }

    /// Does it drive the emulator (or the --target server)?
    pub fn needs_emulator(&self) -> bool {
        !matches!(self.kind, Kind::Baseline(_) | Kind::BaselineHalfLoad(_))
    }

    /// Does it need the emulator as a child process (not possible with --target)?
    pub fn needs_child(&self) -> bool {
        matches!(
            self.kind,
            Kind::Startup | Kind::IdleRss | Kind::Store(_) | Kind::BoundedRss(_)
        )
    }
}

/// Name of the baseline scenario.
pub const BASELINE: &str = "baseline";

/// Long-poll readers open during `easemob-send-1-waiters`.
pub const WAITERS: usize = 1_000;

/// The journal bound of `easemob-bounded-rss`: the emulator's default, given
/// explicitly so that the scenario measures it whatever the default becomes.
const BOUNDED_ARGS: &[&str] = &["--max-messages", "200000"];

/// The storage scenario keeps every message it sends.
const UNBOUNDED_ARGS: &[&str] = &["--max-messages", "0"];

/// Every scenario, in the order they run. A provider's workloads are added
/// here: each gets a closed-loop row, and the one-recipient send also gets the
/// half-load and storage rows.
pub fn catalog() -> Vec<Scenario> {
    let send_one = easemob::send_one();
    let mut all = vec![
        Scenario::new(
            BASELINE,
            "minimal actix-web server parsing the same JSON body (this machine's limit)",
            Kind::Baseline(send_one),
        ),
        Scenario::new(
            format!("{BASELINE}-half-load"),
            "open loop at 50% of the baseline's max rps: this machine's p99 floor",
            Kind::BaselineHalfLoad(send_one),
        ),
        load(send_one),
        Scenario::new(
            format!("{}-half-load", send_one.name),
            "open loop at 50% of the max rps of easemob-send-1; p99 is the figure",
            Kind::HalfLoad(send_one),
        ),
        Scenario::new(
            format!("{}-waiters", send_one.name),
            format!(
                "the half-load run of easemob-send-1 with {} long-poll readers of \
                 /_emulator/messages waiting; p99 is the figure",
                crate::table::thousands(WAITERS as u64)
            ),
            Kind::HalfLoadWaiters {
                load: send_one,
                waiters: WAITERS,
                wait_path: easemob::WAIT_PATH,
            },
        ),
    ];
    all.push(Scenario::new(
        format!("{}-stalled-subscriber", send_one.name),
        "easemob-send-1 with a subscriber of /_emulator/events that never reads",
        Kind::LoadStalledSubscriber(send_one),
    ));
    all.extend([easemob::mixed(), easemob::send_many()].map(load));
    all.push(load(openim::send_one()));
    all.push(load(yunxin::send_one()));
    let copied = yunxin::send_one_copied();
    all.push(Scenario::new(
        copied.name,
        copied.about,
        Kind::LoadCallbacks {
            load: copied,
            without: "yunxin-send-1",
            tenant: yunxin::copy_tenant,
        },
    ));
    all.extend(
        [
            anqicms::send_one(),
            anqicms::list_long(),
            anqicms::list_short(),
        ]
        .map(load),
    );
    all.extend(process_scenarios(send_one));
    all.push(
        Scenario::new(
            "easemob-bounded-rss",
            "VmRSS under sustained 600-recipient sends once the 200,000-record journal is full",
            Kind::BoundedRss(easemob::send_many()),
        )
        .with_args(BOUNDED_ARGS),
    );
    all
}

/// The closed-loop maximum-throughput scenario of `w`.
fn load(w: Workload) -> Scenario {
    Scenario::new(w.name, w.about, Kind::Load(w))
}

/// Startup, idle memory, and memory per message stored by `store`.
fn process_scenarios(store: Workload) -> [Scenario; 3] {
    [
        Scenario::new(
            "startup",
            "spawn to first healthy reply, median of 20",
            Kind::Startup,
        ),
        Scenario::new(
            "idle-rss",
            "VmRSS of a fresh emulator after its health check",
            Kind::IdleRss,
        ),
        Scenario::new(
            "easemob-store",
            "VmRSS growth per stored 1-recipient txt message, minus its text",
            Kind::Store(store),
        )
        .with_args(UNBOUNDED_ARGS),
    ]
}

/// The scenarios named in `names` (all when empty) plus what they depend on:
/// the baseline for every throughput ratio, and a workload's maximum
/// throughput for its half-load run. Catalog order is kept.
pub fn select(names: &[String]) -> Result<Vec<Scenario>, String> {
    let all = catalog();
    if names.is_empty() {
        return Ok(all);
    }
    let known: Vec<&str> = all.iter().map(|s| s.name.as_str()).collect();
    if let Some(bad) = names.iter().find(|n| !known.contains(&n.as_str())) {
        return Err(format!(
            "unknown scenario {bad:?}; known: {}",
            known.join(", ")
        ));
    }
    let mut wanted: Vec<String> = names.to_vec();
    for s in all.iter().filter(|s| names.contains(&s.name)) {
        match s.kind {
            Kind::HalfLoad(w) | Kind::HalfLoadWaiters { load: w, .. } => {
                wanted.extend([w.name.to_string(), BASELINE.to_string()])
            }
            Kind::Load(_) | Kind::BaselineHalfLoad(_) => wanted.push(BASELINE.to_string()),
            Kind::LoadCallbacks { without, .. } => {
                wanted.extend([without.to_string(), BASELINE.to_string()])
            }
            _ => {}
        }
    }
    Ok(all
        .into_iter()
        .filter(|s| wanted.contains(&s.name))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> Vec<String> {
        let wanted: Vec<String> = list.iter().map(|s| s.to_string()).collect();
        select(&wanted)
            .unwrap()
            .into_iter()
            .map(|s| s.name)
            .collect()
    }

    #[test]
    fn half_load_brings_its_dependencies() {
        assert_eq!(
            names(&["easemob-send-1-half-load"]),
            ["baseline", "easemob-send-1", "easemob-send-1-half-load"]
        );
    }

    #[test]
    fn waiters_bring_the_maximum_they_take_half_of() {
        assert_eq!(
            names(&["easemob-send-1-waiters", "easemob-bounded-rss"]),
            [
                "baseline",
                "easemob-send-1",
                "easemob-send-1-waiters",
                "easemob-bounded-rss"
            ]
        );
    }

    #[test]
    fn journal_bounds_are_per_scenario() {
        let all = catalog();
        let args = |name: &str| all.iter().find(|s| s.name == name).unwrap().emulator_args;
        assert_eq!(args("easemob-store"), ["--max-messages", "0"]);
        assert_eq!(args("easemob-bounded-rss"), ["--max-messages", "200000"]);
        assert!(args("easemob-send-1").is_empty());
        assert!(all
            .iter()
            .find(|s| s.name == "easemob-store")
            .unwrap()
            .listing()
            .ends_with("[emulator --max-messages 0]"));
    }

    #[test]
    fn callbacks_bring_the_run_without_them() {
        assert_eq!(
            names(&["yunxin-send-1-callbacks"]),
            ["baseline", "yunxin-send-1", "yunxin-send-1-callbacks"]
        );
    }

    #[test]
    fn process_scenarios_run_alone() {
        assert_eq!(names(&["idle-rss", "startup"]), ["startup", "idle-rss"]);
    }

    #[test]
    fn unknown_names_are_refused() {
        assert!(select(&["nope".to_string()]).is_err());
    }
}
