//! Dates from git (`dates_from_git: true`): an issue that gives no date of
//! its own stands at the last commit that changed it, and its timeline is
//! made of the commits that changed its status.

mod common;

use std::fs;
use std::path::Path;
use std::process::Command;

use common::{SITE_YAML, Site, select, text, texts};

/// Runs git in `folder` as a clerk would, with the commit dated `date`.
fn git(folder: &Path, date: &str, args: &[&str]) {
    let output = Command::new("git")
        .args([
            "-c",
            "user.name=办公室",
            "-c",
            "user.email=office@example.gov.cn",
        ])
        .args([
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .current_dir(folder)
        .env("GIT_AUTHOR_DATE", date)
        .env("GIT_COMMITTER_DATE", date)
        .output()
        .expect("git runs");
    assert!(
        output.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

fn commit_all(site: &Site, date: &str, message: &str) {
    git(site.root(), date, &["add", "-A"]);
    git(site.root(), date, &["commit", "-q", "-m", message]);
}

const CAIWU: &str = "content/notices/2025-ceshi/issues/03-caiwu.md";
const XUEXI: &str = "content/notices/2025-ceshi/issues/02-xuexi.md";

/// A site whose history has four commits: everything, then two changes of
/// one issue's status, and an edit of another issue's text.
fn site_with_history() -> Site {
    let site = Site::new();
    site.write("site.yaml", format!("{SITE_YAML}dates_from_git: true\n"));
    site.write(".gitignore", "public/\n.public.*\n");
    git(site.root(), "2025-03-17T09:00:00+08:00", &["init", "-q"]);
    commit_all(&site, "2025-03-17T09:00:00+08:00", "通报");
    site.replace(CAIWU, "status: 整改中", "status: 基本完成");
    commit_all(&site, "2025-05-20T16:30:00+08:00", "财务：基本完成");
    site.replace(CAIWU, "status: 基本完成", "status: completed");
    // Late in the evening in China is still the day before in UTC: the
    // date is the author's own.
    commit_all(&site, "2025-07-02T23:30:00+08:00", "财务：完成");
    site.replace(XUEXI, "一是制定计划。", "一是制定计划；二是按月检查。");
    commit_all(&site, "2025-08-15T10:00:00+08:00", "学习：补充措施");
    site
}

#[test]
fn issue_dates_and_timelines_come_from_the_commits() {
    let site = site_with_history();
    let run = site.build();
    run.assert_ok();
    assert!(!run.stderr.contains("GK04"), "{}", run.stderr);

    let caiwu = site.html("public/notices/2025-ceshi/issues/03-caiwu/index.html");
    assert_eq!(
        texts(&caiwu, ".timeline .steps li"),
        [
            "2025年3月17日 整改中",
            "2025年5月20日 基本完成",
            "2025年7月2日 已完成"
        ]
    );
    let times: Vec<&str> = select(&caiwu, ".timeline time")
        .iter()
        .filter_map(|time| time.value().attr("datetime"))
        .collect();
    assert_eq!(times, ["2025-03-17", "2025-05-20", "2025-07-02"]);
    assert_eq!(text(&caiwu, ".issue-table .as-of"), "截至2025年7月2日");
    let rows = texts(&caiwu, ".issue-table div");
    assert!(
        rows.iter().any(|row| row == "完成日期2025年7月2日"),
        "{rows:?}"
    );

    // Its text changed, its status did not: dated, without a timeline.
    let xuexi = site.html("public/notices/2025-ceshi/issues/02-xuexi/index.html");
    assert_eq!(text(&xuexi, ".issue-table .as-of"), "截至2025年8月15日");
    assert!(select(&xuexi, ".timeline").is_empty());
    let zichan = site.html("public/notices/2025-ceshi/issues/04-zichan/index.html");
    assert_eq!(text(&zichan, ".issue-table .as-of"), "截至2025年3月17日");

    // The notice's chart counts the completion in July.
    let notice = site.html("public/notices/2025-ceshi/index.html");
    let bars = texts(&notice, ".completion-chart rect.column title");
    assert!(
        bars.contains(&"2025年7月：累计完成2项（当期1项）".to_owned()),
        "{bars:?}"
    );
    let sitemap = fs::read_to_string(site.path("public/sitemap.xml")).expect("sitemap");
    let entry = "notices/2025-ceshi/issues/02-xuexi/</loc><lastmod>2025-08-15</lastmod>";
    assert!(sitemap.contains(entry), "{sitemap}");
}

/// What the clerk writes wins over what git says.
#[test]
fn front_matter_dates_win_over_the_commits() {
    let site = site_with_history();
    site.replace(CAIWU,
        "status: completed\n",
        "status: completed\ncompleted: 2025-06-30\nprogress:\n  - {date: 2025-06-30, status: completed, note: 验收}\n",
    );
    site.replace(
        XUEXI,
        "deadline: 2025-06-30\n",
        "deadline: 2025-06-30\nupdated: 2025-09-09\n",
    );
    site.build().assert_ok();
    let caiwu = site.html("public/notices/2025-ceshi/issues/03-caiwu/index.html");
    assert_eq!(
        texts(&caiwu, ".timeline .steps li"),
        ["2025年6月30日 已完成验收"]
    );
    let xuexi = site.html("public/notices/2025-ceshi/issues/02-xuexi/index.html");
    assert_eq!(text(&xuexi, ".issue-table .as-of"), "截至2025年9月9日");
}

/// Without a repository, or with a shallow one, the build goes on and says
/// what it could not read, where the setting is.
#[test]
fn a_missing_or_shallow_history_is_reported_not_fatal() {
    let plain = Site::new();
    plain.write("site.yaml", format!("{SITE_YAML}dates_from_git: true\n"));
    let run = plain.build();
    run.assert_ok();
    assert!(run.stderr.contains("site.yaml:"), "{}", run.stderr);
    assert!(run.stderr.contains("站点不在 git 仓库中"), "{}", run.stderr);
    assert!(run.stderr.contains("GK0404"), "{}", run.stderr);

    let full = site_with_history();
    let shallow = tempfile::tempdir().expect("temp dir");
    let url = format!("file://{}", full.root().display());
    let clone = shallow.path().join("site");
    let output = Command::new("git")
        .args(["clone", "-q", "--depth", "2", &url])
        .arg(&clone)
        .output()
        .expect("git clone");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let run = common::run_in(&clone, &["build"]);
    run.assert_ok();
    assert!(run.stderr.contains("GK0406"), "{}", run.stderr);
    assert!(run.stderr.contains("只有最近 2 个提交"), "{}", run.stderr);
    // The two commits it has still date what they changed, and nothing is
    // dated at the edge of the clone.
    let page = |issue: &str| {
        let path = clone.join(format!(
            "public/notices/2025-ceshi/issues/{issue}/index.html"
        ));
        scraper::Html::parse_document(&fs::read_to_string(path).expect("page"))
    };
    assert_eq!(
        text(&page("02-xuexi"), ".issue-table .as-of"),
        "截至2025年8月15日"
    );
    assert_eq!(
        text(&page("04-zichan"), ".issue-table .as-of"),
        "截至2025年3月17日"
    );
}

/// A site kept in a folder of a larger repository (a unit's documents,
/// with the portal under `xcgz/`) is dated from the same commits.
#[test]
fn a_site_in_a_folder_of_the_repository_is_dated_too() {
    let site = Site::new();
    let repository = tempfile::tempdir().expect("temp dir");
    let inner = repository.path().join("xcgz");
    let copy = Command::new("cp")
        .arg("-r")
        .arg(site.root())
        .arg(&inner)
        .status()
        .expect("cp");
    assert!(copy.success());
    std::fs::write(
        inner.join("site.yaml"),
        format!("{SITE_YAML}dates_from_git: true\n"),
    )
    .expect("site.yaml");
    std::fs::write(repository.path().join("说明.txt"), "单位文件\n").expect("write");
    git(
        repository.path(),
        "2025-03-17T09:00:00+08:00",
        &["init", "-q"],
    );
    git(
        repository.path(),
        "2025-03-17T09:00:00+08:00",
        &["add", "-A"],
    );
    git(
        repository.path(),
        "2025-03-17T09:00:00+08:00",
        &["commit", "-q", "-m", "通报"],
    );
    let caiwu = inner.join(CAIWU);
    let text = std::fs::read_to_string(&caiwu).expect("issue");
    std::fs::write(
        &caiwu,
        text.replacen("status: 整改中", "status: 基本完成", 1),
    )
    .expect("write");
    git(
        repository.path(),
        "2025-06-03T10:00:00+08:00",
        &["commit", "-q", "-a", "-m", "进展"],
    );

    let run = common::run_in(&inner, &["build"]);
    run.assert_ok();
    assert!(!run.stderr.contains("GK04"), "{}", run.stderr);
    let page =
        std::fs::read_to_string(inner.join("public/notices/2025-ceshi/issues/03-caiwu/index.html"))
            .expect("page");
    let page = scraper::Html::parse_document(&page);
    assert_eq!(
        texts(&page, ".timeline .steps li"),
        ["2025年3月17日 整改中", "2025年6月3日 基本完成"]
    );
}
