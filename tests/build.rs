//! `gongkai build` on fixture sites, checked on the parsed HTML.

mod common;

use std::fs;
use std::path::Path;

use common::{Site, select, text, texts};

#[test]
fn every_notice_issue_listing_and_page_gets_a_file() {
    let site = Site::new();
    let run = site.build();
    run.assert_ok();
    assert!(
        run.stderr.is_empty(),
        "no warnings expected: {}",
        run.stderr
    );
    for page in [
        "public/index.html",
        "public/404.html",
        "public/notices/2025-ceshi/index.html",
        "public/notices/2025-ceshi/issues/01-lingdao/index.html",
        "public/notices/2025-ceshi/issues/04-zichan/index.html",
        "public/status/completed/index.html",
        "public/status/partial/index.html",
        "public/status/in_progress/index.html",
        "public/overdue/index.html",
        "public/lianxi/index.html",
        "public/style.css",
    ] {
        assert!(site.path(page).is_file(), "{page} missing");
    }
    assert!(run.stdout.contains("问题 4 条"), "{}", run.stdout);
}

#[test]
fn notice_page_shows_metadata_progress_and_numbered_issues() {
    let site = Site::new();
    site.build().assert_ok();
    let page = site.html("public/notices/2025-ceshi/index.html");

    let meta = texts(&page, ".doc-meta th, .doc-meta td").join("|");
    for expected in [
        "索引号|370403/2025-02453",
        "成文日期|2025年2月25日",
        "发布日期|2025年3月17日",
        "效力状态|有效",
    ] {
        assert!(meta.contains(expected), "{expected} not in {meta}");
    }
    assert_eq!(text(&page, ".rate strong"), "1/4，25%");
    assert_eq!(
        texts(&page, ".figure-list .fig-num"),
        ["1", "1", "2", "1", "2", "3"]
    );
    assert_eq!(
        texts(&page, ".aspect-title"),
        ["（一）党的领导方面", "（二）全面从严治党方面"]
    );
    assert_eq!(
        texts(&page, ".item-title"),
        ["1.党的领导弱化", "1.财务管理", "2.资产管理"]
    );
    assert_eq!(
        texts(&page, ".issue-number"),
        ["（1）", "（2）", "（3）", "（4）"],
        "problems are numbered across the notice"
    );
    // Issue list sits between the two body sections.
    let headings = texts(&page, ".article-body h2, .article-body .aspect-title");
    assert_eq!(
        headings.first().map(String::as_str),
        Some("一、整改工作组织情况")
    );
    assert_eq!(
        headings.last().map(String::as_str),
        Some("三、下一步工作打算")
    );
    // Badges: statuses, long-term, overdue by the days since the deadline
    // (2025-09-01, as_of 2025-10-01), not updated since the notice (2025-03-17).
    let badges = texts(&page, "#issue-4 .badge");
    assert_eq!(badges, ["整改中", "逾期30天", "198天未更新"]);
    assert_eq!(texts(&page, "#issue-1 .badge"), ["已完成", "长期坚持"]);
    assert!(texts(&page, "#issue-1 .issue-body strong").contains(&"整改情况：".to_owned()));
    // Supervision: the notice's phone over the site's, the site's e-mail kept.
    let contact = text(&page, ".supervision");
    assert!(contact.contains("0518-11111111"), "{contact}");
    assert!(!contact.contains("0000-00000000"), "{contact}");
    assert!(contact.contains("office@example.gov.cn"), "{contact}");
    assert_eq!(text(&page, ".signature"), "中共测试医院委员会2025年2月25日");
}

#[test]
fn government_meta_tags_and_footer_are_on_pages() {
    let site = Site::new();
    site.build().assert_ok();
    let issue = site.html("public/notices/2025-ceshi/issues/02-xuexi/index.html");
    let meta = |name: &str| {
        select(&issue, &format!("meta[name={name}]"))
            .first()
            .and_then(|e| e.value().attr("content"))
            .map(str::to_owned)
    };
    assert_eq!(
        meta("SiteName").as_deref(),
        Some("测试市卫生健康委员会 巡察整改公开")
    );
    assert_eq!(meta("SiteDomain").as_deref(), Some("example.gov.cn"));
    assert_eq!(meta("SiteIDCode").as_deref(), Some("1234000001"));
    assert_eq!(meta("ArticleTitle").as_deref(), Some("理论学习不深入"));
    assert_eq!(meta("PubDate").as_deref(), Some("2025-03-17 00:00"));
    assert_eq!(meta("ContentSource").as_deref(), Some("中共测试医院委员会"));
    let html_lang = select(&issue, "html")[0].value().attr("lang");
    assert_eq!(html_lang, Some("zh-CN"));
    let footer = text(&issue, ".site-footer");
    for expected in [
        "主办单位：测试市卫生健康委员会",
        "网站标识码：1234000001",
        "测ICP备00000000号",
    ] {
        assert!(footer.contains(expected), "{expected} not in {footer}");
    }
    let police = select(&issue, ".site-footer a[href*='beian.mps.gov.cn']");
    assert_eq!(
        police[0].value().attr("href"),
        Some("https://beian.mps.gov.cn/#/query/webSearch?code=12345678901234")
    );
}

#[test]
fn issue_page_links_to_its_neighbours_and_back() {
    let site = Site::new();
    site.build().assert_ok();
    let page = site.html("public/notices/2025-ceshi/issues/02-xuexi/index.html");
    assert_eq!(
        text(&page, ".group-path"),
        "（一）党的领导方面 › 1.党的领导弱化"
    );
    let href = |css: &str| {
        select(&page, css)[0]
            .value()
            .attr("href")
            .map(str::to_owned)
    };
    assert_eq!(
        href("a[rel=prev]").as_deref(),
        Some("../../../../notices/2025-ceshi/issues/01-lingdao/index.html")
    );
    assert_eq!(
        href("a[rel=next]").as_deref(),
        Some("../../../../notices/2025-ceshi/issues/03-caiwu/index.html")
    );
    assert_eq!(
        href(".back a").as_deref(),
        Some("../../../../notices/2025-ceshi/index.html#issue-2")
    );
    let facts = text(&page, ".issue-table");
    assert!(
        facts.contains("基本完成") && facts.contains("2025年6月30日（已逾期）"),
        "{facts}"
    );
    assert!(text(&page, ".supervision").contains("0518-11111111"));
    let first = site.html("public/notices/2025-ceshi/issues/01-lingdao/index.html");
    assert!(select(&first, "a[rel=prev]").is_empty());
}

#[test]
fn status_and_overdue_listings_hold_exactly_their_issues() {
    let site = Site::new();
    site.build().assert_ok();
    let titles = |path: &str| texts(&site.html(path), ".listing tbody tr td:first-child");
    assert_eq!(
        titles("public/status/completed/index.html"),
        ["党的领导作用发挥不充分"]
    );
    assert_eq!(
        titles("public/status/partial/index.html"),
        ["理论学习不深入"]
    );
    assert_eq!(
        titles("public/status/in_progress/index.html"),
        ["财务报销不规范", "固定资产账实不符"]
    );
    assert_eq!(
        titles("public/overdue/index.html"),
        ["理论学习不深入", "固定资产账实不符"]
    );
}

#[test]
fn home_sums_all_notices_and_lists_the_newest_first() {
    let site = Site::new();
    site.write(
        "content/notices/2025-second/index.md",
        "---\ntitle: 第二篇通报\norganization: 中共某某中心支部\npublished: 2025-09-01\n---\n正文\n",
    );
    site.write(
        "content/notices/2025-second/issues/1-a.md",
        "---\ntitle: 问题甲\nstatus: 已完成\n---\n措施\n",
    );
    site.build().assert_ok();
    let home = site.html("public/index.html");
    assert_eq!(
        texts(&home, ".notice-card-title"),
        [
            "第二篇通报",
            "中共测试医院委员会关于市委巡察整改进展情况的通报"
        ]
    );
    assert_eq!(text(&home, ".overview .rate strong"), "2/5，40%");
    // Three statuses that add up to the total, then long-term, overdue and
    // not updated (the notice of 2025-03-17 gives the only date: 198 days
    // before as_of).
    assert_eq!(
        texts(&home, ".overview .fig-num"),
        ["2", "1", "2", "1", "2", "3"]
    );
}

/// Every relative link of every page points at a file of the output, so the
/// portal works from a local folder and under any base URL path.
#[test]
fn every_internal_link_resolves_to_a_file() {
    let site = Site::new();
    site.write("content/notices/2025-ceshi/fangan.pdf", "%PDF-1.4");
    site.write(
        "content/pages/guanyu.md",
        "---\ntitle: 关于\n---\n[联系我们](/lianxi/) [方案](/notices/2025-ceshi/fangan.pdf)\n",
    );
    site.build().assert_ok();
    let public = site.path("public");
    let mut checked = 0;
    for entry in walkdir::WalkDir::new(&public) {
        let entry = entry.expect("walk");
        if entry.path().extension().is_none_or(|e| e != "html") || entry.file_name() == "404.html" {
            continue;
        }
        let page = scraper::Html::parse_document(&fs::read_to_string(entry.path()).expect("read"));
        for element in select(&page, "a[href], link[href], script[src]") {
            let attr = element
                .value()
                .attr("href")
                .or(element.value().attr("src"))
                .unwrap_or_default();
            if attr.starts_with("http")
                || attr.starts_with("mailto:")
                || attr.starts_with("tel:")
                || attr.starts_with('#')
            {
                continue;
            }
            let file = attr.split('#').next().unwrap_or_default();
            let target = entry.path().parent().unwrap_or(Path::new("")).join(file);
            assert!(
                target.is_file(),
                "{} links to missing {attr}",
                entry.path().display()
            );
            checked += 1;
        }
    }
    assert!(checked > 100, "only {checked} links checked");
}

#[test]
fn canonical_urls_use_base_url_and_can_be_overridden() {
    let site = Site::new();
    site.run(&["build", "--base-url", "https://other.gov.cn/a/b"])
        .assert_ok();
    let page = site.html("public/notices/2025-ceshi/index.html");
    let canonical = select(&page, "link[rel=canonical]")[0].value().attr("href");
    assert_eq!(
        canonical,
        Some("https://other.gov.cn/a/b/notices/2025-ceshi/")
    );
    let not_found = fs::read_to_string(site.path("public/404.html")).expect("404");
    assert!(
        not_found.contains(r#"href="/a/b/style.css""#),
        "404 links start at the base path"
    );
}

#[test]
fn raw_html_is_sanitised_unless_site_yaml_allows_it() {
    let site = Site::new();
    let body = "---\ntitle: 页面\n---\n<font color=red>红字</font><p title=\"说明\" style=\"position:fixed\">段落</p>\n";
    site.write("content/pages/raw.md", body);
    let run = site.build();
    run.assert_ok();
    assert!(
        run.stderr.contains("content/pages/raw.md:4:1"),
        "{}",
        run.stderr
    );
    let html = fs::read_to_string(site.path("public/raw/index.html")).expect("page");
    assert!(
        !html.contains("<font") && !html.contains("position"),
        "{html}"
    );
    assert!(html.contains("红字") && html.contains(r#"<p title="说明">段落</p>"#));

    let scripted = "---\ntitle: 页面\n---\n<script>alert(1)</script><p onclick=\"x()\">段落</p>\n";
    site.write("content/pages/raw.md", scripted);
    let run = site.build();
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(
        run.stderr.contains("content/pages/raw.md:4:1"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("content/pages/raw.md:4:29"),
        "{}",
        run.stderr
    );

    site.write(
        "site.yaml",
        format!("{}sanitize_html: false\n", common::SITE_YAML),
    );
    site.build().assert_ok();
    let html = fs::read_to_string(site.path("public/raw/index.html")).expect("page");
    assert!(html.contains("onclick"));
}

#[test]
fn template_output_is_escaped() {
    let site = Site::new();
    site.write(
        "content/notices/2025-ceshi/issues/05-x.md",
        "---\ntitle: <script>alert(1)</script>\nstatus: completed\n---\n",
    );
    site.build().assert_ok();
    let html = fs::read_to_string(site.path("public/notices/2025-ceshi/index.html")).expect("page");
    assert!(!html.contains("<script>alert(1)"));
    assert!(html.contains("&lt;script&gt;alert(1)"));
}

#[test]
fn drafts_are_left_out_unless_asked_for() {
    let site = Site::new();
    site.write(
        "content/notices/2025-draft/index.md",
        "---\ntitle: 草稿通报\norganization: 某单位\npublished: 2025-05-01\ndraft: true\n---\n",
    );
    site.build().assert_ok();
    assert!(!site.path("public/notices/2025-draft").exists());
    site.run(&["build", "--drafts"]).assert_ok();
    assert!(site.path("public/notices/2025-draft/index.html").is_file());
}

#[test]
fn site_templates_and_static_files_override_the_theme() {
    let site = Site::new();
    site.write(
        "templates/page.html",
        "{% extends \"base.html\" %}{% block content %}<p class=\"mine\">{{ page.title }}</p>{% endblock content %}",
    );
    site.write("static/style.css", "/* mine */");
    site.write("static/img/logo.png", [0x89, b'P', b'N', b'G']);
    site.build().assert_ok();
    assert_eq!(
        text(&site.html("public/lianxi/index.html"), ".mine"),
        "联系我们"
    );
    assert_eq!(
        fs::read_to_string(site.path("public/style.css")).expect("css"),
        "/* mine */"
    );
    assert!(site.path("public/img/logo.png").is_file());
}

#[test]
fn attachments_are_copied_beside_their_notice() {
    let site = Site::new();
    site.write("content/notices/2025-ceshi/files/整改方案.pdf", "%PDF");
    site.build().assert_ok();
    assert!(
        site.path("public/notices/2025-ceshi/files/整改方案.pdf")
            .is_file()
    );
}

#[test]
fn issues_are_ordered_by_file_number_then_order_field() {
    let site = Site::new();
    site.write(
        "content/notices/2025-ceshi/issues/10-later.md",
        "---\ntitle: 第十\naspect: 全面从严治党方面\nitem: 资产管理\nstatus: completed\n---\n",
    );
    site.build().assert_ok();
    let page = site.html("public/notices/2025-ceshi/index.html");
    let titles = texts(&page, ".issue-title");
    assert_eq!(titles.last().map(String::as_str), Some("（5）第十"));
}

#[test]
fn the_example_portal_in_the_repository_builds_every_file() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = tempfile::tempdir().expect("temp");
    let output = out.path().join("public");
    let run = common::run_in(repo, &["build", "-o", output.to_str().expect("utf-8")]);
    run.assert_ok();
    assert!(run.stderr.is_empty(), "warnings: {}", run.stderr);
    let notices = repo.join("content/notices");
    let mut issues = 0;
    for notice in fs::read_dir(&notices).expect("notices") {
        let notice = notice.expect("entry").path();
        let slug = notice
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        assert!(
            output.join(format!("notices/{slug}/index.html")).is_file(),
            "{slug}"
        );
        for issue in fs::read_dir(notice.join("issues")).expect("issues") {
            let stem = issue
                .expect("entry")
                .path()
                .file_stem()
                .expect("stem")
                .to_string_lossy()
                .into_owned();
            assert!(
                output
                    .join(format!("notices/{slug}/issues/{stem}/index.html"))
                    .is_file(),
                "{stem}"
            );
            issues += 1;
        }
    }
    assert!(issues >= 30, "the example has {issues} issues");
}

#[test]
fn stray_files_are_warned_about_but_do_not_stop_the_build() {
    let site = Site::new();
    site.write("content/说明.txt", "给同事的备注");
    let run = site.build();
    run.assert_ok();
    assert!(
        run.stderr
            .contains("警告：content/说明.txt:1:1：此文件不会发布"),
        "{}",
        run.stderr
    );
}

/// The counts on the home and notice pages of the example portal equal a
/// count of `status:`, `long_term:` and `deadline:` lines in its issue
/// files, and of its dates (`updated:`, `completed:`, a progress step's
/// `date:`, else the notice's `as_of:` or `published:`) against `as_of`.
#[test]
fn example_counts_equal_what_the_files_say() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = tempfile::tempdir().expect("temp");
    let output = out.path().join("public");
    common::run_in(repo, &["build", "-o", output.to_str().expect("utf-8")]).assert_ok();
    let as_of = "2025-10-31"; // site.yaml's as_of
    let day = |text: &str| chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("date");
    let dates_after = |text: &str, key: &str| -> Vec<String> {
        text.match_indices(key)
            .filter_map(|(at, _)| text.get(at + key.len()..at + key.len() + 10))
            .map(str::to_owned)
            .collect()
    };
    let mut totals = [0usize; 6];
    for notice in fs::read_dir(repo.join("content/notices")).expect("notices") {
        let notice = notice.expect("entry").path();
        let index = fs::read_to_string(notice.join("index.md")).expect("index.md");
        let notice_date = dates_after(&index, "\nas_of: ")
            .into_iter()
            .chain(dates_after(&index, "\npublished: "))
            .next()
            .expect("published");
        let mut counts = [0usize; 6];
        for issue in fs::read_dir(notice.join("issues")).expect("issues") {
            let text = fs::read_to_string(issue.expect("entry").path()).expect("read");
            let field = |name: &str| {
                text.lines()
                    .find_map(|line| line.strip_prefix(name))
                    .map(|value| value.trim().to_owned())
            };
            let status = field("status:").expect("status");
            let slot = ["completed", "partial", "in_progress"]
                .iter()
                .position(|s| *s == status)
                .expect("the example uses English statuses");
            counts[slot] += 1;
            counts[3] += usize::from(field("long_term:").as_deref() == Some("true"));
            let late = field("deadline:").is_some_and(|d| d.as_str() < as_of);
            counts[4] += usize::from(late && status != "completed");
            let latest = ["\nupdated: ", "\ncompleted: ", "date: "]
                .iter()
                .flat_map(|key| dates_after(&text, key))
                .max()
                .unwrap_or_else(|| notice_date.clone());
            let unchanged_for = (day(as_of) - day(&latest)).num_days();
            counts[5] += usize::from(status != "completed" && unchanged_for >= 90);
        }
        let slug = notice
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        let page = scraper::Html::parse_document(
            &fs::read_to_string(output.join(format!("notices/{slug}/index.html"))).expect("page"),
        );
        let shown: Vec<String> = texts(&page, ".figure-list .fig-num");
        let expected: Vec<String> = counts.iter().map(ToString::to_string).collect();
        assert_eq!(shown, expected, "{slug}");
        for (total, count) in totals.iter_mut().zip(counts) {
            *total += count;
        }
    }
    let home = scraper::Html::parse_document(
        &fs::read_to_string(output.join("index.html")).expect("home"),
    );
    let expected: Vec<String> = totals.iter().map(ToString::to_string).collect();
    assert_eq!(texts(&home, ".overview .fig-num"), expected);
    assert!(totals[4] >= 1, "the example has an overdue issue");
    assert!(
        totals.iter().all(|&n| n > 0),
        "every status and flag appears: {totals:?}"
    );
}

#[test]
fn site_absolute_links_in_the_home_text_start_at_the_root() {
    let site = Site::new();
    site.write("content/_index.md", "见[联系我们](/lianxi/)。\n");
    site.build().assert_ok();
    let home = site.html("public/index.html");
    let link = select(&home, ".home-text a")[0].value().attr("href");
    assert_eq!(link, Some("lianxi/index.html"));
}

fn second_notice(site: &Site) {
    site.write(
        "content/notices/2024-second/index.md",
        "---\ntitle: 第二篇通报\norganization: 中共某某中心支部委员会\npublished: 2024-09-01\n---\n正文\n",
    );
    site.write(
        "content/notices/2024-second/issues/1-a.md",
        "---\ntitle: 问题甲\nstatus: 已完成\n---\n措施\n",
    );
}

#[test]
fn feeds_parse_and_list_every_notice() {
    let site = Site::new();
    second_notice(&site);
    site.build().assert_ok();
    let parse = |path: &str| {
        let bytes = fs::read(site.path(path)).expect("feed");
        feed_rs::parser::parse(bytes.as_slice()).unwrap_or_else(|e| panic!("{path}: {e}"))
    };
    let feed = parse("public/feed.xml");
    let titles: Vec<String> = feed
        .entries
        .iter()
        .filter_map(|e| e.title.as_ref().map(|t| t.content.clone()))
        .collect();
    // Notices and status changes (the fixture's completion on 2025-01-20,
    // between the two notices), newest first.
    assert_eq!(
        titles,
        [
            "中共测试医院委员会关于市委巡察整改进展情况的通报",
            "党的领导作用发挥不充分：已完成",
            "第二篇通报"
        ]
    );
    let links: Vec<&str> = feed
        .entries
        .iter()
        .flat_map(|e| e.links.iter().map(|l| l.href.as_str()))
        .collect();
    assert!(
        links.contains(&"https://example.gov.cn/xcgz/notices/2025-ceshi/"),
        "{links:?}"
    );
    // One feed per issuing body, holding only its notices.
    let organizations = site.html("public/organizations/index.html");
    let bodies = select(&organizations, ".listing tbody a");
    assert_eq!(bodies.len(), 2);
    for body in bodies {
        let path = body
            .value()
            .attr("href")
            .expect("href")
            .replace("index.html", "feed.xml");
        let feed = parse(&format!("public/organizations/{path}"));
        let notices = feed
            .entries
            .iter()
            .filter(|e| e.links.iter().all(|l| !l.href.contains("/issues/")))
            .count();
        assert_eq!(notices, 1, "{path}");
    }
}

#[test]
fn sitemap_lists_every_page_and_robots_points_to_it() {
    let site = Site::new();
    second_notice(&site);
    site.build().assert_ok();
    let sitemap = fs::read_to_string(site.path("public/sitemap.xml")).expect("sitemap");
    let listed: std::collections::BTreeSet<String> = sitemap
        .split("<loc>")
        .skip(1)
        .filter_map(|rest| rest.split("</loc>").next())
        .map(str::to_owned)
        .collect();
    let public = site.path("public");
    let pages: std::collections::BTreeSet<String> = walkdir::WalkDir::new(&public)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_name() == "index.html")
        .map(|e| {
            let folder = e
                .path()
                .parent()
                .expect("parent")
                .strip_prefix(&public)
                .expect("inside");
            let folder = folder.to_string_lossy();
            if folder.is_empty() {
                "https://example.gov.cn/xcgz/".to_owned()
            } else {
                format!("https://example.gov.cn/xcgz/{folder}/")
            }
        })
        .collect();
    assert_eq!(listed, pages);
    assert!(sitemap.contains(
        "<loc>https://example.gov.cn/xcgz/notices/2025-ceshi/</loc><lastmod>2025-03-17</lastmod>"
    ));
    let robots = fs::read_to_string(site.path("public/robots.txt")).expect("robots");
    assert!(robots.contains("Sitemap: https://example.gov.cn/xcgz/sitemap.xml"));
}

#[test]
fn notices_are_listed_by_body_and_by_year() {
    let site = Site::new();
    second_notice(&site);
    site.build().assert_ok();
    let year = site.html("public/years/2024/index.html");
    assert_eq!(texts(&year, ".notice-card-title"), ["第二篇通报"]);
    let all = site.html("public/notices/index.html");
    assert_eq!(texts(&all, ".notice-card-title").len(), 2);
    let notice = site.html("public/notices/2025-ceshi/index.html");
    let body_link = select(&notice, ".doc-meta a")[0]
        .value()
        .attr("href")
        .map(str::to_owned);
    let body_page = site.path(&format!(
        "public/notices/2025-ceshi/{}",
        body_link.expect("link to the body's page")
    ));
    let body = scraper::Html::parse_document(&fs::read_to_string(body_page).expect("body page"));
    assert_eq!(
        texts(&body, ".notice-card-title"),
        ["中共测试医院委员会关于市委巡察整改进展情况的通报"]
    );
}

#[test]
fn pages_carry_open_graph_and_json_ld() {
    let site = Site::new();
    site.build().assert_ok();
    let page = site.html("public/notices/2025-ceshi/index.html");
    let og = |property: &str| {
        select(&page, &format!("meta[property='{property}']"))
            .first()
            .and_then(|e| e.value().attr("content"))
            .map(str::to_owned)
    };
    assert_eq!(og("og:type").as_deref(), Some("article"));
    assert_eq!(
        og("og:url").as_deref(),
        Some("https://example.gov.cn/xcgz/notices/2025-ceshi/")
    );
    let ld = text(&page, "script[type='application/ld+json']");
    let ld: serde_json::Value = serde_json::from_str(&ld).expect("JSON-LD parses");
    assert_eq!(ld["@type"], "Report");
    assert_eq!(ld["datePublished"], "2025-03-17");
    assert_eq!(ld["author"]["name"], "中共测试医院委员会");
}

#[test]
fn the_same_content_builds_to_the_same_bytes() {
    let site = Site::new();
    site.build().assert_ok();
    let first = common::snapshot(&site.path("public"));
    fs::remove_dir_all(site.path("public")).expect("remove output");
    site.build().assert_ok();
    // Each build runs in its own process, with its own hash seeds: any output
    // that follows a hash map's order would differ here.
    assert_eq!(first, common::snapshot(&site.path("public")));
}

#[cfg(unix)]
#[test]
fn a_rebuild_rewrites_only_changed_files_and_removes_dropped_ones() {
    use std::os::unix::fs::MetadataExt;
    let site = Site::new();
    site.build().assert_ok();
    let issues = "public/notices/2025-ceshi/issues";
    let identity = |relative: &str| {
        let meta = fs::metadata(site.path(relative)).expect(relative);
        (meta.ino(), meta.modified().expect("mtime"))
    };
    let untouched = format!("{issues}/01-lingdao/index.html");
    let edited = format!("{issues}/03-caiwu/index.html");
    let before = (identity(&untouched), identity(&edited));

    site.write(
        "content/notices/2025-ceshi/issues/03-caiwu.md",
        common::ISSUES[2]
            .1
            .replace("一是自查凭证。", "一是自查凭证，已退回违规报销款。"),
    );
    site.remove("content/notices/2025-ceshi/issues/04-zichan.md");
    site.build().assert_ok();

    assert_eq!(
        identity(&untouched),
        before.0,
        "an unchanged page was rewritten"
    );
    assert_ne!(identity(&edited), before.1);
    let page = fs::read_to_string(site.path(&edited)).expect("edited page");
    assert!(page.contains("已退回违规报销款"));
    assert!(!site.path(&format!("{issues}/04-zichan")).exists());
    let leftovers: Vec<_> = walkdir::WalkDir::new(site.root())
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| {
            let name = e.file_name().to_string_lossy();
            name.contains("gongkai-new") || name.contains("gongkai-old")
        })
        .map(|e| e.path().to_path_buf())
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn a_page_changed_by_hand_in_the_output_is_written_again() {
    let site = Site::new();
    site.build().assert_ok();
    let page = site.path("public/notices/2025-ceshi/index.html");
    let built = fs::read(&page).expect("page");
    fs::write(&page, "改坏了").expect("spoil");
    site.remove("public/search/index.html");
    site.build().assert_ok();
    assert_eq!(fs::read(&page).expect("page"), built);
    assert!(site.path("public/search/index.html").is_file());
}

#[test]
fn a_folder_put_where_the_output_had_a_page_stops_the_build_and_is_kept() {
    let site = Site::new();
    site.build().assert_ok();
    let page = site.path("public/search/index.html");
    fs::remove_file(&page).expect("remove page");
    fs::create_dir_all(page.join("stray")).expect("folder in its place");
    fs::write(page.join("stray/note.txt"), "他人的文件").expect("their file");
    let run = site.build();
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(
        run.stderr.contains("search/index.html/stray/note.txt") && run.stderr.contains("GK0806"),
        "{}",
        run.stderr
    );
    assert_eq!(
        fs::read_to_string(page.join("stray/note.txt")).expect("kept"),
        "他人的文件"
    );
}

#[test]
fn the_web_teams_files_are_kept_and_listed_by_build_v_and_check() {
    let site = Site::new();
    site.build().assert_ok();
    site.write("public/web.config", "<configuration/>");
    site.write("public/uploads/2025/方案.pdf", "%PDF");
    let quiet = site.build();
    quiet.assert_ok();
    assert!(
        quiet.stdout.contains("2 个文件不是 gongkai 生成的") && quiet.stdout.contains("-v"),
        "{}",
        quiet.stdout
    );
    assert!(!quiet.stdout.contains("web.config"), "{}", quiet.stdout);
    let verbose = site.run(&["build", "-v"]);
    verbose.assert_ok();
    let checked = site.run(&["check"]);
    checked.assert_ok();
    for run in [&verbose, &checked] {
        assert!(
            run.stdout.contains("uploads/2025/方案.pdf") && run.stdout.contains("web.config"),
            "{}",
            run.stdout
        );
    }
    assert_eq!(
        fs::read_to_string(site.path("public/web.config")).expect("kept"),
        "<configuration/>"
    );
}

#[cfg(target_os = "linux")]
#[test]
fn a_second_build_into_the_same_output_is_refused_while_the_first_runs() {
    let site = Site::new();
    site.build().assert_ok();
    // Another process holds the output's lock, as a running build does
    // (`-o`: the lock is flock's own, not inherited by sleep).
    let mut holder = std::process::Command::new("flock")
        .arg("-o")
        .arg(site.root())
        .args(["sleep", "30"])
        .spawn()
        .expect("flock");
    std::thread::sleep(std::time::Duration::from_millis(300));
    let run = site.build();
    let _ = holder.kill();
    let _ = holder.wait();
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(run.stderr.contains("GK0808"), "{}", run.stderr);
    site.build().assert_ok();
}

/// An issue's page says as of when its status stands, when it was
/// completed, and shows its progress as a dated timeline, each step with
/// the status it reached; an issue that gives no date stands at its
/// notice's `as_of`, or else at the notice's publication.
#[test]
fn an_issue_page_shows_its_progress_over_time() {
    let site = Site::new();
    let issue = "content/notices/2025-ceshi/issues/03-caiwu.md";
    site.replace(issue, "status: 整改中\ndeadline: 2025-12-31\n", "status: completed\ncompleted: 2025-06-30\nprogress:\n  - date: 2025-04-02\n    status: 整改中\n    note: 自查**凭证** 412 份\n  - {date: 2025-05-15, note: 修订报销制度}\n  - {date: 2025-06-30, status: completed}\n");
    site.build().assert_ok();
    let page = site.html("public/notices/2025-ceshi/issues/03-caiwu/index.html");
    assert_eq!(text(&page, ".issue-table .as-of"), "截至2025年6月30日");
    let completed = texts(&page, ".issue-table div");
    assert!(
        completed.iter().any(|row| row == "完成日期2025年6月30日"),
        "{completed:?}"
    );
    let steps = texts(&page, ".timeline .steps li");
    assert_eq!(
        steps,
        [
            "2025年4月2日 整改中自查凭证 412 份",
            "2025年5月15日修订报销制度",
            "2025年6月30日 已完成",
        ]
    );
    assert_eq!(
        select(&page, ".timeline .step-note strong").len(),
        1,
        "notes are Markdown"
    );
    let times: Vec<&str> = select(&page, ".timeline time")
        .iter()
        .filter_map(|time| time.value().attr("datetime"))
        .collect();
    assert_eq!(times, ["2025-04-02", "2025-05-15", "2025-06-30"]);
    // Its latest date is when the page, and its notice's, last changed.
    let sitemap = fs::read_to_string(site.path("public/sitemap.xml")).expect("sitemap");
    for page in ["notices/2025-ceshi/issues/03-caiwu/", "notices/2025-ceshi/"] {
        let entry = format!("{page}</loc><lastmod>2025-06-30</lastmod>");
        assert!(sitemap.contains(&entry), "{entry} not in {sitemap}");
    }
    let untouched = "notices/2025-ceshi/issues/02-xuexi/</loc><lastmod>2025-03-17</lastmod>";
    assert!(sitemap.contains(untouched), "{sitemap}");
    let ld = select(&page, "script[type='application/ld+json']")[0].inner_html();
    assert!(ld.contains(r#""dateModified": "2025-06-30""#), "{ld}");

    // Without dates of its own: the notice's publication, then its `as_of`.
    let other = site.html("public/notices/2025-ceshi/issues/02-xuexi/index.html");
    assert_eq!(text(&other, ".issue-table .as-of"), "截至2025年3月17日");
    assert!(select(&other, ".timeline").is_empty());
    let notice = "content/notices/2025-ceshi/index.md";
    site.replace(
        notice,
        "published: 2025-03-17\n",
        "published: 2025-03-17\nas_of: 2025-02-28\n",
    );
    site.build().assert_ok();
    let other = site.html("public/notices/2025-ceshi/issues/02-xuexi/index.html");
    assert_eq!(text(&other, ".issue-table .as-of"), "截至2025年2月28日");
}

/// A notice's figures say as of when they stand, and a chart under them
/// shows how many of its issues were completed by the end of each month,
/// from the inspection's feedback on; the home page shows the same for the
/// whole portal up to its `as_of`. A completed issue without a date is
/// counted in the figures and said apart under the chart.
#[test]
fn notice_and_home_chart_completion_month_by_month() {
    let site = Site::new();
    let issue = "content/notices/2025-ceshi/issues/03-caiwu.md";
    site.replace(issue, "status: 整改中\ndeadline: 2025-12-31\n", "status: completed\nprogress:\n  - {date: 2025-04-02, status: partial}\n  - {date: 2025-06-30, status: completed}\n");
    let issue = "content/notices/2025-ceshi/issues/04-zichan.md";
    site.replace(issue, "status: in_progress\n", "status: 已完成\n");
    site.build().assert_ok();
    let bars = |page: &scraper::Html| -> Vec<String> {
        texts(page, ".completion-chart rect.column title")
    };

    let notice = site.html("public/notices/2025-ceshi/index.html");
    assert_eq!(
        text(&notice, ".notice-progress-panel .as-of"),
        "截至2025年6月30日"
    );
    let notice_bars = bars(&notice);
    assert_eq!(
        notice_bars.len(),
        9,
        "2024年10月 to 2025年6月: {notice_bars:?}"
    );
    assert_eq!(notice_bars[0], "2024年10月：累计完成0项（当期0项）");
    assert_eq!(notice_bars[3], "2025年1月：累计完成1项（当期1项）");
    assert_eq!(notice_bars[8], "2025年6月：累计完成2项（当期1项）");
    assert_eq!(
        text(&notice, ".completion .chart-note"),
        "另有1项已完成、未填完成日期，未计入图中。"
    );
    let label = select(&notice, ".completion-chart")[0]
        .value()
        .attr("aria-label")
        .expect("a text alternative")
        .to_owned();
    assert!(label.contains("2024年10月至2025年6月，共4项"), "{label}");

    let home = site.html("public/index.html");
    let home_bars = bars(&home);
    assert_eq!(home_bars.len(), 13, "to the site's as_of: {home_bars:?}");
    assert_eq!(home_bars[12], "2025年10月：累计完成2项（当期0项）");
    assert_eq!(text(&home, ".overview .as-of"), "截至2025年10月1日");

    // Nothing dated, nothing drawn.
    for issue in [
        "content/notices/2025-ceshi/issues/01-lingdao.md",
        "content/notices/2025-ceshi/issues/03-caiwu.md",
    ] {
        let source = fs::read_to_string(site.path(issue)).expect("issue");
        let undated: String = source
            .lines()
            .filter(|line| !line.starts_with("completed:") && !line.contains("2025-0"))
            .map(|line| format!("{line}\n"))
            .collect();
        site.write(issue, undated.replace("progress:\n", ""));
    }
    site.build().assert_ok();
    let notice = site.html("public/notices/2025-ceshi/index.html");
    assert!(select(&notice, ".completion").is_empty());
}

/// A progress note is Markdown shown on the issue page, and `check` reads
/// it as it reads a body: script, personal data, a broken link and an image
/// without a description are each reported at the note they are in.
#[test]
fn progress_notes_are_checked_like_bodies() {
    let site = Site::new();
    let issue = "content/notices/2025-ceshi/issues/03-caiwu.md";
    site.replace(issue, "---\n\n", "progress:\n  - date: 2025-04-02\n    note: 联系人手机13812345678<script>alert(1)</script>\n  - {date: 2025-05-15, note: \"见[方案](../../fangan-missing.pdf)和![](zhaopian.png)\"}\n---\n\n");
    let reported = |run: &common::Run, code: &str, at: &str| {
        run.stderr
            .lines()
            .any(|line| line.contains(code) && line.trim_start().starts_with(at))
    };
    let run = site.run(&["check"]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    for (code, at) in [
        ("GK0711", "10:11 "),
        ("GK0716", "10:11 "),
        ("GK0710", "11:30 "),
    ] {
        assert!(reported(&run, code, at), "{code} at {at} in {}", run.stderr);
    }
    // Links are checked once the rest passes, against the pages the site has.
    let text = fs::read_to_string(site.path(issue)).expect("issue");
    site.write(
        issue,
        text.replace(
            "联系人手机13812345678<script>alert(1)</script>",
            "联系财务科",
        ),
    );
    let run = site.run(&["check"]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(reported(&run, "GK0709", "11:30 "), "{}", run.stderr);
}

/// The overdue listing puts the latest first, whatever the order of the
/// notice's issues, and says by how many days each is late.
#[test]
fn the_overdue_listing_puts_the_latest_first() {
    let site = Site::new();
    let issue = "content/notices/2025-ceshi/issues/02-xuexi.md";
    site.replace(issue, "deadline: 2025-06-30", "deadline: 2025-09-20");
    site.build().assert_ok();
    let listing = site.html("public/overdue/index.html");
    assert_eq!(
        texts(&listing, ".listing .badge.overdue"),
        ["逾期30天", "逾期11天"]
    );
}

/// When the overdue listing runs to more than one page (a page per block
/// of 20 notices), its first page opens with the longest overdue across the
/// portal, wherever their notices are.
#[test]
fn the_first_overdue_page_leads_with_the_longest_overdue_anywhere() {
    let site = Site::new();
    for n in 1..=20 {
        let folder = format!("content/notices/2025-xin-{n:02}");
        site.write(
            &format!("{folder}/index.md"),
            format!("---\ntitle: 通报{n}\norganization: 中共测试第{n}医院委员会\npublished: 2025-04-{n:02}\n---\n正文\n"),
        );
        site.write(
            &format!("{folder}/issues/01-wenti.md"),
            format!("---\ntitle: 问题{n}\nstatus: in_progress\ndeadline: 2025-08-{n:02}\nupdated: 2025-09-20\n---\n\n一是整改。\n"),
        );
    }
    site.build().assert_ok();
    let first = site.html("public/overdue/index.html");
    let leads = texts(&first, ".listing-lead");
    assert_eq!(leads, ["逾期最久的20条", "按通报排列"], "{leads:?}");
    let longest: Vec<String> = select(&first, ".listing")[0]
        .select(&scraper::Selector::parse(".badge.overdue").expect("selector"))
        .map(|badge| badge.text().collect())
        .collect();
    // 理论学习不深入 (2025-06-30) is in the oldest notice, on the second
    // page of blocks; it still leads.
    assert_eq!(longest.len(), 20);
    assert_eq!(longest[0], "逾期93天");
    assert_eq!(longest[1], "逾期61天");
    assert!(longest.windows(2).all(|pair| {
        let days = |text: &str| {
            text.trim_start_matches("逾期")
                .trim_end_matches('天')
                .parse::<u32>()
                .unwrap_or(0)
        };
        days(&pair[0]) >= days(&pair[1])
    }));
    let second = site.html("public/overdue/page/2/index.html");
    assert!(select(&second, ".listing-lead").is_empty());
    assert_eq!(
        texts(&second, ".listing .badge.overdue"),
        ["逾期93天", "逾期30天"]
    );
}

/// Once an organisation publishes a newer notice, each issue of its older
/// ones that gives neither `updated`, `progress` nor `completed` is pointed
/// out; one that does is not, nor is anything before the newer notice
/// exists.
#[test]
fn older_notices_issues_are_asked_when_their_status_stands() {
    let site = Site::new();
    let quiet = site.run(&["check"]);
    assert!(!quiet.stderr.contains("GK0726"), "{}", quiet.stderr);
    site.write(
        "content/notices/2025-ceshi-xu/index.md",
        "---\ntitle: 续报\norganization: 中共测试医院委员会\npublished: 2025-09-01\n---\n正文\n",
    );
    let issue = "content/notices/2025-ceshi/issues/02-xuexi.md";
    site.replace(issue, "---\n\n", "updated: 2025-08-30\n---\n\n");
    let run = site.run(&["check"]);
    run.assert_ok();
    // Messages come grouped by file, the file's path on a line of its own.
    let asked: Vec<&str> = run
        .stderr
        .split("\n\n")
        .filter(|block| block.contains("GK0726"))
        .filter_map(|block| block.trim_start().lines().next()?.strip_prefix("content/"))
        .collect();
    assert_eq!(
        asked,
        [
            "notices/2025-ceshi/issues/03-caiwu.md",
            "notices/2025-ceshi/issues/04-zichan.md"
        ],
        "{}",
        run.stderr
    );
}

/// Each change of an issue's status (a progress step that gives one, or
/// its completion) is an entry of the portal's feed and of its body's, with
/// its own date, linking to the issue, newest first.
#[test]
fn a_status_change_is_a_feed_entry_of_its_own() {
    let site = Site::new();
    let issue = "content/notices/2025-ceshi/issues/03-caiwu.md";
    site.replace(issue, "status: 整改中\ndeadline: 2025-12-31\n", "status: completed\ncompleted: 2025-06-30\nprogress:\n  - {date: 2025-04-02, status: partial, note: 自查凭证412份}\n  - {date: 2025-05-15, note: 修订制度}\n  - {date: 2025-06-30, status: completed}\n");
    site.build().assert_ok();
    let organizations = site.html("public/organizations/index.html");
    let body = select(&organizations, ".listing tbody a")[0]
        .value()
        .attr("href")
        .expect("href")
        .replace("index.html", "feed.xml");
    let china = chrono::FixedOffset::east_opt(8 * 3600).expect("UTC+8");
    for path in [
        "public/feed.xml".to_owned(),
        format!("public/organizations/{body}"),
    ] {
        let path = path.as_str();
        let bytes = fs::read(site.path(path)).expect("feed");
        let feed =
            feed_rs::parser::parse(bytes.as_slice()).unwrap_or_else(|e| panic!("{path}: {e}"));
        let entries: Vec<(String, String)> = feed
            .entries
            .iter()
            .map(|e| {
                let title = e
                    .title
                    .as_ref()
                    .map(|t| t.content.clone())
                    .unwrap_or_default();
                let day = e
                    .updated
                    .map(|d| d.with_timezone(&china).format("%Y-%m-%d").to_string())
                    .unwrap_or_default();
                (day, title)
            })
            .collect();
        let expected = [
            ("2025-06-30", "财务报销不规范：已完成"),
            ("2025-04-02", "财务报销不规范：基本完成"),
            (
                "2025-03-17",
                "中共测试医院委员会关于市委巡察整改进展情况的通报",
            ),
            ("2025-01-20", "党的领导作用发挥不充分：已完成"),
        ];
        let expected: Vec<(String, String)> = expected
            .iter()
            .map(|(d, t)| (d.to_string(), t.to_string()))
            .collect();
        assert_eq!(entries, expected, "{path}");
        let change = &feed.entries[1];
        assert!(
            change.links[0]
                .href
                .ends_with("/notices/2025-ceshi/issues/03-caiwu/"),
            "{:?}",
            change.links
        );
        let summary = change
            .summary
            .as_ref()
            .map(|s| s.content.as_str())
            .unwrap_or_default();
        assert!(
            summary.contains("2025年4月2日基本完成。自查凭证412份"),
            "{summary}"
        );
        assert_eq!(
            feed.updated
                .map(|d| d.with_timezone(&china).format("%Y-%m-%d").to_string())
                .as_deref(),
            Some("2025-06-30")
        );
    }
}

/// A notice lists the files published beside it, as a document lists its
/// 附件: name, kind and size, each linking to the file.
#[test]
fn a_notice_lists_its_attachments_with_kind_and_size() {
    let site = Site::new();
    site.write(
        "content/notices/2025-ceshi/files/整改方案.pdf",
        "%PDF-1.4".repeat(300),
    );
    site.write("content/notices/2025-ceshi/台账.xlsx", "PK");
    site.build().assert_ok();
    let page = site.html("public/notices/2025-ceshi/index.html");
    let listed = texts(&page, ".attachments li");
    assert_eq!(
        listed,
        [
            "整改方案.pdf （PDF，2 KB）",
            "台账.xlsx （Excel 表格，2 字节）"
        ],
        "{listed:?}"
    );
    for link in select(&page, ".attachments a") {
        let href = link.value().attr("href").unwrap_or_default();
        let file = site.path("public/notices/2025-ceshi").join(href);
        assert!(file.is_file(), "{href} is not beside the page");
    }
    // A notice without files has no 附件 section.
    let other = Site::new();
    other.build().assert_ok();
    let page = other.html("public/notices/2025-ceshi/index.html");
    assert!(select(&page, ".attachments").is_empty());
}

/// An issue page numbers its issue as the notice does, which depends on
/// whether any issue of the notice names an item: when one issue gains an
/// item, a rebuild renumbers the pages of the others too, whose files did
/// not change.
#[test]
fn issue_pages_follow_their_notices_numbering_through_a_rebuild() {
    let site = Site::new();
    let slugs = ["01-lingdao", "02-xuexi", "03-caiwu", "04-zichan"];
    for slug in slugs {
        let path = format!("content/notices/2025-ceshi/issues/{slug}.md");
        let text = fs::read_to_string(site.path(&path)).expect("issue");
        let without: String = text
            .lines()
            .filter(|line| !line.starts_with("item:"))
            .map(|line| format!("{line}\n"))
            .collect();
        site.write(&path, without);
    }
    site.build().assert_ok();
    let numbers = |site: &Site| -> Vec<(String, String)> {
        let notice = site.html("public/notices/2025-ceshi/index.html");
        slugs
            .iter()
            .enumerate()
            .map(|(i, slug)| {
                let page = site.html(&format!(
                    "public/notices/2025-ceshi/issues/{slug}/index.html"
                ));
                (
                    common::text(&notice, &format!("#issue-{} .issue-number", i + 1)),
                    common::text(&page, "h1 .issue-number"),
                )
            })
            .collect()
    };
    let before = numbers(&site);
    site.replace(
        "content/notices/2025-ceshi/issues/01-lingdao.md",
        "status:",
        "item: 党的领导弱化\nstatus:",
    );
    site.build().assert_ok();
    let after = numbers(&site);
    assert_ne!(before, after, "an item renumbers the issues");
    for (in_notice, on_page) in before.iter().chain(&after) {
        assert_eq!(format!("问题{in_notice}"), *on_page);
    }
}
