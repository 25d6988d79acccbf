//! im-emulator: one small server that emulates, offline, the server APIs of chat/IM services,
//! so that applications, SDKs and test suites can run against `http://127.0.0.1:4800` instead
//! of the real cloud. [`Application::build`] makes exactly what the binary runs.

pub mod admin;
pub mod config;
pub mod core;
mod fallback;
pub mod healthcheck;
pub mod providers;

use actix_web::middleware::{Condition, Logger};
use actix_web::{dev::Server, web, App, HttpServer};
use config::Config;
use providers::{easemob, Provider};
use std::net::{SocketAddr, TcpListener};
use std::sync::Arc;

/// The version printed in the ready line and `/_emulator/health`.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// A bound, not yet running server.
pub struct Application {
    server: Server,
    address: SocketAddr,
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
        let core = Arc::new(core::Core::new(config.seed));
        let fixtures = easemob::Fixtures::load(config.fixtures.as_deref())?;
        let easemob = web::Data::new(easemob::State::new(
            core.clone(),
            fixtures,
            config.strict_tenants,
        ));
        let providers: Vec<Arc<dyn Provider>> = vec![easemob.clone().into_inner()];
        let admin = web::Data::new(admin::Admin::new(core, providers));
        let listener = TcpListener::bind(&config.bind)
            .map_err(|e| format!("cannot listen on {}: {e}", config.bind))?;
        let address = listener.local_addr().map_err(|e| e.to_string())?;
        // The request log costs a little on every call: only wrap it when it is shown.
        let log_requests =
            log::log_enabled!(target: "actix_web::middleware::logger", log::Level::Info);
        let mut server = HttpServer::new(move || {
            App::new()
                .wrap(Condition::new(
                    log_requests,
                    Logger::new("%a \"%r\" %s %b %Dms"),
                ))
                .configure(|cfg| admin::configure(cfg, admin.clone()))
                .configure(|cfg| easemob::configure(cfg, easemob.clone()))
                .default_service(web::to(fallback::unmatched))
        })
        .shutdown_timeout(2);
        if let Some(workers) = config.workers {
            server = server.workers(workers.max(1));
        }
        let server = server
            .listen(listener)
            .map_err(|e| format!("cannot listen on {}: {e}", config.bind))?
            .run();
        Ok(Self { server, address })
    }

    /// The address the server listens on.
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// `http://host:port`, as clients should be configured.
    pub fn url(&self) -> String {
        format!("http://{}", self.address)
    }

    /// Serves until SIGINT or SIGTERM, then shuts down cleanly.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
    }
}
