//! A one-shot HTTP listener on 127.0.0.1 that records the requests it receives and answers
//! each with a canned response: enough to check what a generated client puts on the wire.

use std::sync::{Arc, Mutex};

use cloudspec_runtime::sign::SigningRequest;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// A request as received, in the form the signing functions take.
#[derive(Debug, Clone)]
pub struct Captured {
    /// The request, decoded: method, Host, path, query pairs, headers, body.
    pub request: SigningRequest,
    /// The raw request target (`/path?query`) exactly as sent.
    pub target: String,
}

impl Captured {
    /// The first header named `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.request.header(name)
    }

    /// The first query parameter named `name`.
    pub fn query(&self, name: &str) -> Option<&str> {
        self.request
            .query
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }
}

/// A listener that answers every request with `status` and `body` (plus `headers`).
pub struct CaptureServer {
    /// `http://127.0.0.1:PORT`.
    pub endpoint: String,
    received: Arc<Mutex<Vec<Captured>>>,
    task: tokio::task::JoinHandle<()>,
}

impl CaptureServer {
    /// Starts listening on an ephemeral port of 127.0.0.1.
    pub async fn start(
        status: u16,
        headers: Vec<(String, String)>,
        body: String,
    ) -> std::io::Result<Self> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let endpoint = format!("http://{}", listener.local_addr()?);
        let received = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&received);
        let task = tokio::spawn(async move {
            while let Ok((mut stream, _)) = listener.accept().await {
                let sink = Arc::clone(&sink);
                let headers = headers.clone();
                let body = body.clone();
                tokio::spawn(async move {
                    while let Some(captured) = read_request(&mut stream).await {
                        if let Ok(mut all) = sink.lock() {
                            all.push(captured);
                        }
                        let mut response = format!(
                            "HTTP/1.1 {status} Canned\r\ncontent-length: {}\r\n",
                            body.len()
                        );
                        for (name, value) in &headers {
                            response.push_str(&format!("{name}: {value}\r\n"));
                        }
                        response.push_str("\r\n");
                        response.push_str(&body);
                        if stream.write_all(response.as_bytes()).await.is_err() {
                            return;
                        }
                    }
                });
            }
        });
        Ok(Self {
            endpoint,
            received,
            task,
        })
    }

    /// Every request received so far.
    pub fn received(&self) -> Vec<Captured> {
        self.received
            .lock()
            .map(|all| all.clone())
            .unwrap_or_default()
    }
}

impl Drop for CaptureServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn read_request(stream: &mut tokio::net::TcpStream) -> Option<Captured> {
    let mut buffer = Vec::new();
    let mut chunk = [0_u8; 4096];
    let head_end = loop {
        if let Some(index) = buffer.windows(4).position(|window| window == b"\r\n\r\n") {
            break index;
        }
        let read = stream.read(&mut chunk).await.ok()?;
        if read == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..read]);
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut request_line = lines.next()?.split(' ');
    let method = request_line.next()?.to_owned();
    let target = request_line.next()?.to_owned();
    let mut headers = Vec::new();
    let mut host = String::new();
    for line in lines {
        let (name, value) = line.split_once(':')?;
        let (name, value) = (name.trim().to_owned(), value.trim().to_owned());
        if name.eq_ignore_ascii_case("host") {
            host = value;
        } else {
            headers.push((name, value));
        }
    }
    let length: usize = headers
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, value)| value.parse().ok())
        .unwrap_or(0);
    let mut body = buffer[head_end + 4..].to_vec();
    while body.len() < length {
        let read = stream.read(&mut chunk).await.ok()?;
        if read == 0 {
            return None;
        }
        body.extend_from_slice(&chunk[..read]);
    }
    let (path, query) = target.split_once('?').unwrap_or((target.as_str(), ""));
    let url = url::Url::parse(&format!("http://placeholder{target}")).ok()?;
    let query_pairs = if query.is_empty() {
        Vec::new()
    } else {
        url.query_pairs()
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect()
    };
    let path = percent_encoding::percent_decode_str(path)
        .decode_utf8_lossy()
        .into_owned();
    let mut request = SigningRequest::new(method, host, path);
    request.query = query_pairs;
    request.headers = headers;
    request.body = body;
    Some(Captured { request, target })
}
