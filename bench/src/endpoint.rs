//! Address of a server under load and the raw HTTP/1.1 requests sent to it.

use std::net::{SocketAddr, ToSocketAddrs};

/// A server the benchmark talks to: socket address, Host header, path prefix.
#[derive(Debug, Clone)]
pub struct Endpoint {
    pub addr: SocketAddr,
    pub host: String,
    pub prefix: String,
}

impl Endpoint {
    /// Parses `http://host[:port][/prefix]`, resolving the host.
    pub fn from_url(url: &str) -> Result<Self, String> {
        let rest = url
            .strip_prefix("http://")
            .ok_or_else(|| format!("{url}: only http:// URLs are supported"))?;
        let (authority, prefix) = match rest.find('/') {
            Some(i) => (&rest[..i], rest[i..].trim_end_matches('/')),
            None => (rest, ""),
        };
        let with_port = if authority.rsplit(':').next().is_some_and(is_port) {
            authority.to_string()
        } else {
            format!("{authority}:80")
        };
        let addr = with_port
            .to_socket_addrs()
            .map_err(|e| format!("{url}: {e}"))?
            .next()
            .ok_or_else(|| format!("{url}: host has no address"))?;
        Ok(Self {
            addr,
            host: authority.to_string(),
            prefix: prefix.to_string(),
        })
    }

    /// True when the address is on this machine's loopback interface.
    pub fn is_loopback(&self) -> bool {
        self.addr.ip().is_loopback()
    }

    /// Encodes one keep-alive request with a bearer `token`; `body` is sent as JSON.
    pub fn request(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<&str>,
    ) -> Vec<u8> {
        let bearer = token.map(|t| format!("Bearer {t}"));
        let headers: Vec<(&str, &str)> = bearer
            .as_deref()
            .map(|b| ("Authorization", b))
            .into_iter()
            .collect();
        self.request_with(method, path, &headers, body)
    }

    /// Encodes one keep-alive request with `headers`; `body` is sent as JSON.
    pub fn request_with(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<&str>,
    ) -> Vec<u8> {
        let mut head = format!(
            "{method} {}{path} HTTP/1.1\r\nHost: {}\r\n",
            self.prefix, self.host
        );
        for (name, value) in headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        if let Some(body) = body {
            head.push_str("Content-Type: application/json\r\n");
            head.push_str(&format!("Content-Length: {}\r\n\r\n{body}", body.len()));
        } else {
            head.push_str("\r\n");
        }
        head.into_bytes()
    }
}

fn is_port(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) && s.len() <= 5
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_url_with_prefix() {
        let ep = Endpoint::from_url("http://127.0.0.1:8080/api/").unwrap();
        assert_eq!(ep.addr.port(), 8080);
        assert_eq!(ep.host, "127.0.0.1:8080");
        assert_eq!(ep.prefix, "/api");
        assert!(ep.is_loopback());
    }

    #[test]
    fn encodes_post_with_token() {
        let ep = Endpoint::from_url("http://127.0.0.1:1").unwrap();
        let raw = ep.request("POST", "/a", Some("t"), Some("{}"));
        let text = String::from_utf8(raw).unwrap();
        assert!(text.starts_with("POST /a HTTP/1.1\r\nHost: 127.0.0.1:1\r\n"));
        assert!(text.contains("Authorization: Bearer t\r\n"));
        assert!(text.ends_with("Content-Length: 2\r\n\r\n{}"));
    }
}
