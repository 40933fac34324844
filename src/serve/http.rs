//! The HTTP side of `serve`: files from memory, the live-reload socket.

use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::broadcast;

use super::guard::{self, AllowedHosts};

use super::files::{Body, Files, Lookup, content_type};

pub const LIVERELOAD_PATH: &str = "/__gongkai/livereload";
const LIVERELOAD_JS: &str = include_str!("livereload.js");

/// What the server and the rebuild thread share.
#[derive(Clone)]
pub struct Shared {
    pub files: Arc<RwLock<Files>>,
    /// The message a newly opened tab gets: the current errors, or "ok".
    pub status: Arc<RwLock<String>>,
    pub messages: broadcast::Sender<String>,
    /// The site folder with links resolved: a file served from disk must
    /// still be inside it when it is asked for.
    pub site_root: Arc<PathBuf>,
}

impl Shared {
    pub fn new(site_root: &Path) -> Shared {
        let (messages, _) = broadcast::channel(16);
        Shared {
            files: Arc::new(RwLock::new(Files::default())),
            status: Arc::new(RwLock::new(r#"{"type":"ok"}"#.to_owned())),
            messages,
            site_root: Arc::new(
                std::fs::canonicalize(site_root).unwrap_or_else(|_| site_root.to_path_buf()),
            ),
        }
    }

    /// Tells every open tab, and tabs opened later, `message`.
    pub fn announce(&self, message: String, lasting: bool) {
        if lasting && let Ok(mut status) = self.status.write() {
            status.clone_from(&message);
        }
        let _ = self.messages.send(message);
    }
}

pub fn router(shared: Shared, allowed: AllowedHosts) -> Router {
    Router::new()
        .route(LIVERELOAD_PATH, get(livereload))
        .fallback(get(serve_file))
        .with_state(shared)
        .layer(axum::middleware::from_fn_with_state(
            Arc::new(allowed),
            guard::check,
        ))
}

/// How long a client may take to send a request's headers, and how long an
/// idle kept-alive connection stays open: a client that connects and never
/// finishes (or never starts) a request is let go.
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(10);

/// Answers connections on `listener` with `router` until `stop` completes.
pub async fn serve_connections(
    listener: TcpListener,
    router: Router,
    stop: impl Future<Output = ()>,
) {
    let mut stop = std::pin::pin!(stop);
    loop {
        let (stream, _) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                // Out of file handles and the like: the next accept may work.
                Err(_) => continue,
            },
            () = &mut stop => return,
        };
        let service = TowerToHyperService::new(router.clone());
        tokio::spawn(async move {
            let connection = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(HEADER_TIMEOUT)
                .serve_connection(TokioIo::new(stream), service)
                .with_upgrades();
            // A failed connection concerns only its client.
            let _ = connection.await;
        });
    }
}

/// Puts the live-reload script before `</body>`.
fn inject(html: &str) -> String {
    let script = format!("<script>{LIVERELOAD_JS}</script>");
    match html.rfind("</body>") {
        Some(at) => format!("{}{script}{}", &html[..at], &html[at..]),
        None => format!("{html}{script}"),
    }
}

fn respond(status: StatusCode, content_type: &str, bytes: Vec<u8>) -> Response {
    let mut response = (status, bytes).into_response();
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(content_type) {
        headers.insert(header::CONTENT_TYPE, value);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

const WAITING: &str = "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>等待内容修复</title></head><body><p>网站还没有成功生成过：请按提示修改内容，保存后页面会自动刷新。</p></body></html>";

async fn serve_file(State(shared): State<Shared>, uri: Uri) -> Response {
    enum Found {
        Bytes(String, Vec<u8>),
        Disk(String, std::path::PathBuf),
        Redirect(String),
        Missing(Option<String>),
        Refused,
        Waiting,
    }
    let found = {
        let Ok(files) = shared.files.read() else {
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        };
        if files.is_empty() {
            Found::Waiting
        } else {
            match files.lookup(uri.path()) {
                Lookup::Found(path, Body::Html(html)) => {
                    Found::Bytes(path.to_owned(), inject(html).into_bytes())
                }
                Lookup::Found(path, Body::Text(text)) => {
                    Found::Bytes(path.to_owned(), text.as_bytes().to_vec())
                }
                Lookup::Found(path, Body::Bytes(bytes)) => {
                    Found::Bytes(path.to_owned(), bytes.to_vec())
                }
                Lookup::Found(path, Body::Embedded(bytes)) => {
                    Found::Bytes(path.to_owned(), bytes.to_vec())
                }
                Lookup::Found(path, Body::Disk(from)) => Found::Disk(path.to_owned(), from.clone()),
                Lookup::Redirect(to) => Found::Redirect(to),
                Lookup::NotFound => Found::Missing(match files.get("404.html") {
                    Some(Body::Html(html)) => Some(inject(html)),
                    _ => None,
                }),
                Lookup::Refused => Found::Refused,
            }
        }
    };
    match found {
        Found::Bytes(path, bytes) => respond(StatusCode::OK, &content_type(&path), bytes),
        Found::Disk(path, from) => match open_streamed(&from, &shared.site_root).await {
            Some((length, body)) => {
                let mut response = respond(StatusCode::OK, &content_type(&path), Vec::new());
                *response.body_mut() = body;
                response
                    .headers_mut()
                    .insert(header::CONTENT_LENGTH, HeaderValue::from(length));
                response
            }
            None => respond(
                StatusCode::NOT_FOUND,
                "text/plain; charset=utf-8",
                "文件已不存在".as_bytes().to_vec(),
            ),
        },
        Found::Redirect(to) => {
            let mut response = StatusCode::MOVED_PERMANENTLY.into_response();
            if let Ok(location) = HeaderValue::from_str(&to) {
                response.headers_mut().insert(header::LOCATION, location);
            }
            response
        }
        Found::Missing(page) => respond(
            StatusCode::NOT_FOUND,
            "text/html; charset=utf-8",
            page.unwrap_or_else(|| inject("<p>页面不存在</p>"))
                .into_bytes(),
        ),
        Found::Refused => respond(
            StatusCode::BAD_REQUEST,
            "text/plain; charset=utf-8",
            "不允许的路径".as_bytes().to_vec(),
        ),
        Found::Waiting => respond(
            StatusCode::SERVICE_UNAVAILABLE,
            "text/html; charset=utf-8",
            inject(WAITING).into_bytes(),
        ),
    }
}

/// A regular file of the site as a body read as it is sent, so that any
/// number of downloads of a large attachment take no more memory than their
/// buffers. The last good build may list a file that has since been made a
/// link out of the site (the rebuild that noticed it failed): it is looked
/// at again here.
async fn open_streamed(path: &Path, site_root: &Path) -> Option<(u64, axum::body::Body)> {
    let real = tokio::fs::canonicalize(path).await.ok()?;
    if !real.starts_with(site_root) {
        return None;
    }
    let (file, size) = crate::load::sources::open_regular(&real).ok()?;
    let file = tokio::fs::File::from_std(file);
    let stream = tokio_util::io::ReaderStream::new(file);
    Some((size, axum::body::Body::from_stream(stream)))
}

async fn livereload(ws: WebSocketUpgrade, State(shared): State<Shared>) -> Response {
    ws.on_upgrade(move |socket| talk(socket, shared))
}

async fn talk(mut socket: WebSocket, shared: Shared) {
    let mut messages = shared.messages.subscribe();
    let status = shared
        .status
        .read()
        .map(|status| status.clone())
        .unwrap_or_default();
    if socket.send(Message::Text(status.into())).await.is_err() {
        return;
    }
    loop {
        tokio::select! {
            message = messages.recv() => match message {
                Ok(text) => {
                    if socket.send(Message::Text(text.into())).await.is_err() {
                        return;
                    }
                }
                Err(broadcast::error::RecvError::Lagged(_)) => {}
                Err(broadcast::error::RecvError::Closed) => return,
            },
            incoming = socket.recv() => match incoming {
                Some(Ok(Message::Close(_))) | None | Some(Err(_)) => return,
                Some(Ok(_)) => {}
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_goes_before_the_end_of_the_body() {
        let html = inject("<html><body><p>x</p></body></html>");
        let script = html.find("<script>").unwrap_or(usize::MAX);
        assert!(script < html.find("</body>").unwrap_or(0));
        assert!(html.contains(LIVERELOAD_PATH));
    }
}
