//! One keep-alive HTTP/1.1 client connection of the load generator.

use std::net::SocketAddr;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::response::{self, Body};

/// Free buffer space kept before each read.
const READ_SPACE: usize = 16 * 1024;

/// A connection that sends one request at a time and frames each response.
pub struct Conn {
    stream: TcpStream,
    buf: Vec<u8>,
}

/// What came back for one request.
pub struct Outcome {
    pub status: u16,
    /// The server asked to close; open a new connection before the next one.
    pub close: bool,
}

impl Conn {
    /// Connects with Nagle's algorithm off.
    pub async fn open(addr: SocketAddr) -> Result<Self, String> {
        let stream = TcpStream::connect(addr)
            .await
            .map_err(|e| format!("connect {addr}: {e}"))?;
        stream.set_nodelay(true).map_err(|e| e.to_string())?;
        Ok(Self {
            stream,
            buf: Vec::with_capacity(READ_SPACE),
        })
    }

    /// Writes `raw` and reads until its response is complete.
    pub async fn exchange(&mut self, raw: &[u8]) -> Result<Outcome, String> {
        self.send(raw).await?;
        self.receive().await
    }

    /// Writes one request.
    pub async fn send(&mut self, raw: &[u8]) -> Result<(), String> {
        self.stream.write_all(raw).await.map_err(|e| e.to_string())
    }

    /// Reads until the next response is complete.
    pub async fn receive(&mut self) -> Result<Outcome, String> {
        loop {
            if let Some(frame) = response::parse(&self.buf)? {
                if matches!(frame.body, Body::UntilClose(_)) {
                    return Err("response without length".into());
                }
                self.buf.drain(..frame.len);
                return Ok(Outcome {
                    status: frame.status,
                    close: frame.close,
                });
            }
            self.fill().await?;
        }
    }

    async fn fill(&mut self) -> Result<(), String> {
        if self.buf.capacity() - self.buf.len() < READ_SPACE {
            self.buf.reserve(READ_SPACE);
        }
        match self.stream.read_buf(&mut self.buf).await {
            Ok(0) => Err("connection closed by server".into()),
            Ok(_) => Ok(()),
            Err(e) => Err(e.to_string()),
        }
    }
}
