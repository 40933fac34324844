//! `gongkai import FOLDER`: every file import reads, each into a notice of
//! its own, one summary line per file; a second run imports nothing.

mod common;

use std::path::Path;

use common::Site;

fn fixture(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/import")
        .join(name)
}

#[test]
fn a_folder_of_old_notices_imports_once_with_a_line_per_file()
-> Result<(), Box<dyn std::error::Error>> {
    let site = Site::new();
    let old = site.path("old-site");
    std::fs::create_dir_all(old.join("2024"))?;
    std::fs::copy(fixture("three-levels.txt"), old.join("2024/通报.txt"))?;
    std::fs::copy(fixture("cms-page-gbk.html"), old.join("page.html"))?;
    std::fs::copy(fixture("word-numbering.docx"), old.join("word.docx"))?;
    std::fs::write(
        old.join("台账.csv"),
        "序号,问题,整改措施,整改时限,完成情况\n1,制度不健全,修订制度,2025年6月底,已完成\n",
    )?;
    std::fs::write(old.join("logo.png"), [0x89, b'P', b'N', b'G'])?;
    std::fs::write(old.join("broken.docx"), "not a zip")?;
    let notices_before = std::fs::read_dir(site.path("content/notices"))?.count();

    let dry = site.run(&["import", old.to_str().ok_or("utf-8")?, "--dry-run"]);
    assert!(dry.stdout.contains("未写入"), "{}", dry.stdout);
    assert_eq!(
        std::fs::read_dir(site.path("content/notices"))?.count(),
        notices_before
    );

    let first = site.run(&["import", old.to_str().ok_or("utf-8")?]);
    assert_eq!(
        first.code,
        Some(2),
        "a broken file fails the run: {}",
        first.stderr
    );
    for shown in [
        "2024/通报.txt →",
        "page.html →",
        "word.docx →",
        "台账.csv →",
        "broken.docx → 出错",
    ] {
        assert!(first.stdout.contains(shown), "{shown}: {}", first.stdout);
    }
    assert!(!first.stdout.contains("logo.png"), "{}", first.stdout);
    assert!(first.stdout.contains("导入 4 篇通报"), "{}", first.stdout);
    assert_eq!(
        std::fs::read_dir(site.path("content/notices"))?.count(),
        notices_before + 4
    );
    site.run(&["build"]).assert_ok();

    std::fs::remove_file(old.join("broken.docx"))?;
    let again = site.run(&["import", old.to_str().ok_or("utf-8")?]);
    again.assert_ok();
    assert!(
        again.stdout.contains("都已导入过，没有导入新的通报"),
        "{}",
        again.stdout
    );
    assert_eq!(
        std::fs::read_dir(site.path("content/notices"))?.count(),
        notices_before + 4
    );
    // A single file imported before is recognised too.
    let one = site.run(&["import", old.join("page.html").to_str().ok_or("utf-8")?]);
    one.assert_ok();
    assert!(one.stdout.contains("已导入过"), "{}", one.stdout);
    Ok(())
}

#[test]
fn the_report_in_json_gives_the_same_findings() -> Result<(), Box<dyn std::error::Error>> {
    let site = Site::new();
    let run = site.run(&[
        "import",
        fixture("lost-date-characters.txt")
            .to_str()
            .ok_or("utf-8")?,
        "--report",
        "json",
        "--dry-run",
    ]);
    run.assert_ok();
    let report: serde_json::Value = serde_json::from_str(run.stdout.trim())?;
    assert_eq!(report["problems"], 8);
    assert_eq!(report["statuses"]["completed"], 5);
    assert_eq!(report["published"], "2025-02-14");
    assert_eq!(report["issues"][4]["status"], "partial");
    assert!(report["dropped"].as_array().is_some_and(|d| !d.is_empty()));
    let folder = site.path("in");
    std::fs::create_dir_all(&folder)?;
    std::fs::copy(fixture("wenti-colon.txt"), folder.join("a.txt"))?;
    let run = site.run(&[
        "import",
        folder.to_str().ok_or("utf-8")?,
        "--report",
        "json",
    ]);
    run.assert_ok();
    let rows: serde_json::Value = serde_json::from_str(run.stdout.trim())?;
    assert_eq!(rows[0]["file"], "a.txt");
    assert_eq!(rows[0]["problems"], 4);
    assert!(
        rows[0]["notice"]
            .as_str()
            .is_some_and(|slug| site.path("content/notices").join(slug).is_dir())
    );
    Ok(())
}
