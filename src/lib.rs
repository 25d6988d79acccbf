//! im-emulator: one small server that emulates, offline, the server APIs of chat/IM services,
//! so that applications, SDKs and test suites can run against `http://127.0.0.1:4800` instead
//! of the real cloud. [`Application::build`] makes exactly what the binary runs.

pub mod admin;
pub mod config;
pub mod core;
pub mod healthcheck;
mod observe;
pub mod providers;
mod router;

use actix_web::middleware::{Condition, Logger};
use actix_web::{dev::Server, web, App, HttpServer};
use config::Config;
use providers::{anqicms, easemob, openim, yunxin, Provider};
use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

/// The version printed in the ready line and `/_emulator/health`.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// A bound, not yet running server.
pub struct Application {
    server: Server,
    address: SocketAddr,
    core: Arc<core::Core>,
    admin: web::Data<admin::Admin>,
    /// `--state-file` and `--state-interval`.
    state_file: Option<(PathBuf, Duration)>,
}

impl Application {
    /// Loads the fixtures, builds the shared state and binds the listener of `config`.
    ///
    /// ```
    /// use im_emulator::{config::Config, Application};
    ///
    /// actix_web::rt::System::new().block_on(async {
    ///     let config = Config { bind: "127.0.0.1:0".into(), seed: Some(42), ..Config::default() };
    ///     let app = Application::build(&config).expect("the server builds");
    ///     assert!(app.url().starts_with("http://127.0.0.1:"));
    ///     // A test would now `spawn(app.run_until_stopped())` and talk HTTP to `app.url()`.
    /// });
    /// ```
    pub fn build(config: &Config) -> Result<Self, String> {
        let core = Arc::new(core_of(config)?);
        let fixtures = fixture_dir(config.fixtures.as_deref())?;
        let easemob = web::Data::new(easemob::State::new(
            core.clone(),
            easemob::Fixtures::load(fixtures)?,
            config.strict_tenants,
        ));
        let openim = web::Data::new(openim::State::new(
            core.clone(),
            openim::Fixtures::load(fixtures)?,
            config.strict_tenants,
        ));
        let yunxin = web::Data::new(yunxin::State::new(
            core.clone(),
            yunxin::Fixtures::load(fixtures)?,
            config.strict_tenants,
        ));
        let anqicms = web::Data::new(anqicms::State::new(
            core.clone(),
            anqicms::Fixtures::load(fixtures)?,
            config.strict_tenants,
        ));
        let providers: Vec<Arc<dyn Provider>> = vec![
            easemob.clone().into_inner(),
            openim.clone().into_inner(),
            yunxin.clone().into_inner(),
            anqicms.clone().into_inner(),
        ];
        for p in &providers {
            log::info!("{}: {}", p.name(), p.fixture_summary());
        }
        let bind = config::listen_address(&config.bind);
        let listener =
            TcpListener::bind(&bind).map_err(|e| format!("cannot listen on {bind}: {e}"))?;
        let address = listener.local_addr().map_err(|e| e.to_string())?;
        let runtime = runtime_of(config);
        let admin = web::Data::new(admin::Admin::new(
            core.clone(),
            providers,
            runtime,
            config.admin_token.clone(),
        ));
        if let Some(path) = &config.state_file {
            if admin::state::load_file(&admin, path)? {
                log::info!("state loaded from {}", path.display());
            }
        }
        // The request log costs a little on every call: only wrap it when it is shown.
        let log_requests =
            log::log_enabled!(target: "actix_web::middleware::logger", log::Level::Info);
        let admin_data = admin.clone();
        let server = HttpServer::new(move || {
            App::new()
                .wrap(Condition::new(
                    log_requests,
                    Logger::new("%a \"%r\" %s %b %Dms").exclude("/_emulator/health"),
                ))
                .app_data(admin.clone())
                .configure(|cfg| easemob::configure(cfg, easemob.clone()))
                .configure(|cfg| openim::configure(cfg, openim.clone()))
                .configure(|cfg| yunxin::configure(cfg, yunxin.clone()))
                .configure(|cfg| anqicms::configure(cfg, anqicms.clone()))
                .default_service(web::to(router::route))
        })
        .workers(runtime.workers)
        .max_connections(runtime.connections_per_worker)
        .client_request_timeout(config.request_timeout)
        .shutdown_timeout(2)
        .listen(listener)
        .map_err(|e| format!("cannot listen on {bind}: {e}"))?
        .run();
        Ok(Self {
            server,
            address,
            core,
            admin: admin_data,
            state_file: config
                .state_file
                .clone()
                .map(|path| (path, config.state_interval)),
        })
    }

    /// The address the server listens on.
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// `http://host:port`, as clients should be configured.
    pub fn url(&self) -> String {
        format!("http://{}", self.address)
    }

    /// Serves until SIGINT or SIGTERM, then shuts down cleanly; with `--state-file`, writes
    /// the state every `--state-interval` and once more after the server stopped.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let core = self.core.clone();
        let ring = tokio::spawn(async move { core.journal.ring().await });
        let callbacks = tokio::spawn(core::callbacks::Callbacks::run(self.core.clone()));
        let saver = self.state_file.clone().and_then(|(path, every)| {
            let admin = self.admin.clone();
            (!every.is_zero()).then(|| tokio::spawn(save_every(admin, path, every)))
        });
        let served = self.server.await;
        ring.abort();
        callbacks.abort();
        if let Some(saver) = saver {
            saver.abort();
        }
        if let Some((path, _)) = &self.state_file {
            admin::state::save_file(&self.admin, path).map_err(|e| {
                std::io::Error::other(format!(
                    "--state-file {}: cannot write it: {e}",
                    path.display()
                ))
            })?;
            log::info!("state written to {}", path.display());
        }
        served
    }
}

/// Writes the state to `path` every `every`, off the server's threads.
async fn save_every(admin: web::Data<admin::Admin>, path: PathBuf, every: Duration) {
    let mut ticks = tokio::time::interval(every);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    ticks.tick().await;
    loop {
        ticks.tick().await;
        let (admin, to) = (admin.clone(), path.clone());
        let written = tokio::task::spawn_blocking(move || admin::state::save_file(&admin, &to));
        if let Ok(Err(e)) = written.await {
            log::error!("--state-file {}: cannot write it: {e}", path.display());
        }
    }
}

/// The shared state `config` asks for, its clock confined to the instants every provider's
/// ids can encode, and pinned at `--clock` when given.
fn core_of(config: &Config) -> Result<core::Core, String> {
    let settings = core::Settings {
        seed: config.seed,
        max_messages: config.max_messages,
        max_requests: config.max_requests,
        max_callbacks: config.max_callbacks,
        max_waiters: config.max_waiters,
        max_tenants: config.max_tenants,
        request_timeout: config.request_timeout,
        clock_range: easemob::CLOCK_RANGE,
    };
    let core = core::Core::new(&settings);
    if let Some(now_ms) = config.clock {
        core.clock.set(now_ms, false).map_err(|_| {
            let range = core.clock.range();
            format!(
                "--clock {now_ms}: the clock only shows instants from {} to {} (epoch \
                 milliseconds), which the emulated providers' ids can encode",
                range.start(),
                range.end()
            )
        })?;
    }
    Ok(core)
}

/// The `--fixtures` folder, which must exist and be a folder.
fn fixture_dir(dir: Option<&Path>) -> Result<Option<&Path>, String> {
    match dir {
        Some(d) if !d.exists() => Err(format!("--fixtures {}: no such folder", d.display())),
        Some(d) if !d.is_dir() => Err(format!(
            "--fixtures {}: not a folder (give the folder that holds easemob/tenants.json)",
            d.display()
        )),
        other => Ok(other),
    }
}

/// Workers and connection limits: the open-file limit is raised to its hard limit, and
/// connections are capped below it, so that slow clients cannot exhaust the descriptors
/// the server needs to accept anyone.
fn runtime_of(config: &Config) -> admin::Runtime {
    let workers = config
        .workers
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .max(1);
    let open_files = core::process::raise_open_files_limit();
    admin::Runtime {
        workers,
        open_files,
        connections_per_worker: open_files.map_or(25_000, |n| {
            core::process::connections_per_worker(n, workers)
        }),
        request_timeout: config.request_timeout,
        max_tenants: config.max_tenants,
    }
}
