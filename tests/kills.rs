//! A build killed at any instant leaves the output as the whole old site or
//! the whole new one, the web team's files untouched; the next build makes
//! it the new site exactly. The same trial at 1,000 × 30 with the release
//! binary: `cargo run --release --example kills`.

mod common;

use std::fs;
use std::path::Path;

use common::kills::Trial;

/// A site of `notices` notices made from the starter site's example.
fn starter_site(at: &Path, notices: usize) {
    let init = common::run_in(Path::new("."), &["init", at.to_str().expect("utf-8 path")]);
    init.assert_ok();
    let example = at.join("content/notices/2025-shili");
    for n in 1..notices {
        let copy = at.join(format!("content/notices/2025-shili-{n}"));
        fs::create_dir_all(copy.join("issues")).expect("folder");
        let index = fs::read_to_string(example.join("index.md")).expect("notice");
        let index = index
            .replace("（示例）", &format!("（第{n}批）"))
            .replace("2025-00001", &format!("2025-{:05}", n + 1));
        fs::write(copy.join("index.md"), index).expect("notice");
        for issue in fs::read_dir(example.join("issues")).expect("issues") {
            let issue = issue.expect("issue").path();
            fs::copy(
                &issue,
                copy.join("issues").join(issue.file_name().expect("name")),
            )
            .expect("issue");
        }
        fs::write(copy.join("附件一.pdf"), format!("%PDF-1.4 第{n}批")).expect("attachment");
    }
}

#[test]
fn a_build_killed_at_random_instants_leaves_the_whole_old_or_the_whole_new_site() {
    let work = tempfile::tempdir().expect("scratch folder");
    let old_site = work.path().join("old");
    let new_site = work.path().join("new");
    starter_site(&old_site, 12);
    starter_site(&new_site, 12);
    // The new site: another title (every page changes), a notice gone, a
    // notice added, an attachment changed.
    let yaml = fs::read_to_string(new_site.join("site.yaml")).expect("site.yaml");
    let retitled: String = yaml
        .lines()
        .map(|line| {
            if line.starts_with("title:") {
                "title: 新的标题 巡察整改公开".to_owned()
            } else {
                line.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    fs::write(new_site.join("site.yaml"), retitled).expect("site.yaml");
    fs::remove_dir_all(new_site.join("content/notices/2025-shili-3")).expect("remove");
    let added = new_site.join("content/notices/2025-shili-40");
    fs::rename(new_site.join("content/notices/2025-shili-4"), &added).expect("move");
    fs::write(added.join("附件一.pdf"), "%PDF-1.4 改过").expect("attachment");

    let outcome = Trial {
        gongkai: Path::new(env!("CARGO_BIN_EXE_gongkai")),
        old_site: &old_site,
        new_site: &new_site,
        work: work.path(),
        kills: 24,
        seed: 13,
    }
    .run()
    .unwrap_or_else(|failure| panic!("{failure}"));
    eprintln!("{outcome:?}");
    assert_eq!(outcome.left_old + outcome.left_new, 24);
    // The kills fell on both sides of the exchange.
    assert!(outcome.left_old > 0 && outcome.left_new > 0, "{outcome:?}");
}
