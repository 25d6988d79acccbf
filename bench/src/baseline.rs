//! The baseline server: the least an actix-web JSON endpoint can cost here.
//!
//! Every POST parses its body into a `serde_json::Value` and gets the same
//! constant JSON reply, shaped like an Easemob send reply; `GET` of any path
//! answers the same way. Its worker count is actix-web's default (one per
//! core), as for the emulator.

use actix_web::{web, App, HttpResponse, HttpServer};

/// Reply to every request, shaped and sized like a one-recipient send reply.
const REPLY: &str = concat!(
    r#"{"path":"/messages/users","uri":"http://127.0.0.1:40000/demo/bench/messages/users","#,
    r#""timestamp":1700000000000,"organization":"demo","#,
    r#""application":"b3810c3d-ec6c-1b6c-8250-760fa31026fd","action":"post","#,
    r#""data":{"bob":"1622392427258056029"},"duration":0,"applicationName":"bench"}"#
);

async fn post(body: web::Bytes) -> HttpResponse {
    match serde_json::from_slice::<serde_json::Value>(&body) {
        Ok(_) => reply(),
        Err(_) => HttpResponse::BadRequest().finish(),
    }
}

async fn get() -> HttpResponse {
    reply()
}

fn reply() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json")
        .body(REPLY)
}

/// Serves until SIGTERM, after printing `baseline listening on http://ADDR`.
pub fn serve(bind: &str) -> Result<(), String> {
    actix_web::rt::System::new().block_on(async {
        let server = HttpServer::new(|| {
            App::new()
                .app_data(web::PayloadConfig::new(1 << 20))
                .default_service(web::route().to(get))
                .route("/{tail:.*}", web::post().to(post))
        })
        .bind(bind)
        .map_err(|e| format!("bind {bind}: {e}"))?;
        let addr = server.addrs().first().copied().ok_or("no address bound")?;
        println!("baseline listening on http://{addr}");
        server.run().await.map_err(|e| e.to_string())
    })
}
