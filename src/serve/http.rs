//! The dev server's HTTP side: answers only from the in-memory site, so no
//! request can ever reach a file outside it (traversal, symlinks and NUL
//! bytes have nothing to resolve against). HTML gets the live-reload script.

use super::reload::{EventBody, Hub, CLIENT};
use crate::urls::percent_decode;
use bytes::Bytes;
use http_body_util::{Either, Full};
use hyper::header::{self, HeaderMap, HeaderValue};
use hyper::{Method, Request, Response, StatusCode};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, RwLock};

/// The served site: output path (`a/b/index.html`) → bytes.
pub type Files = Arc<RwLock<HashMap<String, Arc<Vec<u8>>>>>;

pub const EVENTS_PATH: &str = "/__rapport/events";

/// Output paths of the HTML pages served most recently, newest last.
pub type Visited = Arc<std::sync::Mutex<std::collections::VecDeque<String>>>;

/// How many recently served pages count as "being viewed".
pub const VISITED: usize = 64;

pub struct Server {
    pub files: Files,
    pub visited: Visited,
    pub hub: Arc<Hub>,
    /// The path prefix of the site (`/` or `/docs/`).
    pub base_path: String,
    pub port: u16,
}

/// A response body: bytes from the served map, or the endless reload stream.
pub type Reply = Response<Either<Full<Bytes>, EventBody>>;

enum Lookup {
    Found(String, Arc<Vec<u8>>),
    Redirect(String),
    NotFound,
}

impl Server {
    /// Answers one request. Only the method, path and a few headers are
    /// read; a body, whatever its announced length, is never read.
    pub fn handle<B>(&self, request: &Request<B>) -> Reply {
        let headers = request.headers();
        if !self.host_allowed(headers) {
            return text(StatusCode::FORBIDDEN, "forbidden host");
        }
        if !matches!(*request.method(), Method::GET | Method::HEAD) {
            let mut response = text(StatusCode::METHOD_NOT_ALLOWED, "only GET and HEAD");
            response.headers_mut().insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
            return response;
        }
        let path = request.uri().path();
        if path == EVENTS_PATH {
            return self.events(headers);
        }
        match self.lookup(path) {
            Lookup::Found(name, bytes) => {
                if name.ends_with(".html") {
                    self.remember(&name);
                }
                file_response(&name, &bytes, StatusCode::OK)
            }
            Lookup::Redirect(to) => {
                let mut response = full(StatusCode::MOVED_PERMANENTLY, Bytes::new());
                if let Ok(value) = HeaderValue::from_str(&to) {
                    response.headers_mut().insert(header::LOCATION, value);
                }
                response
            }
            Lookup::NotFound => self.not_found(),
        }
    }

    fn remember(&self, name: &str) {
        let mut visited = self.visited.lock().expect("visited lock");
        visited.retain(|v| v != name);
        visited.push_back(name.to_string());
        if visited.len() > VISITED {
            visited.pop_front();
        }
    }

    fn host_allowed(&self, headers: &HeaderMap) -> bool {
        header_str(headers, header::HOST).is_none_or(|host| local_or_ip(split_port(host).0))
    }

    /// Server-sent events for live reload; a foreign `Origin` is refused.
    fn events(&self, headers: &HeaderMap) -> Reply {
        if let Some(origin) = header_str(headers, header::ORIGIN) {
            // The page that opens the channel came from this server, under the name it used.
            let authority = origin.strip_prefix("http://").unwrap_or("");
            let (name, port) = split_port(authority);
            let same = header_str(headers, header::HOST).is_none_or(|h| h.eq_ignore_ascii_case(authority));
            if !(same && local_or_ip(name) && port == Some(self.port)) {
                return text(StatusCode::FORBIDDEN, "foreign origin");
            }
        }
        let mut response = Response::new(Either::Right(self.hub.events()));
        let h = response.headers_mut();
        h.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/event-stream"));
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        response
    }

    fn lookup(&self, raw_path: &str) -> Lookup {
        let decoded = percent_decode(raw_path);
        let Some(rel) = decoded
            .strip_prefix(&self.base_path)
            .or_else(|| decoded.strip_prefix(self.base_path.trim_end_matches('/')))
        else {
            return Lookup::NotFound;
        };
        let segments: Vec<&str> = rel.split('/').filter(|s| !s.is_empty()).collect();
        if segments.iter().any(|s| *s == "." || *s == ".." || s.contains(['\\', '\0', '%'])) {
            return Lookup::NotFound;
        }
        let key = segments.join("/");
        let files = self.files.read().expect("site lock");
        if let Some(bytes) = files.get(&key) {
            return Lookup::Found(key, bytes.clone());
        }
        let index = if key.is_empty() { "index.html".to_string() } else { format!("{key}/index.html") };
        match files.get(&index) {
            Some(bytes) if key.is_empty() || decoded.ends_with('/') => Lookup::Found(index, bytes.clone()),
            Some(_) => Lookup::Redirect(format!("{}/", raw_path.trim_end_matches('/'))),
            None => Lookup::NotFound,
        }
    }

    fn not_found(&self) -> Reply {
        let files = self.files.read().expect("site lock");
        match (files.get("404.html"), files.is_empty()) {
            (Some(bytes), _) => file_response("404.html", bytes, StatusCode::NOT_FOUND),
            (None, true) => self.not_built_yet(),
            (None, false) => text(StatusCode::NOT_FOUND, "404 not found"),
        }
    }

    /// Before the first good build there is no site to serve: every page is
    /// this one, with the error and the reload client, which shows the
    /// overlay and reloads as soon as a save builds.
    fn not_built_yet(&self) -> Reply {
        let error = self.hub.current().error.unwrap_or_else(|| "the first build is still running".into());
        let page = format!(
            "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\"><title>rapport: the site does not build yet</title></head>\
             <body><h1>The site does not build yet</h1><pre>{}</pre><p>Fix the file and save: this page reloads by itself.</p></body></html>",
            crate::markdown::text::escape_attr(&error)
        );
        file_response("index.html", page.as_bytes(), StatusCode::SERVICE_UNAVAILABLE)
    }
}

fn file_response(name: &str, bytes: &[u8], status: StatusCode) -> Reply {
    let mime = mime_guess::from_path(PathBuf::from(name)).first_or_octet_stream();
    let is_html = mime.essence_str() == "text/html";
    let body = if is_html { inject(bytes) } else { bytes.to_vec() };
    let content_type = if mime.type_() == "text" || mime.essence_str() == "application/javascript" {
        format!("{}; charset=utf-8", mime.essence_str())
    } else {
        mime.essence_str().to_string()
    };
    let mut response = full(status, Bytes::from(body));
    let h = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&content_type) {
        h.insert(header::CONTENT_TYPE, value);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    response
}

fn full(status: StatusCode, body: Bytes) -> Reply {
    let mut response = Response::new(Either::Left(Full::new(body)));
    *response.status_mut() = status;
    response
}

fn text(status: StatusCode, message: &'static str) -> Reply {
    full(status, Bytes::from_static(message.as_bytes()))
}

fn header_str(headers: &HeaderMap, name: header::HeaderName) -> Option<&str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// Adds the live-reload client before `</body>` (or at the end).
pub fn inject(html: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(html);
    match text.rfind("</body>") {
        Some(i) => format!("{}{CLIENT}{}", &text[..i], &text[i..]).into_bytes(),
        None => format!("{text}{CLIENT}").into_bytes(),
    }
}

/// `host:port` (or `[v6]:port`) split into the name and the port, if any.
fn split_port(host: &str) -> (&str, Option<u16>) {
    match host.rsplit_once(':').filter(|(_, port)| !port.contains(']')) {
        Some((name, port)) => (name, port.parse().ok()),
        None => (host, None),
    }
}

/// Names are checked against DNS rebinding: only `localhost` and its
/// subdomains pass. An IP address cannot be rebound, and is what a phone on
/// the LAN sends when the server was started with `--bind 0.0.0.0`.
fn local_or_ip(name: &str) -> bool {
    let v6 = name.strip_prefix('[').and_then(|n| n.strip_suffix(']'));
    name == "localhost"
        || name.ends_with(".localhost")
        || name.parse::<std::net::Ipv4Addr>().is_ok()
        || v6.is_some_and(|n| n.parse::<std::net::Ipv6Addr>().is_ok())
}
