//! Who may talk to `serve`: requests must name this server by an address
//! it listens on, `localhost`, or a name given with `--allowed-host`, and the
//! live-reload socket must be opened by one of its own pages.
//!
//! A web page elsewhere can point a host name of its own at 127.0.0.1 (DNS
//! rebinding) and then read the preview, drafts and all; the `Host` it
//! sends is then its own name, which is refused here. The same page could
//! open the live-reload socket, which carries file paths and source lines,
//! from its own origin: the `Origin` header tells.

use std::net::IpAddr;
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// The host names and addresses `serve` answers to.
#[derive(Debug, Clone)]
pub struct AllowedHosts {
    bound: IpAddr,
    names: Vec<String>,
}

impl AllowedHosts {
    pub fn new(bound: IpAddr, names: &[String]) -> AllowedHosts {
        AllowedHosts {
            bound,
            names: names.iter().map(|name| normalized(name)).collect(),
        }
    }

    /// Whether `host` (a `Host` header value, port and all) names this server.
    pub fn allows(&self, host: &str) -> bool {
        let host = normalized(strip_port(host));
        if host == "localhost" || self.names.contains(&host) {
            return true;
        }
        let literal = host.trim_start_matches('[').trim_end_matches(']');
        match literal.parse::<IpAddr>() {
            // Bound to every address, every address of the machine is ours;
            // an address literal cannot be rebound to another server.
            Ok(ip) => {
                self.bound.is_unspecified()
                    || ip == self.bound
                    || (ip.is_loopback() && self.bound.is_loopback())
            }
            Err(_) => false,
        }
    }

    /// Whether an `Origin` header (`http://127.0.0.1:1111`) is one of ours.
    pub fn allows_origin(&self, origin: &str) -> bool {
        origin
            .strip_prefix("http://")
            .or_else(|| origin.strip_prefix("https://"))
            .is_some_and(|host| !host.contains('/') && self.allows(host))
    }
}

fn normalized(host: &str) -> String {
    host.trim().trim_end_matches('.').to_ascii_lowercase()
}

/// `example.com:1111` → `example.com`; `[::1]:1111` → `[::1]`.
fn strip_port(host: &str) -> &str {
    if host.starts_with('[') {
        return host.find(']').map_or(host, |end| &host[..=end]);
    }
    match host.rsplit_once(':') {
        Some((name, port)) if port.chars().all(|c| c.is_ascii_digit()) => name,
        _ => host,
    }
}

fn refuse(what: &str) -> Response {
    let text = format!(
        "预览拒绝了这个请求：{what}。预览只接受本机地址、localhost 和 --allowed-host 给出的主机名。"
    );
    (
        StatusCode::FORBIDDEN,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        text,
    )
        .into_response()
}

/// Middleware: refuses requests for another host name, and WebSocket
/// upgrades from another origin.
pub async fn check(
    State(allowed): State<Arc<AllowedHosts>>,
    request: Request,
    next: Next,
) -> Response {
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned)
        .or_else(|| request.uri().authority().map(|a| a.as_str().to_owned()));
    match host {
        Some(host) if allowed.allows(&host) => {}
        Some(host) => return refuse(&format!("主机名“{host}”不是本预览的地址")),
        None => return refuse("请求没有写主机名"),
    }
    let is_upgrade = request.headers().contains_key(header::UPGRADE);
    if is_upgrade
        && let Some(origin) = request.headers().get(header::ORIGIN)
        && !origin
            .to_str()
            .is_ok_and(|origin| allowed.allows_origin(origin))
    {
        return refuse("实时刷新连接来自其他网站");
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::{Ipv4Addr, Ipv6Addr};

    #[test]
    fn only_own_names_and_addresses_are_allowed() {
        let local = AllowedHosts::new(IpAddr::V4(Ipv4Addr::LOCALHOST), &["preview.lan".into()]);
        for host in [
            "127.0.0.1:1111",
            "localhost:1111",
            "LOCALHOST",
            "localhost.",
            "[::1]:1111",
            "preview.lan",
            "Preview.LAN:8080",
        ] {
            assert!(local.allows(host), "{host}");
        }
        for host in [
            "evil.example",
            "evil.example:1111",
            "127.0.0.1.evil.example",
            "localhost.evil.example",
            "10.0.0.5",
            "",
        ] {
            assert!(!local.allows(host), "{host}");
        }
        let everywhere = AllowedHosts::new(IpAddr::V6(Ipv6Addr::UNSPECIFIED), &[]);
        assert!(everywhere.allows("192.168.1.20:1111"));
        assert!(!everywhere.allows("evil.example"));
    }

    #[test]
    fn origins_are_checked_like_hosts() {
        let local = AllowedHosts::new(IpAddr::V4(Ipv4Addr::LOCALHOST), &[]);
        assert!(local.allows_origin("http://127.0.0.1:1111"));
        assert!(local.allows_origin("http://localhost:1111"));
        assert!(!local.allows_origin("http://evil.example"));
        assert!(!local.allows_origin("null"));
        assert!(!local.allows_origin("http://127.0.0.1:1111/x"));
    }
}
