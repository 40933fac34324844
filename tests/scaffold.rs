//! `init`, `new notice` and `new issue` give files that build.

mod common;

use common::run_in;

#[test]
fn init_makes_a_site_that_builds_without_warnings() {
    let dir = tempfile::tempdir().expect("temp");
    let site = dir.path().join("xcgz");
    let run = run_in(dir.path(), &["init", "xcgz"]);
    run.assert_ok();
    assert!(site.join("themes/default/templates/base.html").is_file());
    let run = run_in(&site, &["build"]);
    run.assert_ok();
    assert!(run.stderr.is_empty(), "{}", run.stderr);
    assert!(
        site.join("public/notices/2025-shili/issues/03-zichan-guanli/index.html")
            .is_file()
    );
    let again = run_in(dir.path(), &["init", "xcgz"]);
    assert_eq!(again.code, Some(2), "init refuses a folder with files");
}

#[test]
fn new_notice_and_issues_are_numbered_and_build_as_drafts() {
    let site = common::Site::new();
    site.run(&["new", "notice", "2025-xin"]).assert_ok();
    site.run(&["new", "issue", "2025-xin", "lingdao"])
        .assert_ok();
    site.run(&["new", "issue", "2025-xin", "caiwu"]).assert_ok();
    assert!(
        site.path("content/notices/2025-xin/issues/01-lingdao.md")
            .is_file()
    );
    assert!(
        site.path("content/notices/2025-xin/issues/02-caiwu.md")
            .is_file()
    );
    site.build().assert_ok();
    assert!(
        !site.path("public/notices/2025-xin").exists(),
        "a new notice is a draft"
    );
    site.run(&["build", "--drafts"]).assert_ok();
    assert!(
        site.path("public/notices/2025-xin/issues/02-caiwu/index.html")
            .is_file()
    );
    let missing = site.run(&["new", "issue", "no-such", "x"]);
    assert_eq!(missing.code, Some(2));
    assert!(
        missing.stderr.contains("找不到通报“no-such”"),
        "{}",
        missing.stderr
    );
}

#[test]
fn a_new_site_keeps_everything_a_build_makes_out_of_version_control() {
    let dir = tempfile::tempdir().expect("temp dir");
    let site = dir.path().join("site");
    common::run_in(dir.path(), &["init", site.to_str().expect("utf-8")]).assert_ok();
    let names = |folder: &std::path::Path| -> std::collections::BTreeSet<String> {
        std::fs::read_dir(folder)
            .expect("site folder")
            .map(|entry| {
                entry
                    .expect("entry")
                    .file_name()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect()
    };
    let before = names(&site);
    common::run_in(&site, &["build"]).assert_ok();
    let ignored = std::fs::read_to_string(site.join(".gitignore")).expect(".gitignore");
    let made: Vec<String> = names(&site).difference(&before).cloned().collect();
    assert!(made.contains(&"public".to_string()), "{made:?}");
    for name in made {
        assert!(
            ignored.lines().any(|line| line.trim_matches('/') == name),
            "{name}, made by the build, is not in .gitignore"
        );
    }
}

/// `init --aggregate` gives a portal of units that builds at once from its
/// sample unit's data, keeps what its build makes out of version control,
/// and reads a real unit's site once site.yaml lists it.
#[test]
fn init_aggregate_makes_a_portal_of_units_that_builds_and_reads_a_real_unit() {
    let dir = tempfile::tempdir().expect("temp dir");
    let portal = dir.path().join("xchz");
    let run = run_in(dir.path(), &["init", "--aggregate", "xchz"]);
    run.assert_ok();
    assert!(run.stdout.contains("sources"), "{}", run.stdout);
    let leftovers: Vec<_> = std::fs::read_dir(&portal)
        .expect("portal")
        .filter_map(|entry| entry.ok())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| name.contains("sample"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    let run = run_in(&portal, &["build"]);
    run.assert_ok();
    assert!(run.stderr.is_empty(), "{}", run.stderr);
    assert!(
        run.stdout.contains("单位 1 个，通报 1 篇，问题 3 条"),
        "{}",
        run.stdout
    );
    let home = std::fs::read_to_string(portal.join("public/index.html")).expect("home");
    assert!(home.contains("某某医院（示例）"), "{home}");
    for made in ["public", ".gongkai-sources"] {
        assert!(portal.join(made).exists(), "{made}");
        let ignored = std::fs::read_to_string(portal.join(".gitignore")).expect(".gitignore");
        assert!(
            ignored.lines().any(|line| line.trim_matches('/') == made),
            "{made}, made by the build, is not in .gitignore"
        );
    }

    // A unit made by `init`, built, listed instead of the sample.
    let unit = dir.path().join("unit");
    run_in(dir.path(), &["init", "unit"]).assert_ok();
    run_in(&unit, &["build"]).assert_ok();
    let yaml = std::fs::read_to_string(portal.join("site.yaml")).expect("site.yaml");
    let listed = yaml.replace(
        "  - name: 某某医院（示例）\n    data: units/shili-yiyuan/data/",
        &format!(
            "  - name: 某某单位\n    data: {}",
            unit.join("public/data/").display()
        ),
    );
    assert_ne!(listed, yaml, "the sample source is where site.yaml says");
    std::fs::write(portal.join("site.yaml"), listed).expect("site.yaml");
    std::fs::remove_dir_all(portal.join("units")).expect("sample data");
    run_in(&portal, &["build"]).assert_ok();
    let home = std::fs::read_to_string(portal.join("public/index.html")).expect("home");
    assert!(
        home.contains("某某单位") && !home.contains("示例"),
        "{home}"
    );

    let again = run_in(dir.path(), &["init", "--aggregate", "xchz"]);
    assert_eq!(again.code, Some(2), "init refuses a folder with files");
}
