//! `gongkai serve` on a fixture site: edits are rebuilt and announced over
//! the WebSocket, broken edits keep the last good pages, nothing outside the
//! output is reachable.

mod common;

use std::time::Duration;

use common::Site;
use common::server::Server;

const ISSUE: &str = "content/notices/2025-ceshi/issues/03-caiwu.md";

fn edit(site: &Site, file: &str, from: &str, to: &str) {
    let text = std::fs::read_to_string(site.path(file)).expect("read");
    assert!(text.contains(from), "{from} not in {file}");
    site.write(file, text.replacen(from, to, 1));
}

#[test]
fn an_edited_issue_is_rebuilt_and_open_tabs_reload() {
    let site = Site::new();
    let server = Server::start(&site);
    let mut socket = server.socket();
    let (status, page) = server.get("/notices/2025-ceshi/issues/03-caiwu/");
    assert_eq!(status, 200);
    assert!(page.contains("一是自查凭证") && page.contains("/__gongkai/livereload"));

    edit(&site, ISSUE, "一是自查凭证。", "一是全面自查报销凭证。");
    socket.wait_for("reload");
    let (_, page) = server.get("/notices/2025-ceshi/issues/03-caiwu/");
    assert!(page.contains("一是全面自查报销凭证"), "issue page rebuilt");
    let (_, notice) = server.get("/notices/2025-ceshi/");
    assert!(
        notice.contains("一是全面自查报销凭证"),
        "notice page rebuilt"
    );

    // A status change moves the issue between listings and changes the counts.
    edit(&site, ISSUE, "status: 整改中", "status: 已完成");
    socket.wait_for("reload");
    let (_, completed) = server.get("/status/completed/");
    assert!(completed.contains("财务报销不规范"));
    let (_, home) = server.get("/");
    assert!(home.contains("2/4，50%"), "home counts updated");
}

#[test]
fn a_broken_edit_shows_errors_and_keeps_the_last_good_page() {
    let site = Site::new();
    let server = Server::start(&site);
    let mut socket = server.socket();
    edit(&site, ISSUE, "status: 整改中", "status: 整改种");
    let errors = socket.wait_for("errors");
    assert!(
        errors.contains("03-caiwu.md") && errors.contains("整改种"),
        "{errors}"
    );
    assert!(errors.contains("\"line\":5"), "{errors}");
    let (status, page) = server.get("/notices/2025-ceshi/issues/03-caiwu/");
    assert_eq!(status, 200);
    assert!(page.contains("整改中"), "last good page is still served");

    // A tab opened now learns about the errors at once.
    let mut late = server.socket_raw();
    assert!(
        late.next(Duration::from_secs(5))
            .is_some_and(|m| m.contains("errors"))
    );

    edit(&site, ISSUE, "status: 整改种", "status: 基本完成");
    socket.wait_for("reload");
    let (_, page) = server.get("/notices/2025-ceshi/issues/03-caiwu/");
    assert!(page.contains("基本完成"));
}

#[test]
fn editors_as_they_are_atomic_saves_new_files_and_deleted_notices() {
    let site = Site::new();
    let server = Server::start(&site);
    let mut socket = server.socket();

    // Write a temporary file and rename it over the original, as editors do.
    let temp = site.path("content/notices/2025-ceshi/issues/.03-caiwu.md.tmp");
    let text = std::fs::read_to_string(site.path(ISSUE)).expect("read");
    std::fs::write(&temp, text.replace("一是自查凭证。", "一是原子保存。")).expect("write");
    std::fs::rename(&temp, site.path(ISSUE)).expect("rename");
    socket.wait_for("reload");
    assert!(
        server
            .get("/notices/2025-ceshi/issues/03-caiwu/")
            .1
            .contains("一是原子保存")
    );

    // An editor's swap file alone changes nothing.
    site.write("content/notices/2025-ceshi/issues/.03-caiwu.md.swp", "swap");
    assert_eq!(socket.next(Duration::from_millis(400)), None);

    // A new issue file appears, numbered after the others.
    site.write(
        "content/notices/2025-ceshi/issues/05-xin.md",
        "---\ntitle: 新发现的问题\nstatus: completed\n---\n一是立行立改。\n",
    );
    socket.wait_for("reload");
    let (status, page) = server.get("/notices/2025-ceshi/issues/05-xin/");
    assert_eq!(status, 200);
    assert!(page.contains("新发现的问题"));

    // A second notice in a new folder, then that whole folder deleted.
    site.write(
        "content/notices/2025-second/index.md",
        "---\ntitle: 第二篇通报\norganization: 某中心\npublished: 2025-09-01\n---\n正文\n",
    );
    socket.wait_for("reload");
    assert!(server.get("/").1.contains("第二篇通报"));
    std::fs::remove_dir_all(site.path("content/notices/2025-second")).expect("remove");
    socket.wait_for("reload");
    assert_eq!(server.get("/notices/2025-second/").0, 404);
    assert!(!server.get("/").1.contains("第二篇通报"));

    // A renamed issue file moves its page.
    std::fs::rename(
        site.path("content/notices/2025-ceshi/issues/04-zichan.md"),
        site.path("content/notices/2025-ceshi/issues/06-zichan.md"),
    )
    .expect("rename");
    socket.wait_for("reload");
    assert_eq!(server.get("/notices/2025-ceshi/issues/04-zichan/").0, 404);
    assert_eq!(server.get("/notices/2025-ceshi/issues/06-zichan/").0, 200);

    // A deleted issue file takes its page with it.
    site.remove("content/notices/2025-ceshi/issues/05-xin.md");
    socket.wait_for("reload");
    assert_eq!(server.get("/notices/2025-ceshi/issues/05-xin/").0, 404);
}

#[test]
fn template_and_site_yaml_changes_are_rebuilt() {
    let site = Site::new();
    let server = Server::start(&site);
    let mut socket = server.socket();
    site.write(
        "templates/page.html",
        "{% extends \"base.html\" %}{% block content %}<p class=\"mine\">自定义：{{ page.title }}</p>{% endblock content %}",
    );
    socket.wait_for("reload");
    assert!(server.get("/lianxi/").1.contains("自定义：联系我们"));
    edit(
        &site,
        "site.yaml",
        "title: 测试市卫生健康委员会 巡察整改公开",
        "title: 新标题",
    );
    socket.wait_for("reload");
    assert!(server.get("/").1.contains("<title>新标题</title>"));
}

#[test]
fn no_request_reaches_a_file_outside_the_output() {
    let site = Site::new();
    site.write("secret.txt", "TOP-SECRET");
    let server = Server::start(&site);
    for path in [
        "/../site.yaml",
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E%2Fsecret.txt",
        "/notices/%2e%2e/%2e%2e/secret.txt",
        "/..%5csecret.txt",
        "/notices\\..\\..\\secret.txt",
        "/%252e%252e/secret.txt",
        "//etc/passwd",
        "/content/notices/2025-ceshi/index.md",
        "/site.yaml",
    ] {
        let (status, body) = server.get(path);
        assert!(status == 400 || status == 404, "{path}: {status}");
        assert!(
            !body.contains("TOP-SECRET") && !body.contains("base_url"),
            "{path}"
        );
    }
    let (status, response) = server.get("/style.css");
    assert_eq!(status, 200);
    assert!(
        response
            .to_lowercase()
            .contains("content-type: text/css; charset=utf-8")
    );
}

#[test]
fn a_port_in_use_gets_a_clear_message() {
    let site = Site::new();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = taken.local_addr().expect("address").port().to_string();
    let run = site.run(&["serve", "--port", &port]);
    assert_eq!(run.code, Some(1));
    assert!(
        run.stderr.contains(&format!("端口 {port} 已被占用")),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("--port"), "{}", run.stderr);
}

#[test]
fn the_reload_script_is_never_in_build_output() {
    let site = Site::new();
    site.build().assert_ok();
    for (path, bytes) in common::snapshot(&site.path("public")) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains("__gongkai"), "{}", path.display());
    }
}

#[test]
fn ctrl_c_stops_the_server_cleanly() {
    use std::io::{BufRead, BufReader};
    let site = Site::new();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .arg("--root")
        .arg(site.root())
        .args(["serve", "--port", "0"])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("serve");
    let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
    let port: u16 = lines
        .by_ref()
        .map_while(Result::ok)
        .find_map(|line| {
            let rest = line.split("http://127.0.0.1:").nth(1)?.to_owned();
            rest.split('/').next()?.parse().ok()
        })
        .expect("address");
    // An open tab must not keep the server from stopping.
    let (_socket, _) =
        tungstenite::connect(format!("ws://127.0.0.1:{port}/__gongkai/livereload")).expect("ws");
    let status = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(status.success());
    let rest: Vec<String> = lines.map_while(Result::ok).collect();
    let exit = child.wait().expect("wait");
    assert!(exit.success(), "{exit:?}");
    assert!(
        rest.iter().any(|line| line.contains("已停止预览")),
        "{rest:?}"
    );
}

/// Every document file of the served search index, one after another.
fn search_documents(server: &Server) -> String {
    let (status, directory) = server.get("/search/index.js");
    assert_eq!(status, 200);
    let (_, body) = directory.split_once("\r\n\r\n").expect("a body");
    let json = body
        .trim_start_matches("window.GONGKAI_SEARCH=")
        .trim_end()
        .trim_end_matches(';');
    let directory: serde_json::Value = serde_json::from_str(json).expect("directory");
    let count = |name: &str| directory[name].as_u64().expect("a number");
    let files = count("documents").div_ceil(count("shard"));
    (0..files)
        .map(|file| {
            let (status, text) = server.get(&format!("/search/d/{file}.js"));
            assert_eq!(status, 200, "search/d/{file}.js");
            text
        })
        .collect()
}

#[test]
fn search_index_and_feeds_follow_edits_once_the_clerk_stops_typing() {
    let site = Site::new();
    let server = Server::start(&site);
    let mut socket = server.socket();
    edit(&site, ISSUE, "一是自查凭证。", "一是清理账外资金。");
    socket.wait_for("reload");
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while !search_documents(&server).contains("一是清理账外资金") {
        assert!(
            std::time::Instant::now() < deadline,
            "search index not refreshed"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    let (status, feed) = server.get("/feed.xml");
    assert_eq!(status, 200);
    assert!(!feed.contains("__gongkai"), "no reload script in feeds");
}

#[test]
fn personal_data_typed_while_serving_is_shown_as_an_error() {
    let site = Site::new();
    let server = Server::start(&site);
    let mut socket = server.socket();
    edit(
        &site,
        ISSUE,
        "一是自查凭证。",
        "一是约谈报销人（手机13812341234）。",
    );
    let errors = socket.wait_for("errors");
    assert!(
        errors.contains("个人手机号码") && errors.contains("138****1234"),
        "{errors}"
    );
    assert!(
        !server
            .get("/notices/2025-ceshi/issues/03-caiwu/")
            .1
            .contains("13812341234")
    );
}

/// Sends `request` as it is and reads the answer until the server closes.
fn raw(server: &Server, request: &str) -> String {
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", server.port)).expect("connect");
    std::io::Write::write_all(&mut stream, request.as_bytes()).expect("send");
    let mut response = Vec::new();
    std::io::Read::read_to_end(&mut stream, &mut response).expect("read");
    String::from_utf8_lossy(&response).into_owned()
}

#[test]
fn only_its_own_host_names_and_origins_are_answered() {
    let site = Site::new();
    let server = Server::start(&site);
    let port = server.port;
    let get = |host: &str| {
        raw(
            &server,
            &format!("GET / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"),
        )
    };
    for host in [
        "evil.example".to_owned(),
        format!("evil.example:{port}"),
        format!("127.0.0.1.evil.example:{port}"),
        format!("localhost.evil.example:{port}"),
    ] {
        let response = get(&host);
        assert!(response.starts_with("HTTP/1.1 403"), "{host}: {response}");
        assert!(response.contains("主机名"), "{response}");
        assert!(!response.contains("巡察"), "{response}");
    }
    for host in [format!("127.0.0.1:{port}"), format!("localhost:{port}")] {
        assert!(get(&host).starts_with("HTTP/1.1 200"), "{host}");
    }
    let no_host = raw(&server, "GET / HTTP/1.0\r\n\r\n");
    assert!(
        no_host.starts_with("HTTP/1.0 403") || no_host.starts_with("HTTP/1.1 403"),
        "{no_host}"
    );

    let socket_from = |origin: &str| {
        let mut request = tungstenite::client::IntoClientRequest::into_client_request(format!(
            "ws://127.0.0.1:{port}/__gongkai/livereload"
        ))
        .expect("request");
        request
            .headers_mut()
            .insert("Origin", origin.parse().expect("header"));
        tungstenite::connect(request).map(|_| ())
    };
    for origin in [
        "http://evil.example",
        "null",
        "http://127.0.0.1.evil.example",
    ] {
        assert!(socket_from(origin).is_err(), "{origin}");
    }
    assert!(socket_from(&format!("http://127.0.0.1:{port}")).is_ok());
    assert!(socket_from(&format!("http://localhost:{port}")).is_ok());
}

#[test]
fn a_connection_that_never_finishes_its_headers_is_closed() {
    let site = Site::new();
    let server = Server::start(&site);
    let half = std::net::TcpStream::connect(("127.0.0.1", server.port)).expect("connect");
    let silent = std::net::TcpStream::connect(("127.0.0.1", server.port)).expect("connect");
    std::io::Write::write_all(&mut &half, b"GET / HTTP/1.1\r\nHost: localhost\r\nX-Slow: ")
        .expect("send");
    let limit = gongkai::serve::HEADER_TIMEOUT + Duration::from_secs(20);
    for mut stream in [half, silent] {
        stream.set_read_timeout(Some(limit)).expect("timeout");
        let mut rest = Vec::new();
        // Closed by the server: the read ends; left open: it times out.
        let read = std::io::Read::read_to_end(&mut stream, &mut rest);
        assert!(read.is_ok(), "still open after {limit:?}: {read:?}");
    }
}

#[cfg(unix)]
#[test]
fn an_attachment_made_a_link_out_of_the_site_is_no_longer_served() {
    let outside = tempfile::tempdir().expect("outside");
    std::fs::write(outside.path().join("secret.txt"), "TOP-SECRET").expect("secret");
    let site = Site::new();
    site.write("content/notices/2025-ceshi/fangan.pdf", "PDF");
    let server = Server::start(&site);
    let (status, body) = server.get("/notices/2025-ceshi/fangan.pdf");
    assert_eq!(status, 200);
    assert!(body.ends_with("PDF"));
    let mut socket = server.socket();
    site.remove("content/notices/2025-ceshi/fangan.pdf");
    std::os::unix::fs::symlink(
        outside.path().join("secret.txt"),
        site.path("content/notices/2025-ceshi/fangan.pdf"),
    )
    .expect("link");
    // The rebuild refuses the link, so the last good table still lists the file.
    socket.wait_for("站点目录之外");
    let (status, body) = server.get("/notices/2025-ceshi/fangan.pdf");
    assert_eq!(status, 404, "{body}");
    assert!(!body.contains("TOP-SECRET"));
}

/// A page of every kind of the fixture site, by the template that renders it.
const PAGE_OF_EVERY_TEMPLATE: [(&str, &str); 9] = [
    ("index.html", "/"),
    ("notice.html", "/notices/2025-ceshi/"),
    ("issue.html", "/notices/2025-ceshi/issues/03-caiwu/"),
    ("listing.html", "/status/completed/"),
    ("notices.html", "/notices/"),
    ("organizations.html", "/organizations/"),
    ("search.html", "/search/"),
    ("page.html", "/lianxi/"),
    ("404.html", "/404.html"),
];

/// The default theme's template `name`, to override in a site.
fn theme_template(name: &str) -> String {
    let path = format!(
        "{}/themes/default/templates/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(path).expect("theme template")
}

#[test]
fn every_page_template_edited_while_serving_renders_its_pages_again() {
    let site = Site::new();
    let server = Server::start(&site);
    let mut socket = server.socket();
    for (template, url) in PAGE_OF_EVERY_TEMPLATE {
        let mark = format!("<!-- 改过：{template} -->");
        let text = theme_template(template);
        assert!(text.contains("{% endblock content %}"), "{template}");
        site.write(
            &format!("templates/{template}"),
            text.replacen(
                "{% endblock content %}",
                &format!("{mark}{{% endblock content %}}"),
                1,
            ),
        );
        socket.wait_for("reload");
        let (status, page) = server.get(url);
        assert_eq!(status, 200, "{url}");
        assert!(
            page.contains(&mark),
            "{template} edited, {url} not rendered again"
        );
    }
    // The base template, and a partial, are in every page.
    let base = theme_template("base.html").replacen("</body>", "<!-- 基础模板改过 --></body>", 1);
    site.write("templates/base.html", base);
    socket.wait_for("reload");
    for (template, url) in PAGE_OF_EVERY_TEMPLATE {
        let (_, page) = server.get(url);
        assert!(
            page.contains("基础模板改过"),
            "base.html edited, {url} ({template}) stale"
        );
    }
}
