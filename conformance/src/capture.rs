//! An HTTP listener on 127.0.0.1 that records the requests it receives and answers each
//! with a canned response, or relays it to another local server (an emulator) and relays
//! the answer back: enough to check what a client puts on the wire.

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

/// How a [`CaptureServer`] answers.
#[derive(Debug, Clone)]
enum Answer {
    /// The same response to every request.
    Canned(String),
    /// Whatever the server at this `host:port` answers.
    Relay(String),
}

/// A listener that records every request and answers it ([`CaptureServer::start`],
/// [`CaptureServer::relay`]).
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
        let mut response = format!(
            "HTTP/1.1 {status} Canned\r\ncontent-length: {}\r\n",
            body.len()
        );
        for (name, value) in &headers {
            response.push_str(&format!("{name}: {value}\r\n"));
        }
        response.push_str("\r\n");
        response.push_str(&body);
        Self::listen(Answer::Canned(response)).await
    }

    /// Starts listening on an ephemeral port of 127.0.0.1, relaying each request to
    /// `upstream` (`http://127.0.0.1:PORT`) on a connection of its own and its answer back.
    pub async fn relay(upstream: &str) -> std::io::Result<Self> {
        let host = upstream
            .strip_prefix("http://")
            .unwrap_or(upstream)
            .trim_end_matches('/')
            .to_owned();
        Self::listen(Answer::Relay(host)).await
    }

    async fn listen(answer: Answer) -> std::io::Result<Self> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let endpoint = format!("http://{}", listener.local_addr()?);
        let received = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&received);
        let task = tokio::spawn(async move {
            while let Ok((mut stream, _)) = listener.accept().await {
                let sink = Arc::clone(&sink);
                let answer = answer.clone();
                tokio::spawn(async move {
                    while let Some(captured) = read_request(&mut stream).await {
                        let response = match &answer {
                            Answer::Canned(response) => response.clone().into_bytes(),
                            Answer::Relay(upstream) => match relayed(upstream, &captured).await {
                                Some(response) => response,
                                None => return,
                            },
                        };
                        if let Ok(mut all) = sink.lock() {
                            all.push(captured);
                        }
                        if stream.write_all(&response).await.is_err() {
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

    /// The requests received since the first `seen`, moving `seen` past them: what one
    /// side of a comparison sent.
    pub fn take_new(&self, seen: &mut usize) -> Vec<Captured> {
        let new = self
            .received
            .lock()
            .map(|all| all.get(*seen..).unwrap_or_default().to_vec())
            .unwrap_or_default();
        *seen += new.len();
        new
    }
}

impl Drop for CaptureServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// `captured` sent to `upstream` as it came (target, headers, body) on a new connection
/// that closes after the answer, and the answer's bytes as they came, framing included.
async fn relayed(upstream: &str, captured: &Captured) -> Option<Vec<u8>> {
    let request = &captured.request;
    let mut head = format!(
        "{} {} HTTP/1.1\r\nhost: {}\r\n",
        request.method, captured.target, request.host
    );
    for (name, value) in &request.headers {
        if !name.eq_ignore_ascii_case("connection") && !name.eq_ignore_ascii_case("content-length")
        {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
    }
    head.push_str(&format!(
        "content-length: {}\r\nconnection: close\r\n\r\n",
        request.body.len()
    ));
    let mut connection = tokio::net::TcpStream::connect(upstream).await.ok()?;
    connection.write_all(head.as_bytes()).await.ok()?;
    connection.write_all(&request.body).await.ok()?;
    let mut response = Vec::new();
    connection.read_to_end(&mut response).await.ok()?;
    Some(response)
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
