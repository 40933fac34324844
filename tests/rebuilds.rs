//! A rebuild keeps the pages whose fingerprint (what they show, their
//! templates, the site's settings) the output's marker lists unchanged,
//! without rendering them. The invariant: after every edit, a rebuild over
//! the last output equals a fresh build of the same sources, byte for byte,
//! also when the unchanged files come from the parse cache.

mod common;

use std::fs;
use std::path::Path;

use common::{Site, run_in, snapshot};

fn edit(site: &Site, file: &str, from: &str, to: &str) {
    let text = fs::read_to_string(site.path(file)).expect("read");
    assert!(text.contains(from), "{from} not in {file}");
    site.write(file, text.replacen(from, to, 1));
}

/// The number after `word` in what the build said (0 when it says none).
fn number_after(stdout: &str, word: &str) -> usize {
    stdout
        .split(word)
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .and_then(|number| number.parse().ok())
        .unwrap_or(0)
}

/// Moves the modification time of every file under `content/` changed in
/// the last ten minutes an hour back, as if edited long before the build:
/// then the build records it in its parse cache and takes it from there
/// the next time. Each edited file keeps a time of its own.
fn age(site: &Site) {
    let hour = std::time::Duration::from_secs(3600);
    let recent = std::time::SystemTime::now() - hour / 6;
    for entry in walkdir::WalkDir::new(site.path("content")) {
        let entry = entry.expect("walk content/");
        let modified = entry
            .metadata()
            .expect("metadata")
            .modified()
            .expect("mtime");
        if entry.file_type().is_file() && modified > recent {
            fs::File::options()
                .write(true)
                .open(entry.path())
                .and_then(|file| file.set_modified(modified - hour))
                .expect("set the modification time");
        }
    }
}

const NOTICE: &str = "content/notices/2025-ceshi/index.md";
const ISSUE: &str = "content/notices/2025-ceshi/issues/03-caiwu.md";

type Step = Box<dyn Fn(&Site)>;

#[test]
fn a_rebuild_after_every_kind_of_edit_equals_a_fresh_build() {
    let theme = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates");
    let steps: Vec<(&str, Step)> = vec![
        ("nothing", Box::new(|_| {})),
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
            Box::new(|s| edit(s, NOTICE, "关于市委巡察", "关于市委第二轮巡察")),
        ),
        (
            "a notice's organisation",
            Box::new(|s| {
                edit(
                    s,
                    NOTICE,
                    "organization: 中共测试医院委员会",
                    "organization: 中共测试卫生学校委员会",
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
                let text = fs::read_to_string(s.path(NOTICE))
                    .expect("notice")
                    .replace("370403/2025-02453", "370403/2025-02999")
                    .replace("published: 2024-11-05", "published: 2025-08-01");
                s.write("content/notices/2025-xin/index.md", text);
                for (name, issue) in common::ISSUES {
                    s.write(&format!("content/notices/2025-xin/issues/{name}"), issue);
                }
            }),
        ),
        (
            "a deleted issue",
            Box::new(|s| s.remove("content/notices/2025-xin/issues/02-xuexi.md")),
        ),
        (
            "a renamed notice folder",
            Box::new(|s| {
                fs::rename(
                    s.path("content/notices/2025-xin"),
                    s.path("content/notices/2025-xin-2"),
                )
                .expect("rename");
            }),
        ),
        (
            "a page",
            Box::new(|s| edit(s, "content/pages/lianxi.md", "电话", "联系电话")),
        ),
        (
            "the home text",
            Box::new(|s| s.write("content/_index.md", "---\ntitle: 首页\n---\n\n欢迎监督。\n")),
        ),
        (
            "a site template",
            Box::new(move |s| {
                let text = fs::read_to_string(theme.join("issue.html")).expect("theme");
                s.write(
                    "templates/issue.html",
                    text.replacen(
                        "{% endblock content %}",
                        "<p>改过</p>{% endblock content %}",
                        1,
                    ),
                );
            }),
        ),
        (
            "a partial template",
            Box::new(|s| s.write("templates/partials/badges.html", "<span>徽章</span>")),
        ),
        (
            "a template removed",
            Box::new(|s| s.remove("templates/issue.html")),
        ),
        (
            "a static file",
            Box::new(|s| s.write("static/extra.css", "p { color: #333; }")),
        ),
        (
            "site.yaml",
            Box::new(|s| {
                edit(
                    s,
                    "site.yaml",
                    "phone: 0000-00000000",
                    "phone: 0000-11111111",
                )
            }),
        ),
        (
            "as_of",
            Box::new(|s| edit(s, "site.yaml", "as_of: 2025-10-01", "as_of: 2026-01-10")),
        ),
    ];
    let site = Site::new();
    let fresh = tempfile::tempdir().expect("temp dir");
    age(&site);
    site.build().assert_ok();
    // The search index's lists, for the next build to take from.
    assert!(site.path(".public.gongkai-search").is_file());
    for (step, apply) in steps {
        apply(&site);
        age(&site);
        let rebuilt = site.build();
        rebuilt.assert_ok();
        let out = fresh.path().join(step.replace(' ', "-"));
        run_in(site.root(), &["build", "-o", &out.to_string_lossy()]).assert_ok();
        let (got, want) = (snapshot(&site.path("public")), snapshot(&out));
        let differing: Vec<_> = want
            .keys()
            .chain(got.keys())
            .filter(|path| got.get(*path) != want.get(*path))
            .collect();
        assert!(
            differing.is_empty(),
            "after {step}: the rebuild differs from a fresh build in {differing:?}"
        );
        let kept = number_after(&rebuilt.stdout, "其中 ");
        let pages = number_after(&rebuilt.stdout, "已生成 ");
        let rendered = pages - kept;
        match step {
            "nothing" | "a static file" => assert_eq!(rendered, 0, "after {step}"),
            // Its page, its two neighbours' (which show it) and its notice's.
            "an issue's text" => assert_eq!(rendered, 4, "after {step}"),
            "site.yaml" | "as_of" => assert_eq!(kept, 0, "after {step}"),
            _ => assert!(rendered > 0, "after {step}"),
        }
    }
}

#[test]
fn a_site_built_from_another_folder_keeps_its_pages() {
    let site = Site::new();
    let output = tempfile::tempdir().expect("temp dir");
    let public = output.path().join("public");
    let public = public.to_string_lossy();
    site.run(&["build", "-o", &public]).assert_ok();
    // The same sources checked out elsewhere, as a CI job does.
    let elsewhere = Site::new();
    let rebuilt = elsewhere.run(&["build", "-o", &public]);
    rebuilt.assert_ok();
    let pages = number_after(&rebuilt.stdout, "已生成 ");
    assert_eq!(number_after(&rebuilt.stdout, "其中 "), pages);
    let fresh = output.path().join("fresh");
    elsewhere
        .run(&["build", "-o", &fresh.to_string_lossy()])
        .assert_ok();
    assert_eq!(
        snapshot(output.path().join("public").as_path()),
        snapshot(&fresh)
    );
}

#[test]
fn files_whose_size_and_time_did_not_change_come_from_the_parse_cache() {
    let site = Site::new();
    age(&site);
    site.build().assert_ok();
    assert!(site.path(".public.gongkai-cache").is_file());
    let page = site.path("public/notices/2025-ceshi/issues/03-caiwu/index.html");
    assert!(
        fs::read_to_string(&page)
            .expect("page")
            .contains("一是自查凭证。")
    );
    // Another text of the same size, its old modification time restored:
    // the cache still has the file as it was.
    let file = site.path(ISSUE);
    let modified = fs::metadata(&file)
        .and_then(|m| m.modified())
        .expect("mtime");
    edit(&site, ISSUE, "一是自查凭证。", "一是核查凭证。");
    let restore = |time| {
        fs::File::options()
            .write(true)
            .open(&file)
            .and_then(|file| file.set_modified(time))
            .expect("set the modification time")
    };
    restore(modified);
    site.build().assert_ok();
    assert!(
        fs::read_to_string(&page)
            .expect("page")
            .contains("一是自查凭证。")
    );
    // A time a nanosecond later, and it is read again.
    restore(modified + std::time::Duration::from_nanos(1));
    site.build().assert_ok();
    assert!(
        fs::read_to_string(&page)
            .expect("page")
            .contains("一是核查凭证。")
    );
}
