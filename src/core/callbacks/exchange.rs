//! One attempt of a callback over HTTP: the POST with the delivery's headers and exact body
//! bytes, the answer's body read up to a cap ([`super::ANSWER_KEPT`], or
//! [`super::ANSWER_AWAITED`] for a hook the provider waits for), the whole exchange within the
//! delivery's timeout, and its outcome. Plain `http://` only: the emulator has no TLS client.

use super::{Answer, Delivery, Exchanged, Outcome};
use actix_web::web::{Bytes, BytesMut};

/// The client every attempt uses: no proxy, no redirects, names resolved in Rust.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap_or_default()
}

fn failed(error: String) -> Exchanged {
    Exchanged {
        answer: None,
        outcome: Outcome::Failed,
        error: Some(error),
    }
}

/// Sends `d` once, reading at most `cap` bytes of the answer's body.
pub async fn attempt(client: &reqwest::Client, d: &Delivery, cap: usize) -> Exchanged {
    let url = match reqwest::Url::parse(&d.url) {
        Ok(url) => url,
        Err(e) => return failed(format!("bad callback URL {:?}: {e}", d.url)),
    };
    if url.scheme() != "http" {
        return failed(format!(
            "{} URLs are not supported by the emulator yet: give an http:// URL",
            url.scheme()
        ));
    }
    let mut request = client.post(url);
    for (name, value) in &d.headers {
        request = request.header(*name, value);
    }
    let request = request.body(d.body.clone());
    let sent = async {
        let response = request.send().await?;
        let status = response.status().as_u16();
        let (body, truncated) = read_capped(response, cap).await?;
        Ok::<_, reqwest::Error>(Answer {
            status,
            body,
            truncated,
        })
    };
    match tokio::time::timeout(d.timeout, sent).await {
        Err(_) => Exchanged {
            answer: None,
            outcome: Outcome::Timeout,
            error: Some(format!("no answer within {} ms", d.timeout.as_millis())),
        },
        Ok(Err(e)) => failed(describe(&e)),
        Ok(Ok(answer)) => Exchanged {
            outcome: if d.success.contains(&answer.status) {
                Outcome::Delivered
            } else {
                Outcome::Rejected
            },
            answer: Some(answer),
            error: None,
        },
    }
}

/// The first `cap` bytes of the body, and whether there were more.
async fn read_capped(
    mut response: reqwest::Response,
    cap: usize,
) -> reqwest::Result<(Bytes, bool)> {
    let mut body = BytesMut::new();
    while let Some(chunk) = response.chunk().await? {
        let room = cap - body.len();
        if chunk.len() > room {
            body.extend_from_slice(&chunk[..room]);
            return Ok((body.freeze(), true));
        }
        body.extend_from_slice(&chunk);
    }
    Ok((body.freeze(), false))
}

/// The error with its causes: "error sending request: ... Connection refused".
fn describe(e: &reqwest::Error) -> String {
    let mut text = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
