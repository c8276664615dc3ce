//! The dev server's HTTP side: answers only from the in-memory site, so no
//! request can ever reach a file outside it (traversal, symlinks and NUL
//! bytes have nothing to resolve against). HTML gets the live-reload script.

use super::reload::{EventStream, Hub, CLIENT};
use crate::markdown::links::percent_decode;
use std::collections::HashMap;
use std::io::{Read, Write};
use std::path::PathBuf;
use std::sync::{Arc, RwLock};
use tiny_http::{Header, Request, Response};

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

enum Lookup {
    Found(String, Arc<Vec<u8>>),
    Redirect(String),
    NotFound,
}

impl Server {
    pub fn handle(&self, request: Request) {
        if !self.host_allowed(&request) {
            let _ = request.respond(Response::from_string("forbidden host").with_status_code(403));
            return;
        }
        let url = request.url().to_string();
        let path = url.split(['?', '#']).next().unwrap_or("/").to_string();
        if path == EVENTS_PATH {
            return self.events(request);
        }
        let response = match self.lookup(&path) {
            Lookup::Found(name, bytes) => {
                if name.ends_with(".html") {
                    self.remember(&name);
                }
                file_response(&name, &bytes, 200)
            }
            Lookup::Redirect(to) => {
                Response::from_data(Vec::new()).with_status_code(301).with_header(header("Location", &to))
            }
            Lookup::NotFound => self.not_found(),
        };
        let _ = request.respond(response);
    }

    fn remember(&self, name: &str) {
        let mut visited = self.visited.lock().expect("visited lock");
        visited.retain(|v| v != name);
        visited.push_back(name.to_string());
        if visited.len() > VISITED {
            visited.pop_front();
        }
    }

    fn host_allowed(&self, request: &Request) -> bool {
        let host = request.headers().iter().find(|h| h.field.equiv("Host")).map(|h| h.value.as_str().to_string());
        host.is_none_or(|host| local_or_ip(split_port(&host).0))
    }

    /// Server-sent events for live reload; a foreign `Origin` is refused.
    fn events(&self, request: Request) {
        let origin = request.headers().iter().find(|h| h.field.equiv("Origin")).map(|h| h.value.as_str().to_string());
        let host = request.headers().iter().find(|h| h.field.equiv("Host")).map(|h| h.value.as_str().to_string());
        if let Some(origin) = origin {
            // The page that opens the channel came from this server, under the name it used.
            let authority = origin.strip_prefix("http://").unwrap_or("");
            let (name, port) = split_port(authority);
            let same = host.is_none_or(|h| h.eq_ignore_ascii_case(authority));
            if !(same && local_or_ip(name) && port == Some(self.port)) {
                let _ = request.respond(Response::from_string("foreign origin").with_status_code(403));
                return;
            }
        }
        let hub = self.hub.clone();
        // Written by hand onto the socket so every event is flushed at once
        // (a chunked response body would be buffered).
        std::thread::spawn(move || {
            let mut w = request.into_writer();
            let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n";
            if w.write_all(head.as_bytes()).and_then(|_| w.flush()).is_err() {
                return;
            }
            let mut stream = EventStream::new(hub);
            let mut buf = [0u8; 4096];
            while let Ok(n) = stream.read(&mut buf) {
                if n == 0 || w.write_all(&buf[..n]).and_then(|_| w.flush()).is_err() {
                    break;
                }
            }
        });
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

    fn not_found(&self) -> Response<std::io::Cursor<Vec<u8>>> {
        let files = self.files.read().expect("site lock");
        match (files.get("404.html"), files.is_empty()) {
            (Some(bytes), _) => file_response("404.html", bytes, 404),
            (None, true) => self.not_built_yet(),
            (None, false) => Response::from_string("404 not found").with_status_code(404),
        }
    }

    /// Before the first good build there is no site to serve: every page is
    /// this one, with the error and the reload client, which shows the
    /// overlay and reloads as soon as a save builds.
    fn not_built_yet(&self) -> Response<std::io::Cursor<Vec<u8>>> {
        let error = self.hub.current().error.unwrap_or_else(|| "the first build is still running".into());
        let page = format!(
            "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\"><title>rapport: the site does not build yet</title></head>\
             <body><h1>The site does not build yet</h1><pre>{}</pre><p>Fix the file and save: this page reloads by itself.</p></body></html>",
            crate::markdown::text::escape_attr(&error)
        );
        file_response("index.html", page.as_bytes(), 503)
    }
}

fn file_response(name: &str, bytes: &[u8], status: u16) -> Response<std::io::Cursor<Vec<u8>>> {
    let mime = mime_guess::from_path(PathBuf::from(name)).first_or_octet_stream();
    let is_html = mime.essence_str() == "text/html";
    let body = if is_html { inject(bytes) } else { bytes.to_vec() };
    let content_type = if mime.type_() == "text" || mime.essence_str() == "application/javascript" {
        format!("{}; charset=utf-8", mime.essence_str())
    } else {
        mime.essence_str().to_string()
    };
    Response::from_data(body)
        .with_status_code(status)
        .with_header(header("Content-Type", &content_type))
        .with_header(header("Cache-Control", "no-store"))
        .with_header(header("X-Content-Type-Options", "nosniff"))
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

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("static header names and values are valid")
}
