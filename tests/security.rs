//! A hostile or careless author, class by class (docs/security.md): nothing
//! a content file holds runs as script in the published pages, reaches a
//! file outside the site, hangs a build or takes unbounded memory; what is
//! refused is refused with file, line, column and a Chinese message.
//!
//! The inputs are in tests/fixtures/hostile/. The browser test loads pages
//! built from them in headless Chromium (Debian's chromium; `.ci/run`
//! installs it) and fails on any dialog, any script the payloads run, and
//! any event-handler attribute or script URL in the page.

mod common;

use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use common::{Run, Site, snapshot};
use gongkai::markdown::{self, Settings};
use scraper::Html;

const ISSUE: &str = "content/notices/2025-ceshi/issues/03-caiwu.md";

fn corpus(name: &str) -> Vec<String> {
    let path = format!(
        "{}/tests/fixtures/hostile/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(path).expect("corpus");
    let separator = if name.ends_with(".txt") && text.contains("\n%%%\n") {
        "\n%%%\n"
    } else {
        "\n"
    };
    text.split(separator)
        .map(str::to_owned)
        .filter(|part| !part.trim().is_empty())
        .collect()
}

/// Runs gongkai in `site` and kills it after `limit`: a hang fails the test
/// instead of stopping the test run.
fn run_within(site: &Site, args: &[&str], limit: Duration) -> Run {
    let child = Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .arg("--root")
        .arg(site.root())
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run gongkai");
    let pid = child.id();
    // Output is read while the program runs, so a full pipe never stops it.
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = sender.send(child.wait_with_output());
    });
    let output = match receiver.recv_timeout(limit) {
        Ok(output) => output.expect("output"),
        Err(_) => {
            let _ = Command::new("kill").arg("-9").arg(pid.to_string()).status();
            panic!("gongkai {args:?} still running after {limit:?}");
        }
    };
    Run {
        code: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

const LIMIT: Duration = Duration::from_secs(60);

/// Builds cleanly, applies `break_it`, and checks both `build` and `check`
/// refuse the site, naming each of `expected` (locations and words), and
/// that the earlier output is untouched.
fn refused(site: &Site, break_it: impl FnOnce(&Site), expected: &[&str]) -> String {
    site.build().assert_ok();
    let before = snapshot(&site.path("public"));
    break_it(site);
    let run = run_within(site, &["build"], LIMIT);
    assert_eq!(run.code, Some(1), "{}\n{}", run.stdout, run.stderr);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    for needle in expected {
        assert!(
            run.stderr.contains(needle),
            "no {needle} in:\n{}",
            run.stderr
        );
    }
    assert_eq!(before, snapshot(&site.path("public")), "output changed");
    // `check` groups its messages by file: `a.md` on one line, `3:5` on the next.
    let check = run_within(site, &["check"], LIMIT);
    assert_eq!(check.code, Some(1), "{}", check.stderr);
    let told = format!("{}{}", check.stdout, check.stderr);
    for needle in expected {
        let needle = needle.split(':').next().unwrap_or(needle);
        assert!(told.contains(needle), "check: no {needle} in\n{told}");
    }
    run.stderr
}

/// The one inline script of the default theme (the view switches), as its
/// base.html writes it: the only script text a page may hold.
fn theme_inline_script() -> String {
    let base = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/themes/default/templates/base.html"
    ))
    .expect("base.html");
    let start = base.find("<script>").expect("an inline script") + "<script>".len();
    let end = start + base[start..].find("</script>").expect("its end");
    base[start..end].to_owned()
}

/// What a page must never hold: event-handler attributes, script or data
/// URLs, script elements other than the theme's and JSON-LD, frames and
/// plug-ins, and (in body text) styles that can move text over the page.
fn assert_inert(html: &str, context: &str) {
    let document = Html::parse_document(html);
    for element in document
        .root_element()
        .descendants()
        .filter_map(scraper::ElementRef::wrap)
    {
        let name = element.value().name();
        assert!(
            !["iframe", "frame", "object", "embed", "base"].contains(&name),
            "{context}: <{name}> in {html}"
        );
        if name == "script" {
            let kind = element.value().attr("type").unwrap_or_default();
            let src = element.value().attr("src").unwrap_or_default();
            let text: String = element.text().collect();
            let theme_own = src.ends_with("site.js")
                || src.ends_with("search.js")
                || src.ends_with("search/index.js")
                || text == theme_inline_script();
            if kind == "application/ld+json" {
                let parsed: Result<serde_json::Value, _> = serde_json::from_str(&text);
                assert!(parsed.is_ok(), "{context}: JSON-LD does not parse: {text}");
            } else {
                assert!(theme_own, "{context}: a script of its own: {text}{src}");
            }
        }
        for (attribute, value) in element.value().attrs() {
            assert!(
                !attribute.to_ascii_lowercase().starts_with("on"),
                "{context}: {attribute}={value}"
            );
            let url: String = value
                .chars()
                .filter(|c| !c.is_whitespace() && !c.is_control())
                .collect::<String>()
                .to_ascii_lowercase();
            if ["href", "src", "action", "formaction", "data", "srcdoc"].contains(&attribute) {
                for scheme in ["javascript:", "vbscript:", "data:"] {
                    assert!(!url.starts_with(scheme), "{context}: {attribute}={value}");
                }
            }
            if attribute == "style" {
                assert!(
                    !url.contains("position") && !url.contains("url("),
                    "{context}: {value}"
                );
            }
        }
    }
}

#[test]
fn no_markdown_feature_writes_script_into_a_body() {
    let payloads = [corpus("markdown.txt"), corpus("markdown-inert.txt")].concat();
    for payload in payloads {
        // Markdown's own syntax is made safe whether or not raw HTML is
        // cleaned; raw HTML only when it is.
        let modes: &[bool] = if payload.contains('<') && !payload.starts_with('[') {
            &[true]
        } else {
            &[true, false]
        };
        for &sanitize in modes {
            let html = markdown::to_html(
                &payload,
                Settings {
                    sanitize,
                    root: "../../",
                },
            );
            let page = format!("<!DOCTYPE html><html><body><main>{html}</main></body></html>");
            assert_inert(&page, &payload);
            for tag in ["<script", "<form", "<style", "<svg", "<math"] {
                assert!(
                    !html.to_ascii_lowercase().contains(tag),
                    "{payload}: {html}"
                );
            }
        }
    }
}

#[test]
fn check_names_every_script_in_a_body_with_its_position() {
    let site = Site::new();
    let payloads = corpus("markdown.txt");
    let mut body =
        String::from("---\ntitle: 财务报销不规范\nstatus: 整改中\ndeadline: 2025-12-31\n---\n\n");
    let mut lines = Vec::new();
    for payload in &payloads {
        lines.push(body.lines().count() + 1);
        body.push_str(payload);
        body.push_str("\n\n正文。\n\n");
    }
    let stderr = refused(&site, |site| site.write(ISSUE, &body), &["03-caiwu.md"]);
    // Every payload is reported on the lines it was written on.
    for (payload, line) in payloads.iter().zip(&lines) {
        let last = line + payload.lines().count();
        let named = (*line..last).any(|l| stderr.contains(&format!("03-caiwu.md:{l}:")));
        assert!(
            named,
            "nothing reported for {payload:?} (line {line}):\n{stderr}"
        );
    }
    assert!(
        stderr.contains("不允许的协议") && stderr.contains("脚本"),
        "{stderr}"
    );
}

/// A YAML double-quoted scalar holding `text` exactly.
fn yaml_quoted(text: &str) -> String {
    let mut quoted = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => quoted.push_str("\\\""),
            '\\' => quoted.push_str("\\\\"),
            c if c.is_control() || c == '\u{2028}' || c == '\u{2029}' => {
                quoted.push_str(&format!("\\u{:04X}", u32::from(c)));
            }
            c => quoted.push(c),
        }
    }
    quoted.push('"');
    quoted
}

/// The fixture site with every text field of front matter and site.yaml
/// set to the hostile values, in turn.
fn site_with_hostile_front_matter() -> Site {
    let site = Site::new();
    let values: Vec<String> = corpus("front-matter.txt")
        .iter()
        .map(|v| yaml_quoted(v))
        .collect();
    let value = |n: usize| values[n % values.len()].clone();
    site.write(
        "site.yaml",
        format!(
            "title: {}\nbase_url: https://example.gov.cn/xcgz/\nas_of: 2025-10-01\ndescription: {}\nowner: {{ name: {}, site_code: {}, icp: {}, police: {} }}\nsupervision: {{ text: {}, phone: {}, email: {}, address: {}, postcode: {} }}\n",
            value(0), value(1), value(2), value(3), value(4), value(5), value(6), value(7), value(8), value(9), value(10)
        ),
    );
    for (n, (name, _)) in common::ISSUES.iter().enumerate() {
        let status = ["completed", "partial", "in_progress", "in_progress"][n];
        site.write(
            &format!("content/notices/2025-ceshi/issues/{name}"),
            format!(
                "---\ntitle: {}\naspect: {}\nitem: {}\nstatus: {status}\ndeadline: 2026-06-30\ndepartment: {}\nlead: {}\n---\n\n一是整改。\n",
                value(n * 5), value(n * 5 + 1), value(n * 5 + 2), value(n * 5 + 3), value(n * 5 + 4)
            ),
        );
    }
    for (n, value) in values.iter().enumerate() {
        let other = format!("content/notices/2025-other-{n}/index.md");
        site.write(
            &other,
            format!(
                "---\ntitle: {value}\norganization: {value}\npublished: 2025-0{}-1{}\nindex_no: {value}\ndoc_no: {value}\ncategory: {value}\nvalidity: {value}\ninspection: {{ body: {value} }}\nsupervision: {{ text: {value}, phone: {value}, address: {value} }}\n---\n\n正文。\n",
                n % 9 + 1,
                n % 10
            ),
        );
        site.write(
            &format!("content/pages/page-{n}.md"),
            format!("---\ntitle: {value}\n---\n\n正文。\n"),
        );
    }
    site
}

#[test]
fn front_matter_text_is_escaped_for_every_place_it_goes() {
    let site = site_with_hostile_front_matter();
    let run = run_within(&site, &["build"], LIMIT);
    run.assert_ok();
    let public = site.path("public");
    let mut pages = 0;
    for entry in walkdir::WalkDir::new(&public) {
        let entry = entry.expect("walk");
        let path = entry.path();
        let name = path.to_string_lossy().into_owned();
        if name.ends_with(".html") {
            let html = std::fs::read_to_string(path).expect("page");
            assert_inert(&html, &name);
            let document = Html::parse_document(&html);
            let headings = common::texts(&document, "h1");
            assert!(
                !headings.is_empty() || name.ends_with("404.html"),
                "{name}: blank page"
            );
            pages += 1;
        } else if name.ends_with(".xml") {
            let xml = std::fs::read_to_string(path).expect("xml");
            let parsed = roxmltree::Document::parse(&xml);
            assert!(parsed.is_ok(), "{name} is not well-formed: {parsed:?}");
            if name.ends_with("feed.xml") {
                assert!(feed_rs::parser::parse(xml.as_bytes()).is_ok(), "{name}");
            }
        }
    }
    assert!(pages > 30, "{pages}");
    let mut index_files = 0;
    for entry in walkdir::WalkDir::new(public.join("search")) {
        let entry = entry.expect("walk");
        if entry.path().extension().is_some_and(|e| e == "js") {
            index_files += 1;
            let index = std::fs::read_to_string(entry.path()).expect("index");
            for forbidden in ["<", ">", "\u{2028}", "\u{2029}"] {
                assert!(
                    !index.contains(forbidden),
                    "{} holds {forbidden:?}",
                    entry.path().display()
                );
            }
        }
    }
    assert!(index_files > 2, "{index_files}");
}

#[test]
fn control_characters_in_any_text_file_are_refused_where_they_are() {
    for (character, code) in [
        ("\u{0}", "U+0000"),
        ("\u{8}", "U+0008"),
        ("\u{b}", "U+000B"),
        ("\u{c}", "U+000C"),
        ("\u{1b}", "U+001B"),
        ("\u{7f}", "U+007F"),
        ("\u{85}", "U+0085"),
        ("\u{fffe}", "U+FFFE"),
        ("\u{ffff}", "U+FFFF"),
    ] {
        let site = Site::new();
        let issue = common::ISSUES[2]
            .1
            .replace("title: 财务报销", &format!("title: 财务{character}报销"));
        refused(
            &site,
            |site| site.write(ISSUE, &issue),
            &["03-caiwu.md:2:10", code, "控制字符"],
        );
        let site = Site::new();
        let body = common::ISSUES[2]
            .1
            .replace("一是自查凭证", &format!("一是{character}自查凭证"));
        refused(
            &site,
            |site| site.write(ISSUE, &body),
            &["03-caiwu.md:10:3", code],
        );
        let site = Site::new();
        let yaml = common::SITE_YAML.replace("title: 测试市", &format!("title: 测{character}试市"));
        refused(
            &site,
            |site| site.write("site.yaml", &yaml),
            &["site.yaml:1:9", code],
        );
    }
}

#[test]
fn other_encodings_and_line_ends_get_their_own_message_or_are_read() {
    let site = Site::new();
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(
            common::ISSUES[2]
                .1
                .encode_utf16()
                .flat_map(u16::to_le_bytes),
        )
        .collect();
    refused(
        &site,
        |site| site.write(ISSUE, &utf16),
        &["03-caiwu.md:1:1", "UTF-16", "另存为"],
    );

    let site = Site::new();
    let old_mac = common::ISSUES[2].1.replace('\n', "\r");
    site.write(ISSUE, old_mac);
    site.build().assert_ok();
    let html = site.html("public/notices/2025-ceshi/issues/03-caiwu/index.html");
    // Numbered as its notice numbers it.
    let notice = site.html("public/notices/2025-ceshi/index.html");
    let number = common::text(&notice, "#issue-3 .issue-number");
    assert_eq!(
        common::text(&html, "h1"),
        format!("问题{number}财务报销不规范")
    );
}

#[cfg(unix)]
mod links_and_special_files {
    use super::*;
    use std::os::unix::fs::symlink;

    const FOLDER: &str = "content/notices/2025-ceshi";

    #[test]
    fn links_out_of_the_site_are_refused_and_nothing_of_them_is_published() {
        let outside = tempfile::tempdir().expect("outside");
        let secret = outside.path().join("secret.txt");
        std::fs::write(&secret, "TOP-SECRET").expect("secret");
        std::fs::create_dir_all(outside.path().join("theme/static")).expect("theme");
        std::fs::write(outside.path().join("theme/static/x.css"), "TOP-SECRET").expect("css");
        let cases: Vec<(&str, std::path::PathBuf, &str)> = vec![
            (
                "content/notices/2025-ceshi/pw.txt",
                secret.clone(),
                "站点目录之外",
            ),
            (
                "content/notices/2025-ceshi/issues/05-x.md",
                secret.clone(),
                "站点目录之外",
            ),
            (
                "content/notices/2025-ceshi/files",
                outside.path().to_path_buf(),
                "站点目录之外",
            ),
            (
                "content/notices/2025-ceshi/zero.bin",
                "/dev/zero".into(),
                "站点目录之外",
            ),
            (
                "content/pages/etc.md",
                "/etc/hostname".into(),
                "站点目录之外",
            ),
            (
                "static/shared",
                outside.path().join("theme/static"),
                "站点目录之外",
            ),
            ("templates", outside.path().join("theme"), "站点目录之外"),
            (
                "content/notices/2025-ceshi/gone.pdf",
                "no-such-file.pdf".into(),
                "不存在",
            ),
            ("content/notices/2025-ceshi/again", "..".into(), "链接循环"),
        ];
        for (link, target, words) in cases {
            let site = Site::new();
            let stderr = refused(
                &site,
                |site| {
                    let at = site.path(link);
                    std::fs::create_dir_all(at.parent().expect("parent")).expect("folder");
                    symlink(&target, at).expect("link");
                },
                &[&format!("{link}:1:1"), words],
            );
            assert!(!stderr.contains("os error"), "{stderr}");
            for file in snapshot(&site.path("public")).values() {
                assert!(
                    !String::from_utf8_lossy(file).contains("TOP-SECRET"),
                    "{link}"
                );
            }
        }
    }

    #[test]
    fn links_that_multiply_do_not_hang_the_build() {
        let site = Site::new();
        refused(
            &site,
            |site| {
                for level in 0..24 {
                    let folder = site.path(&format!("shared/d{level}"));
                    std::fs::create_dir_all(&folder).expect("folder");
                    for name in ["a", "b"] {
                        symlink(format!("../d{}", level + 1), folder.join(name)).expect("link");
                    }
                }
                site.write("shared/d24/fangan.pdf", "PDF");
                symlink(
                    site.path("shared/d0"),
                    site.path(&format!("{FOLDER}/files")),
                )
                .expect("link");
            },
            &["经链接发布了超过 64 次"],
        );
    }

    #[test]
    fn links_that_stay_inside_the_site_are_followed() {
        let site = Site::new();
        site.write("shared/fangan.pdf", "PDF");
        std::fs::create_dir_all(site.path("static")).expect("static");
        site.write("shared/img/logo.png", "PNG");
        symlink(
            site.path("shared/fangan.pdf"),
            site.path(&format!("{FOLDER}/fangan.pdf")),
        )
        .expect("link");
        symlink(site.path("shared/img"), site.path("static/img")).expect("link");
        site.build().assert_ok();
        let copied = std::fs::read_to_string(site.path("public/notices/2025-ceshi/fangan.pdf"));
        assert_eq!(copied.ok().as_deref(), Some("PDF"));
        let logo = std::fs::read_to_string(site.path("public/img/logo.png"));
        assert_eq!(logo.ok().as_deref(), Some("PNG"));
    }

    #[test]
    fn pipes_and_oversized_files_are_refused_without_waiting_or_reading_them() {
        let site = Site::new();
        refused(
            &site,
            |site| {
                let pipe = site.path(&format!("{FOLDER}/pipe.pdf"));
                let made = Command::new("mkfifo").arg(&pipe).status().expect("mkfifo");
                assert!(made.success());
            },
            &["pipe.pdf:1:1", "命名管道"],
        );
        let site = Site::new();
        refused(
            &site,
            |site| {
                let yaml = format!("{}max_file_mb: 1\n", common::SITE_YAML);
                site.write("site.yaml", yaml);
                site.write(&format!("{FOLDER}/big.pdf"), vec![b'x'; 1024 * 1024 + 1]);
            },
            &["big.pdf:1:1", "超过了上限 1 MB", "max_file_mb"],
        );
    }
}

#[test]
fn attachments_that_would_run_script_on_the_site_are_refused() {
    for (name, bytes) in [
        ("fangan.html", "<script>alert(1)</script>"),
        ("old/page.HTM", "<p>旧页面</p>"),
        (
            "tu.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>",
        ),
        ("tu2.svg", "<svg><script>alert(1)</script></svg>"),
        (
            "tu3.svg",
            "<svg><a href=\"javascript:alert(1)\"><text>x</text></a></svg>",
        ),
        (
            "tu4.svg",
            "<svg><foreignObject><body onload=alert(1)></foreignObject></svg>",
        ),
        ("tu5.svg", "<svg\n\tONLOAD =alert(1)></svg>"),
        ("x.js", "alert(1)"),
        ("data.xml", "<?xml-stylesheet href=\"x.xsl\"?><a/>"),
    ] {
        let site = Site::new();
        let path = format!("content/notices/2025-ceshi/{name}");
        refused(
            &site,
            |site| site.write(&path, bytes),
            &[&format!("{path}:1:1"), "运行脚本"],
        );
    }
    let site = Site::new();
    let chart = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"><rect width=\"10\" height=\"10\" fill=\"#c00\"/><text>online 完成</text></svg>";
    site.write("content/notices/2025-ceshi/chart.svg", chart);
    site.write("content/notices/2025-ceshi/fangan.pdf", "%PDF-1.4");
    site.build().assert_ok();
    for name in ["chart.svg", "fangan.pdf"] {
        assert!(
            site.path(&format!("public/notices/2025-ceshi/{name}"))
                .is_file(),
            "{name}"
        );
    }
}

#[test]
fn deep_nesting_is_refused_or_rendered_without_running_away() {
    let issue = common::ISSUES[2].1;
    let front = |extra: &str| issue.replace("title:", &format!("{extra}\ntitle:"));
    let aliases = "a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: [*f,*f,*f,*f,*f,*f,*f,*f,*f]";
    let cases: [(String, [&str; 2]); 5] = [
        (
            front(&format!("x: {}", "[".repeat(1_000_000))),
            ["03-caiwu.md:2:", "嵌套"],
        ),
        (
            front(&format!("x: {}", "{a: ".repeat(250_000))),
            ["03-caiwu.md:2:", "嵌套"],
        ),
        (front(aliases), ["03-caiwu.md:", "别名"]),
        (
            format!("{issue}\n{}\n", "<div>".repeat(200_000)),
            ["03-caiwu.md:12:501", "嵌套超过"],
        ),
        (
            format!("{issue}\n{} 引用\n", ">".repeat(100_000)),
            ["03-caiwu.md:12:51", "嵌套超过"],
        ),
    ];
    for (text, expected) in &cases {
        refused(&Site::new(), |site| site.write(ISSUE, text), expected);
    }

    // Other deep Markdown is fine; it must only finish.
    for body in [
        ">".repeat(300_000),
        "[".repeat(300_000),
        "*a".repeat(300_000),
        "<a".repeat(300_000),
        "![a".repeat(200_000),
        "[a](".repeat(200_000),
        (0..700)
            .map(|i| format!("{}- a\n", "  ".repeat(i)))
            .collect(),
    ] {
        let site = Site::new();
        site.write(ISSUE, format!("{}\n{body}\n", common::ISSUES[2].1));
        let run = run_within(&site, &["build"], LIMIT);
        assert!(
            run.code.is_some() && !run.stderr.contains("panicked"),
            "{}",
            run.stderr
        );
    }
}

/// A progress history tens of thousands of steps long is read and checked
/// in linear time: every finding is located by a line index, never by
/// reading the file up to its line again.
#[test]
fn a_very_long_progress_history_is_checked_without_running_away() {
    const STEPS: usize = 20_000;
    let steps: String = (0..STEPS)
        .map(|step| {
            // Every thousandth step goes back a day.
            let day = if step % 1000 == 999 {
                "2024-12-31"
            } else {
                "2025-01-01"
            };
            format!("  - {{date: {day}}}\n")
        })
        .collect();
    let site = Site::new();
    let issue = common::ISSUES[2]
        .1
        .replacen("---\n\n", &format!("progress:\n{steps}---\n\n"), 1);
    site.write(ISSUE, &issue);
    let first_step_line = issue
        .lines()
        .position(|line| line.starts_with("  - {date"))
        .expect("steps")
        + 1;
    let run = run_within(&site, &["check"], LIMIT);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert_eq!(
        run.stderr.matches("GK0720").count(),
        STEPS / 1000,
        "{}",
        run.stderr
    );
    let first = format!(" {}:12 ", first_step_line + 999);
    assert!(run.stderr.contains(&first), "{first} in {}", run.stderr);
}

#[test]
fn a_circular_template_include_is_named_in_chinese() {
    let site = Site::new();
    let stderr = refused(
        &site,
        |site| {
            site.write(
                "templates/partials/a.html",
                "{% include \"partials/b.html\" %}",
            );
            site.write(
                "templates/partials/b.html",
                "b{% include \"partials/a.html\" %}",
            );
            site.write(
                "templates/page.html",
                "{% extends \"base.html\" %}{% block content %}{% include \"partials/a.html\" %}{% endblock %}",
            );
        },
        &[
            "templates/partials/b.html:1:13",
            "循环",
            "partials/a.html → partials/b.html",
        ],
    );
    assert!(!stderr.contains("Circular"), "{stderr}");
}

#[test]
fn no_page_built_from_hostile_content_runs_script_in_chromium() {
    let Some(chromium) = common::browser::chromium() else {
        return;
    };
    let site = site_with_hostile_front_matter();
    site.write(
        ISSUE,
        "---\ntitle: 占位\nstatus: in_progress\ndeadline: 2026-06-30\n---\n\nPLACEHOLDER\n",
    );
    site.build().assert_ok();
    let public = site.path("public");
    // The body of an issue page as the build writes it, once per payload.
    let issue_page = public.join("notices/2025-ceshi/issues/03-caiwu/index.html");
    let template = std::fs::read_to_string(&issue_page).expect("issue page");
    assert!(template.contains("<p>PLACEHOLDER</p>"));
    let mut pages: Vec<std::path::PathBuf> = Vec::new();
    let payloads = [corpus("markdown.txt"), corpus("markdown-inert.txt")].concat();
    for (n, payload) in payloads.iter().enumerate() {
        let body = markdown::to_html(
            payload,
            Settings {
                sanitize: true,
                root: "../../../../",
            },
        );
        let page = issue_page.with_file_name(format!("payload-{n}.html"));
        std::fs::write(&page, template.replace("<p>PLACEHOLDER</p>", &body)).expect("page");
        pages.push(page);
    }
    for entry in walkdir::WalkDir::new(&public) {
        let entry = entry.expect("walk");
        if entry.path().extension().is_some_and(|e| e == "html")
            && !entry.path().to_string_lossy().contains("payload-")
        {
            pages.push(entry.path().to_path_buf());
        }
    }

    let (browser, _profile) = common::browser::launch(&chromium);
    let tab = browser.new_tab().expect("tab");
    let dialogs = Arc::new(AtomicUsize::new(0));
    let reported = Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    tab.enable_runtime().expect("runtime");
    tab.add_event_listener(Arc::new({
        let tab = tab.clone();
        let dialogs = dialogs.clone();
        let reported = reported.clone();
        move |event: &headless_chrome::protocol::cdp::types::Event| {
            use headless_chrome::protocol::cdp::types::Event;
            match event {
                Event::PageJavascriptDialogOpening(_) => {
                    dialogs.fetch_add(1, Ordering::SeqCst);
                    let _ = tab.get_dialog().dismiss();
                }
                Event::RuntimeConsoleAPICalled(call) => {
                    if let Ok(mut reported) = reported.lock() {
                        reported.push(format!("{:?}", call.params.args));
                    }
                }
                _ => {}
            }
        }
    }))
    .expect("listen");
    // Everything a payload could do on its own, and the DOM checked for
    // what it could do on a click or a hover.
    let probe = r#"(() => {
        const bad = [];
        for (const el of document.querySelectorAll('*')) {
            for (const a of el.attributes) {
                const v = a.value.replace(/[\s\u0000-\u001f]/g, '').toLowerCase();
                if (a.name.startsWith('on')) bad.push(el.tagName + ' ' + a.name);
                if (/^(javascript|vbscript|data):/.test(v) && ['href','src','action','formaction','data'].includes(a.name)) bad.push(el.tagName + ' ' + a.name + '=' + v);
            }
        }
        for (const el of document.querySelectorAll('iframe,frame,object,embed,base,.measures form')) bad.push(el.tagName);
        for (const el of document.querySelectorAll('.measures *')) {
            const p = getComputedStyle(el).position;
            if (p === 'fixed' || p === 'absolute') bad.push(el.tagName + ' position ' + p);
        }
        if (!document.querySelector('h1') && !location.href.endsWith('404.html')) bad.push('blank page');
        return bad.join('; ');
    })()"#;
    let mut urls: Vec<String> = pages
        .iter()
        .map(|page| format!("file://{}", page.display()))
        .collect();
    // The search page writes results from the index into the page: with
    // queries that find the hostile titles.
    let search = public.join("search/index.html");
    for query in [
        "script",
        "alert",
        "%3Cimg",
        "title",
        "onerror",
        "javascript",
    ] {
        urls.push(format!("file://{}?q={query}", search.display()));
    }
    for url in &urls {
        tab.navigate_to(url)
            .unwrap_or_else(|error| panic!("{url}: {error}"));
        // Quicker than waiting for the navigation events.
        let loaded = format!(
            "document.readyState === 'complete' && location.href === {}",
            serde_json::to_string(url).expect("url")
        );
        common::browser::wait_until(&tab, &loaded);
        if url.contains("?q=") {
            // The results come once the parts of the index they need are read.
            common::browser::wait_until(
                &tab,
                "document.getElementById('search-summary').dataset.state === 'done'",
            );
        }
        let found = tab
            .evaluate(probe, false)
            .ok()
            .and_then(|result| result.value)
            .and_then(|value| value.as_str().map(str::to_owned))
            .unwrap_or_else(|| "probe failed".into());
        assert_eq!(found, "", "{url}");
        assert_eq!(
            dialogs.load(Ordering::SeqCst),
            0,
            "a dialog opened on {url}"
        );
    }
    let reported = reported.lock().map(|r| r.clone()).unwrap_or_default();
    assert!(reported.is_empty(), "console: {reported:?}");
    assert!(urls.len() > 100, "{}", urls.len());
    // The queries found what they were meant to find.
    tab.navigate_to(&format!("file://{}?q=script", search.display()))
        .expect("search");
    common::browser::wait_until(
        &tab,
        "document.querySelectorAll('#search-results li').length > 3",
    );
}
