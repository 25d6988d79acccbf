//! An application server for callback tests: listens on 127.0.0.1, records every request
//! (method, path, headers, raw body bytes) and answers the status and body the test chooses,
//! or never answers when that status is 0.

use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer};
use std::sync::atomic::{AtomicU16, Ordering};
use std::sync::{Arc, Mutex};

/// One request the receiver got.
#[derive(Debug, Clone)]
pub struct Hit {
    pub method: String,
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Hit {
    /// The body, which must be compact JSON.
    pub fn json(&self) -> serde_json::Value {
        let body: serde_json::Value = serde_json::from_slice(&self.body).expect("a JSON body");
        assert_eq!(body.to_string().as_bytes(), &self.body[..], "compact JSON");
        body
    }

    /// The value of the header `name` (any case).
    pub fn header(&self, name: &str) -> &str {
        let found = self
            .headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name));
        found.map_or_else(
            || panic!("no header {name}: {:?}", self.headers),
            |(_, v)| v,
        )
    }
}

/// A running receiver.
pub struct Receiver {
    pub url: String,
    hits: Arc<Mutex<Vec<Hit>>>,
    status: Arc<AtomicU16>,
    body: Arc<Mutex<Vec<u8>>>,
}

impl Receiver {
    /// A receiver answering `status` (0: never answering) to every request.
    pub async fn start(status: u16) -> Self {
        let hits = Arc::new(Mutex::new(Vec::new()));
        let status = Arc::new(AtomicU16::new(status));
        let answer_body = Arc::new(Mutex::new(b"receiver answer".to_vec()));
        let (h, s, a) = (hits.clone(), status.clone(), answer_body.clone());
        let server = HttpServer::new(move || {
            let (h, s, a) = (h.clone(), s.clone(), a.clone());
            App::new().default_service(web::to(move |req: HttpRequest, body: web::Bytes| {
                let (h, s, a) = (h.clone(), s.clone(), a.clone());
                async move { answer(req, body, h, s, a).await }
            }))
        })
        .workers(1)
        .disable_signals()
        .bind("127.0.0.1:0")
        .expect("the receiver binds");
        let url = format!("http://{}", server.addrs()[0]);
        tokio::spawn(server.run());
        Self {
            url,
            hits,
            status,
            body: answer_body,
        }
    }

    /// A receiver answering `status` with the JSON `body` to every request.
    pub async fn start_json(status: u16, body: serde_json::Value) -> Self {
        let receiver = Self::start(status).await;
        receiver.answer_body(body.to_string().as_bytes());
        receiver
    }

    /// Answers with `body` (bytes as they are) from now on.
    pub fn answer_body(&self, body: &[u8]) {
        *self.body.lock().unwrap() = body.to_vec();
    }

    /// Answers `status` from now on.
    pub fn answer(&self, status: u16) {
        self.status.store(status, Ordering::SeqCst);
    }

    /// Every request so far.
    pub fn hits(&self) -> Vec<Hit> {
        self.hits.lock().unwrap().clone()
    }
}

async fn answer(
    req: HttpRequest,
    body: web::Bytes,
    hits: Arc<Mutex<Vec<Hit>>>,
    status: Arc<AtomicU16>,
    answer_body: Arc<Mutex<Vec<u8>>>,
) -> HttpResponse {
    let headers = (req.headers().iter())
        .map(|(n, v)| (n.as_str().to_owned(), v.to_str().unwrap_or("").to_owned()))
        .collect();
    hits.lock().unwrap().push(Hit {
        method: req.method().to_string(),
        path: req.path().to_owned(),
        headers,
        body: body.to_vec(),
    });
    match status.load(Ordering::SeqCst) {
        0 => std::future::pending().await,
        code => {
            let code = actix_web::http::StatusCode::from_u16(code).unwrap();
            let body = answer_body.lock().unwrap().clone();
            HttpResponse::build(code).body(body)
        }
    }
}

/// An http:// URL on which nothing listens.
pub fn closed_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    drop(listener);
    format!("http://{address}/copy")
}
