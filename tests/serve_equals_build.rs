//! The invariant of `serve`: after every edit, every page and file it serves
//! is what a fresh `build` of the same sources writes (apart from the reload
//! script it injects), and nothing a fresh build no longer has is served.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::time::{Duration, Instant};

use common::Site;
use common::server::Server;

/// Every file of a fresh build of `site` at the address `serve` uses, as
/// text (attachments lossily).
fn fresh_build(site: &Site, server: &Server) -> BTreeMap<String, String> {
    let out = tempfile::tempdir().expect("scratch folder");
    let output = out.path().join("public");
    let base_url = format!("http://127.0.0.1:{}/", server.port);
    site.run(&[
        "build",
        "--base-url",
        &base_url,
        "-o",
        output.to_str().expect("utf-8"),
    ])
    .assert_ok();
    walkdir::WalkDir::new(&output)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|entry| entry.file_type().is_file())
        .filter(|entry| entry.file_name() != ".gongkai-output")
        .map(|entry| {
            let relative = entry.path().strip_prefix(&output).expect("inside");
            let key = relative.to_string_lossy().replace('\\', "/");
            let bytes = fs::read(entry.path()).expect("read");
            (key, String::from_utf8_lossy(&bytes).into_owned())
        })
        .collect()
}

/// The URL that serves the output file `file`.
fn url_of(file: &str) -> String {
    let folder = file.strip_suffix("index.html").unwrap_or(file);
    format!("/{}", percent(folder))
}

fn percent(path: &str) -> String {
    path.bytes()
        .map(|byte| match byte {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'/' | b'.' | b'-' | b'_' => {
                (byte as char).to_string()
            }
            _ => format!("%{byte:02X}"),
        })
        .collect()
}

/// The body of a raw HTTP response, chunks joined.
fn body(response: &str) -> String {
    let (head, rest) = response.split_once("\r\n\r\n").unwrap_or((response, ""));
    if !head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        return rest.to_owned();
    }
    let mut body = String::new();
    let mut rest = rest;
    while let Some((size, after)) = rest.split_once("\r\n") {
        let size = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if size == 0 || after.len() < size {
            break;
        }
        body.push_str(&after[..size]);
        rest = after[size..].trim_start_matches("\r\n");
    }
    body
}

fn reload_script() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/serve/livereload.js");
    format!(
        "<script>{}</script>",
        fs::read_to_string(path).expect("livereload.js")
    )
}

/// Files that `serve` refreshes once the clerk stops typing.
fn refreshed_later(file: &str) -> bool {
    file.ends_with(".xml")
        || file.ends_with("robots.txt")
        || (file.starts_with("search/") && file.ends_with(".js"))
        || (file.starts_with("data/") && !file.ends_with(".html"))
}

/// Asserts that the server serves `built` exactly, and 404 for what
/// `before` had that `built` has not; waits for the files refreshed later.
fn assert_serves(
    server: &Server,
    built: &BTreeMap<String, String>,
    before: &BTreeMap<String, String>,
    step: &str,
) {
    let script = reload_script();
    let deadline = Instant::now() + Duration::from_secs(10);
    for (file, expected) in built {
        loop {
            let (status, response) = server.get(&url_of(file));
            let served = body(&response).replace(&script, "");
            if status == 200 && served == *expected {
                break;
            }
            assert!(
                refreshed_later(file) && Instant::now() < deadline,
                "after {step}: {file} served ({status}) differs from a fresh build:\n{}",
                first_difference(&served, expected)
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
    for file in before.keys().filter(|file| !built.contains_key(*file)) {
        let (status, _) = server.get(&url_of(file));
        assert_eq!(
            status, 404,
            "after {step}: {file} is gone from a fresh build but still served"
        );
    }
}

/// The first line where `served` and `built` differ, both ways.
fn first_difference(served: &str, built: &str) -> String {
    let pairs = served.lines().zip(built.lines()).enumerate();
    match pairs.clone().find(|(_, (a, b))| a != b) {
        Some((n, (a, b))) => format!("line {}:\n served: {a}\n built:  {b}", n + 1),
        None => format!(
            "{} lines served, {} built",
            served.lines().count(),
            built.lines().count()
        ),
    }
}

fn edit(site: &Site, file: &str, from: &str, to: &str) {
    let text = fs::read_to_string(site.path(file)).expect("read");
    assert!(text.contains(from), "{from} not in {file}");
    site.write(file, text.replacen(from, to, 1));
}

const NOTICE: &str = "content/notices/2025-ceshi/index.md";
const ISSUE: &str = "content/notices/2025-ceshi/issues/03-caiwu.md";

type Step = Box<dyn Fn(&Site)>;

/// Applies each step while `serve` runs, and after each compares what it
/// serves with a fresh build.
fn serve_through<Name: AsRef<str>>(site: &Site, steps: Vec<(Name, Step)>) {
    let server = Server::start(site);
    let mut socket = server.socket();
    let mut before = fresh_build(site, &server);
    assert_serves(&server, &before, &BTreeMap::new(), "start");
    for (step, apply) in steps {
        apply(site);
        socket.wait_for("reload");
        let built = fresh_build(site, &server);
        assert_serves(&server, &built, &before, step.as_ref());
        before = built;
    }
}

#[test]
fn the_example_portal_served_equals_its_build_through_edits() {
    const NOTICE: &str = "content/notices/2025-qinghe-shequ/index.md";
    const ISSUE: &str = "content/notices/2025-qinghe-shequ/issues/02-diyi-yiti.md";
    let steps: Vec<(&str, Step)> = vec![
        (
            "an issue's status",
            Box::new(|s| {
                edit(
                    s,
                    ISSUE,
                    "status: completed\ncompleted: 2025-07-25",
                    "status: in_progress\ndeadline: 2026-06-30",
                )
            }),
        ),
        (
            "a notice's organisation",
            Box::new(|s| {
                edit(
                    s,
                    NOTICE,
                    "organization: 云溪市溪东区清河街道社区卫生服务中心",
                    "organization: 云溪市溪东区清河街道党工委",
                )
            }),
        ),
        (
            "a notice's date",
            Box::new(|s| edit(s, NOTICE, "published: 2025-10-09", "published: 2024-10-09")),
        ),
        (
            "an issue's progress",
            Box::new(|s| {
                edit(
                    s,
                    "content/notices/2025-qinghe-shequ/issues/01-xuexi-jihua.md",
                    "  - date: 2025-06-20\n    note: 印发2025年度理论学习计划",
                    "  - date: 2025-06-21\n    note: 印发年度理论学习计划",
                )
            }),
        ),
        (
            "a notice's as-of date",
            Box::new(|s| {
                edit(
                    s,
                    NOTICE,
                    "published: 2024-10-09",
                    "published: 2024-10-09\nas_of: 2024-09-30",
                )
            }),
        ),
        (
            "a list template",
            Box::new(|s| {
                let theme = Path::new(env!("CARGO_MANIFEST_DIR"))
                    .join("themes/default/templates/notices.html");
                let text = fs::read_to_string(theme).expect("theme");
                s.write(
                    "templates/notices.html",
                    text.replacen(
                        "{% endblock content %}",
                        "<p>列表改过</p>{% endblock content %}",
                        1,
                    ),
                );
            }),
        ),
        (
            "a deleted notice",
            Box::new(|s| {
                fs::remove_dir_all(s.path("content/notices/2025-qinghe-shequ")).expect("remove");
            }),
        ),
    ];
    serve_through(&Site::example(), steps);
}

#[test]
fn every_served_file_equals_a_fresh_build_after_every_kind_of_edit() {
    let steps: Vec<(&str, Step)> = vec![
        (
            "an issue's text",
            Box::new(|s| edit(s, ISSUE, "一是自查凭证。", "一是全面自查报销凭证。")),
        ),
        (
            "an issue's status",
            Box::new(|s| edit(s, ISSUE, "status: 整改中", "status: 已完成")),
        ),
        (
            "a notice's title",
            Box::new(|s| {
                edit(
                    s,
                    NOTICE,
                    "关于市委巡察整改进展情况的通报",
                    "关于市委巡察集中整改进展情况的通报",
                )
            }),
        ),
        (
            "a notice's organisation",
            Box::new(|s| {
                edit(
                    s,
                    NOTICE,
                    "organization: 中共测试医院委员会",
                    "organization: 中共测试医院第二委员会",
                )
            }),
        ),
        (
            "a notice's date",
            Box::new(|s| edit(s, NOTICE, "published: 2025-03-17", "published: 2024-11-05")),
        ),
        (
            "a new notice",
            Box::new(|s| {
                let notice = fs::read_to_string(s.path(NOTICE))
                    .expect("notice")
                    .replace("中共测试医院第二委员会", "中共测试疾控中心委员会")
                    .replace("370403/2025-02453", "370403/2025-09999");
                s.write(
                    "content/notices/2025-jikong/issues/01-xuexi.md",
                    common::ISSUES[1].1,
                );
                s.write("content/notices/2025-jikong/index.md", notice);
            }),
        ),
        (
            "a deleted issue",
            Box::new(|s| s.remove("content/notices/2025-ceshi/issues/04-zichan.md")),
        ),
        (
            "an issue's aspect",
            Box::new(|s| edit(s, ISSUE, "aspect: 全面从严治党方面", "aspect: 作风建设方面")),
        ),
        (
            "a renamed notice folder",
            Box::new(|s| {
                fs::rename(
                    s.path("content/notices/2025-jikong"),
                    s.path("content/notices/2025-jikong-b"),
                )
                .expect("rename");
            }),
        ),
        (
            "a page",
            Box::new(|s| {
                edit(
                    s,
                    "content/pages/lianxi.md",
                    "电话：0000-00000000",
                    "电话：0000-11111111",
                )
            }),
        ),
        (
            "the home text",
            Box::new(|s| {
                s.write(
                    "content/_index.md",
                    "---\ntitle: 首页\n---\n\n本网站公开巡察整改进展。\n",
                )
            }),
        ),
        (
            "site.yaml",
            Box::new(|s| {
                edit(
                    s,
                    "site.yaml",
                    "title: 测试市卫生健康委员会 巡察整改公开",
                    "title: 新的站点标题",
                )
            }),
        ),
        (
            "a site template",
            Box::new(|s| {
                let theme = Path::new(env!("CARGO_MANIFEST_DIR"))
                    .join("themes/default/templates/issue.html");
                let text = fs::read_to_string(theme).expect("theme");
                s.write(
                    "templates/issue.html",
                    text.replacen(
                        "{% endblock content %}",
                        "<p>自定义</p>{% endblock content %}",
                        1,
                    ),
                );
            }),
        ),
        (
            "a partial template",
            Box::new(|s| {
                let theme = Path::new(env!("CARGO_MANIFEST_DIR"))
                    .join("themes/default/templates/partials/supervision.html");
                let text = fs::read_to_string(theme).expect("theme");
                s.write(
                    "templates/partials/supervision.html",
                    format!("{text}<!-- 监督改过 -->"),
                );
            }),
        ),
        (
            "a static file",
            Box::new(|s| s.write("static/extra.css", "body { color: #222; }\n")),
        ),
        (
            "a new issue",
            Box::new(|s| {
                s.write(
                    "content/notices/2025-ceshi/issues/05-xin.md",
                    common::ISSUES[3].1,
                )
            }),
        ),
    ];
    serve_through(&Site::new(), steps);
}

/// A site of `count` notices of three bodies over two years, four issues
/// each: listings and lists run over several pages, so that adding,
/// removing and moving a notice shifts the blocks they are cut into.
fn many_notices(count: usize) -> Site {
    let site = Site::new();
    fs::remove_dir_all(site.path("content/notices/2025-ceshi")).expect("remove the fixture notice");
    let bodies = [
        "中共测试医院委员会",
        "中共测试疾控中心委员会",
        "中共测试卫生学校委员会",
    ];
    for n in 0..count {
        let slug = format!("content/notices/n{n:03}");
        let year = if n % 2 == 0 { 2024 } else { 2025 };
        let notice = common::NOTICE
            .replace("中共测试医院委员会", bodies[n % 3])
            .replace(
                "published: 2025-03-17",
                &format!("published: {year}-{:02}-{:02}", n % 12 + 1, n % 27 + 1),
            )
            .replace("关于市委巡察", &format!("关于第{n}轮巡察"))
            .replace("370403/2025-02453", &format!("370403/{year}-{n:05}"));
        site.write(&format!("{slug}/index.md"), notice);
        for (name, text) in common::ISSUES {
            site.write(&format!("{slug}/issues/{name}"), text);
        }
    }
    site
}

#[test]
fn a_site_of_many_notices_served_equals_its_build_as_notices_come_go_and_move() {
    let steps: Vec<(&str, Step)> = vec![
        (
            "a notice's status in the middle",
            Box::new(|s| {
                edit(
                    s,
                    "content/notices/n030/issues/03-caiwu.md",
                    "status: 整改中",
                    "status: 已完成",
                )
            }),
        ),
        (
            // Every page of a notice list shows the list's counts.
            "a status on the last page of the notice list",
            Box::new(|s| {
                edit(
                    s,
                    "content/notices/n000/issues/04-zichan.md",
                    "status: in_progress",
                    "status: completed",
                )
            }),
        ),
        (
            "a notice moved to another year",
            Box::new(|s| {
                edit(
                    s,
                    "content/notices/n031/index.md",
                    "published: 2025-08-05",
                    "published: 2024-12-30",
                )
            }),
        ),
        (
            "a notice moved to another body",
            Box::new(|s| {
                edit(
                    s,
                    "content/notices/n032/index.md",
                    "organization: 中共测试卫生学校委员会",
                    "organization: 中共测试医院委员会",
                )
            }),
        ),
        (
            "a new notice, newest of all",
            Box::new(|s| {
                let text = fs::read_to_string(s.path("content/notices/n000/index.md"))
                    .expect("notice")
                    .replace("published: 2024-01-01", "published: 2025-12-31")
                    .replace("370403/2024-00000", "370403/2025-09998");
                for (name, issue) in common::ISSUES {
                    s.write(&format!("content/notices/n999/issues/{name}"), issue);
                }
                s.write("content/notices/n999/index.md", text);
            }),
        ),
        (
            "the oldest notice deleted",
            Box::new(|s| {
                fs::remove_dir_all(s.path("content/notices/n000")).expect("remove");
            }),
        ),
        (
            "a body's last notice moved away",
            Box::new(|s| {
                for n in (1..62).filter(|n| n % 3 == 1) {
                    let file = format!("content/notices/n{n:03}/index.md");
                    edit(
                        s,
                        &file,
                        "organization: 中共测试疾控中心委员会",
                        "organization: 中共测试医院委员会",
                    );
                }
            }),
        ),
    ];
    serve_through(&many_notices(62), steps);
}

#[test]
fn every_template_of_the_site_theme_edited_while_serving_equals_its_build() {
    let site = many_notices(62);
    let theme = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
    let mut templates = Vec::new();
    for entry in walkdir::WalkDir::new(&theme)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|entry| entry.file_type().is_file())
    {
        let relative = entry.path().strip_prefix(&theme).expect("inside the theme");
        let name = relative.to_string_lossy().replace('\\', "/");
        site.write(
            &format!("themes/default/{name}"),
            fs::read_to_string(entry.path()).expect("theme file"),
        );
        if let Some(template) = name.strip_prefix("templates/") {
            templates.push(template.to_owned());
        }
    }
    assert!(templates.len() >= 15, "{templates:?}");
    let steps: Vec<(String, Step)> = templates
        .into_iter()
        .map(|template| {
            let file = format!("themes/default/templates/{template}");
            let name = format!("the theme's {template}");
            let step: Step = Box::new(move |s| {
                let text = fs::read_to_string(s.path(&file)).expect("template");
                let mark = format!("<p>改过：{template}</p>");
                let edited = if text.contains("{% endblock content %}") {
                    text.replacen(
                        "{% endblock content %}",
                        &format!("{mark}{{% endblock content %}}"),
                        1,
                    )
                } else {
                    format!("{text}{mark}")
                };
                s.write(&file, edited);
            });
            (name, step)
        })
        .collect();
    serve_through(&site, steps);
}
