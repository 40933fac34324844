//! Property tests: no input a clerk can produce makes gongkai panic. A short
//! run in CI; `cargo run --release --example fuzz -- --seconds 600` runs the
//! long, mutation-based search (see docs/errors.md).

mod common;

use std::path::Path;

use gongkai::markdown::{self, Settings};
use proptest::prelude::*;

/// Text that looks like what clerks write: Chinese, Markdown and YAML
/// punctuation, full-width forms, line breaks.
fn clerkish() -> impl Strategy<Value = String> {
    let pieces = prop_oneof![
        Just("---\n".to_owned()),
        Just("title: ".to_owned()),
        Just("status: 整改中\n".to_owned()),
        Just("deadline: 2025-02-30\n".to_owned()),
        Just("inspection: { body: 组, start: ".to_owned()),
        Just("**".to_owned()),
        Just("[链接](/a/../../b/)".to_owned()),
        Just("![](x.png)".to_owned()),
        Just("<!-- issues -->\n".to_owned()),
        Just("<script>x</script>".to_owned()),
        Just("| a | b |\n|---|---|\n".to_owned()),
        Just("\t".to_owned()),
        Just("\r\n".to_owned()),
        Just("：".to_owned()),
        Just("11010519491231002X".to_owned()),
        Just("13812341234".to_owned()),
        Just("`".to_owned()),
        Just("[^1]".to_owned()),
        "[一二三整改（）“”、；。a-z0-9 :#>*\\-\\[\\]{}\"'\n]{0,40}".prop_map(String::from),
    ];
    prop::collection::vec(pieces, 0..40).prop_map(|parts| parts.concat())
}

/// Text built from the pieces that could make HTML attributes and URLs:
/// heading attributes, link and image syntax, schemes written every way,
/// character references, raw tags and event handlers.
fn hostile() -> impl Strategy<Value = String> {
    let pieces = prop_oneof![
        Just("## ".to_owned()),
        Just(" {".to_owned()),
        Just("}".to_owned()),
        Just("#id ".to_owned()),
        Just(".cls ".to_owned()),
        Just("onfocus=".to_owned()),
        Just("ONclick".to_owned()),
        Just("=".to_owned()),
        Just("alert(1)".to_owned()),
        Just("\"".to_owned()),
        Just("'".to_owned()),
        Just("javascript:".to_owned()),
        Just("JaVaScRiPt:".to_owned()),
        Just("java\tscript:".to_owned()),
        Just("data:text/html,".to_owned()),
        Just("vbscript:".to_owned()),
        Just("&#106;".to_owned()),
        Just("&#x6A;avascript".to_owned()),
        Just("&colon;".to_owned()),
        Just("&Tab;".to_owned()),
        Just("[".to_owned()),
        Just("](".to_owned()),
        Just(")".to_owned()),
        Just("![".to_owned()),
        Just("[r]: ".to_owned()),
        Just("[^1]: ".to_owned()),
        Just("<".to_owned()),
        Just(">".to_owned()),
        Just("<img src=x ".to_owned()),
        Just("onerror=".to_owned()),
        Just("<script>".to_owned()),
        Just("</script>".to_owned()),
        Just("<svg ".to_owned()),
        Just("<a href=".to_owned()),
        Just("<!--".to_owned()),
        Just("-->".to_owned()),
        Just(" style=position:fixed".to_owned()),
        Just("`".to_owned()),
        Just("|".to_owned()),
        Just("\n".to_owned()),
        Just(" ".to_owned()),
        "[a-z一是 \n]{0,6}".prop_map(String::from),
    ];
    prop::collection::vec(pieces, 0..60).prop_map(|parts| parts.concat())
}

/// What the HTML `html` holds, read as a browser reads it, that could run
/// script: event-handler attributes, script URLs, script elements.
fn scripting(html: &str) -> Vec<String> {
    let document = scraper::Html::parse_fragment(html);
    let mut found = Vec::new();
    for element in document
        .root_element()
        .descendants()
        .filter_map(scraper::ElementRef::wrap)
    {
        if ["script", "iframe", "object", "embed", "svg"].contains(&element.value().name()) {
            found.push(format!("<{}>", element.value().name()));
        }
        for (name, value) in element.value().attrs() {
            let url: String = value
                .chars()
                .filter(|c| !c.is_whitespace() && !c.is_control())
                .collect::<String>()
                .to_ascii_lowercase();
            let script_url = ["javascript:", "vbscript:", "data:"]
                .iter()
                .any(|s| url.starts_with(s));
            if name.to_ascii_lowercase().starts_with("on")
                || (["href", "src"].contains(&name) && script_url)
            {
                found.push(format!("{name}={value}"));
            }
        }
    }
    found
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    /// Markdown's own syntax writes no script whether raw HTML is cleaned or
    /// not; with cleaning (the default) nothing at all does.
    #[test]
    fn generated_markdown_never_writes_script(text in hostile()) {
        let cleaned = markdown::to_html(&text, Settings { sanitize: true, root: "../" });
        let found = scripting(&cleaned);
        prop_assert!(found.is_empty(), "{:?} → {} : {:?}", text, cleaned, found);
        if !text.contains('<') {
            let raw = markdown::to_html(&text, Settings { sanitize: false, root: "../" });
            let found = scripting(&raw);
            prop_assert!(found.is_empty(), "{:?} → {} : {:?}", text, raw, found);
        }
    }

    /// Any text placed in `<script>` by the `json` filter or the search index
    /// keeps the element closed and reads back the same.
    #[test]
    fn json_in_a_script_element_stays_inside_it(text in hostile(), other in any::<String>()) {
        for value in [&text, &other] {
            let json = gongkai::escape::script_json(value).map_err(|e| TestCaseError::fail(e.to_string()))?;
            let page = format!("<script type=\"application/ld+json\">{json}</script><p>后</p>");
            let document = scraper::Html::parse_fragment(&page);
            let scripts: Vec<String> = document
                .select(&scraper::Selector::parse("script").map_err(|e| TestCaseError::fail(e.to_string()))?)
                .map(|s| s.text().collect())
                .collect();
            prop_assert_eq!(scripts.len(), 1);
            let read: String = serde_json::from_str(&scripts[0]).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(&read, value);
        }
    }

    #[test]
    fn markdown_never_panics(text in clerkish()) {
        for sanitize in [true, false] {
            let rendered = markdown::render(&text, Settings { sanitize, root: "../../" });
            prop_assert!(!sanitize || !rendered.html.contains("<script"));
        }
    }

    #[test]
    fn site_yaml_never_panics(text in clerkish()) {
        let _ = gongkai::load::config::Config::parse(Path::new("site.yaml"), &text);
    }

    #[test]
    fn import_never_panics(text in clerkish(), noise in "[一二三（）()、。:：1-9年月日整改完成情况继续关于针对“”\n]{0,80}") {
        let imported = gongkai::import::parse(&format!("{text}{noise}"), "x");
        let _ = gongkai::import::files(&imported);
        let _ = gongkai::import::report(&imported);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// A whole site with one arbitrary issue file (text or bytes) and an
    /// arbitrary notice body, checked in process: an error is fine, a panic is not.
    #[test]
    fn a_site_with_arbitrary_files_never_panics(
        issue in clerkish(),
        bytes in prop::collection::vec(any::<u8>(), 0..200),
        body in clerkish(),
    ) {
        let site = common::Site::new();
        site.write("content/notices/2025-ceshi/issues/05-x.md", &issue);
        site.write("content/notices/2025-ceshi/issues/06-y.md", &bytes);
        site.write("content/_index.md", &body);
        let options = gongkai::Options { root: site.root().to_path_buf(), ..Default::default() };
        let _ = gongkai::check(&options);
    }
}

#[test]
fn awkward_files_are_errors_or_fine_but_never_panics() {
    let site = common::Site::new();
    let deep_list = "- ".repeat(5_000) + "x\n";
    let deep_quote = "> ".repeat(5_000) + "x\n";
    let deep_yaml = (0..300)
        .map(|depth| format!("{}a:\n", "  ".repeat(depth)))
        .collect::<String>();
    let huge = "一是修订制度。".repeat(200_000);
    let cases: Vec<(&str, Vec<u8>)> = vec![
        (
            "content/notices/2025-ceshi/issues/05-deep.md",
            format!("---\ntitle: x\nstatus: completed\n---\n{deep_list}{deep_quote}").into_bytes(),
        ),
        (
            "content/notices/2025-ceshi/issues/06-yaml.md",
            format!("---\n{deep_yaml}---\n").into_bytes(),
        ),
        (
            "content/notices/2025-ceshi/issues/07-huge.md",
            format!("---\ntitle: x\nstatus: completed\n---\n{huge}").into_bytes(),
        ),
        (
            "content/notices/2025-ceshi/issues/08-bom.md",
            "\u{feff}---\r\ntitle: x\r\nstatus: completed\r\n---\r\n正文\r\n"
                .as_bytes()
                .to_vec(),
        ),
        (
            "content/notices/2025-ceshi/issues/09-only.md",
            b"---\ntitle: x\nstatus: completed\n---".to_vec(),
        ),
        ("content/notices/2025-ceshi/issues/10-empty.md", Vec::new()),
        ("content/pages/bytes.md", vec![0xff, 0xfe, 0x00, 0x80]),
    ];
    for (path, bytes) in &cases {
        site.write(path, bytes);
    }
    let options = gongkai::Options {
        root: site.root().to_path_buf(),
        ..Default::default()
    };
    let result = gongkai::check(&options);
    let problems = result.err().unwrap_or_default();
    // The empty file and the bytes are errors; nothing panicked to get here.
    assert!(
        problems.iter().any(|p| p.message.contains("front matter")),
        "{problems:?}"
    );
    assert!(
        problems.iter().any(|p| p.message.contains("UTF-8")),
        "{problems:?}"
    );
    // A 0-byte site.yaml is an error too.
    site.write("site.yaml", "");
    assert!(gongkai::check(&options).is_err());
}

#[cfg(unix)]
#[test]
fn symlink_loops_do_not_hang_or_panic() {
    let site = common::Site::new();
    std::os::unix::fs::symlink(
        site.path("content"),
        site.path("content/notices/2025-ceshi/loop"),
    )
    .expect("symlink");
    std::os::unix::fs::symlink(
        site.path("content/notices"),
        site.path("content/notices/self"),
    )
    .expect("symlink");
    let run = site.build();
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    for link in [
        "content/notices/2025-ceshi/loop:1:1",
        "content/notices/self:1:1",
    ] {
        assert!(run.stderr.contains(link), "{}", run.stderr);
    }
    assert!(run.stderr.contains("链接循环"), "{}", run.stderr);
}
