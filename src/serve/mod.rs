//! `gongkai serve`: build into memory, serve over HTTP, watch the sources,
//! rebuild what changed, and reload open tabs over a WebSocket.
//!
//! Four parts: [`session`] rebuilds (no I/O but reading the site),
//! [`watch`] turns notify events into batches of changed paths, [`http`]
//! answers requests from the in-memory [`files`] table, and [`guard`]
//! lets only this server's own host names and pages talk to it.

mod files;
mod guard;
mod http;
mod session;
mod watch;

use std::io::ErrorKind;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;

use serde::Serialize;

use crate::diagnostic::{Diagnostic, Hint};
use crate::{Options, say, warn_line, warn_part};
pub use files::{Body, Files, Lookup, content_type};
pub use guard::AllowedHosts;
pub use http::{HEADER_TIMEOUT, LIVERELOAD_PATH};
pub use session::{Outcome, Session};

#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    pub bind: IpAddr,
    /// 0 lets the system choose a free port.
    pub port: u16,
    /// Host names answered besides the bound address and `localhost`.
    pub allowed_hosts: Vec<String>,
    pub open: bool,
    pub drafts: bool,
}

impl Default for ServeOptions {
    fn default() -> Self {
        ServeOptions {
            root: PathBuf::from("."),
            bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: 1111,
            allowed_hosts: Vec::new(),
            open: false,
            drafts: false,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("端口 {} 已被占用", .0.port())]
    PortInUse(SocketAddr),
    #[error("无法在 {0} 上启动预览：{1}")]
    Listen(SocketAddr, String),
    #[error("无法监视文件变化：{0}")]
    Watch(String),
    #[error("预览服务出错：{0}")]
    Runtime(String),
}

impl Hint for ServeError {
    fn code(&self) -> &'static str {
        match self {
            ServeError::PortInUse(..) => "GK0901",
            ServeError::Listen(..) => "GK0902",
            ServeError::Watch(..) => "GK0903",
            ServeError::Runtime(..) => "GK0904",
        }
    }

    fn hint(&self) -> Option<String> {
        match self {
            ServeError::PortInUse(address) => Some(format!(
                "换一个端口，例如 gongkai serve --port {}",
                address.port().wrapping_add(1).max(1024)
            )),
            ServeError::Watch(_) => Some("检查站点目录是否存在、是否有读取权限".into()),
            _ => None,
        }
    }
}

/// One error as the browser overlay shows it.
#[derive(Serialize)]
struct OverlayError<'a> {
    file: Option<String>,
    line: usize,
    column: usize,
    message: &'a str,
    hint: Option<&'a str>,
    text: Option<&'a str>,
}

fn errors_message(errors: &[Diagnostic]) -> String {
    let errors: Vec<OverlayError> = errors
        .iter()
        .filter(|d| d.is_error())
        .map(|d| OverlayError {
            file: d.location.as_ref().map(|l| l.file.display().to_string()),
            line: d.location.as_ref().map_or(0, |l| l.line),
            column: d.location.as_ref().map_or(0, |l| l.column),
            message: &d.message,
            hint: d.hint.as_deref(),
            text: d.location.as_ref().and_then(|l| l.line_text.as_deref()),
        })
        .collect();
    serde_json::json!({ "type": "errors", "errors": errors }).to_string()
}

/// Prints an outcome and tells the open tabs.
fn report(outcome: &Outcome, shared: &http::Shared) {
    match outcome {
        Outcome::Unchanged => {}
        Outcome::Rebuilt {
            pages,
            summary,
            elapsed,
            warnings,
        } => {
            for warning in warnings {
                warn_part!("{warning}");
            }
            say!(
                "已更新 {summary}（共 {pages} 页），用时 {} 毫秒",
                elapsed.as_millis()
            );
            shared.announce(r#"{"type":"ok"}"#.to_owned(), true);
            shared.announce(r#"{"type":"reload"}"#.to_owned(), false);
        }
        Outcome::Failed { errors, .. } => {
            for error in errors {
                warn_part!("{error}");
            }
            warn_line!(
                "内容有 {} 个错误：浏览器中仍显示上次正确的页面，修改保存后自动重试。",
                errors.iter().filter(|e| e.is_error()).count()
            );
            shared.announce(errors_message(errors), true);
        }
    }
}

/// How long the sources must be quiet before feeds, sitemap and the search
/// index are brought up to date after an edit.
const IDLE: std::time::Duration = std::time::Duration::from_millis(300);

/// Serves the site until Ctrl-C.
pub fn run(mut options: ServeOptions) -> Result<(), ServeError> {
    // Watcher events carry absolute or relative paths depending on the
    // platform; one absolute root makes them comparable.
    options.root = std::fs::canonicalize(&options.root)
        .map_err(|e| ServeError::Watch(format!("{}：{e}", options.root.display())))?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| ServeError::Runtime(e.to_string()))?;
    let requested = SocketAddr::new(options.bind, options.port);
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind(requested))
        .map_err(|error| match error.kind() {
            ErrorKind::AddrInUse => ServeError::PortInUse(requested),
            _ => ServeError::Listen(requested, error.to_string()),
        })?;
    let address = listener
        .local_addr()
        .map_err(|e| ServeError::Runtime(e.to_string()))?;
    let host = if options.bind.is_unspecified() {
        IpAddr::V4(Ipv4Addr::LOCALHOST)
    } else {
        options.bind
    };
    let url = format!("http://{}/", SocketAddr::new(host, address.port()));

    let shared = http::Shared::new(&options.root);
    let mut session = Session::new(Options {
        root: options.root.clone(),
        drafts: options.drafts,
        base_url: Some(url.clone()),
        ..Options::default()
    });
    report(&session.rebuild_all(&shared.files), &shared);
    let mut watcher =
        watch::SiteWatcher::new(&options.root).map_err(|e| ServeError::Watch(e.to_string()))?;
    let rebuilder = shared.clone();
    std::thread::spawn(move || {
        loop {
            let wait = session.generated_stale().then_some(IDLE);
            match watcher.next_batch_within(wait) {
                watch::Batch::Changed(changed) => {
                    let outcome = session.apply(&changed, &rebuilder.files);
                    report(&outcome, &rebuilder);
                }
                watch::Batch::Quiet => session.refresh_generated(&rebuilder.files),
                watch::Batch::Stopped => break,
            }
        }
    });

    say!("预览地址：{url}（按 Ctrl-C 退出）");
    if !options.bind.is_loopback() {
        say!("注意：预览对 {} 上的其他电脑可见", options.bind);
    }
    if options.open && open::that(&url).is_err() {
        warn_line!("无法自动打开浏览器，请手动访问 {url}");
    }
    let allowed = AllowedHosts::new(options.bind, &options.allowed_hosts);
    runtime.block_on(http::serve_connections(
        listener,
        http::router(shared, allowed),
        async {
            let _ = tokio::signal::ctrl_c().await;
        },
    ));
    say!("已停止预览");
    Ok(())
}
