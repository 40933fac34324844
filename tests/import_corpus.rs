//! `gongkai import` on notices in every layout of the survey of published
//! notices (../shared/import-layouts.md), written by us with invented units:
//! each `tests/fixtures/import/NAME.txt` beside `NAME.yaml`, the fields a
//! clerk would fill. Every field is compared, a table of what was right is
//! printed (`cargo test --test import_corpus -- --nocapture`), and then all
//! the bundles are imported into one site, which must check and build.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use gongkai::import::{Imported, ImportedIssue};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expected {
    title: String,
    organization: String,
    published: String,
    #[serde(default)]
    inspection: BTreeMap<String, String>,
    #[serde(default)]
    declared: BTreeMap<String, u32>,
    #[serde(default)]
    contact: BTreeMap<String, String>,
    problems: Vec<ExpectedProblem>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExpectedProblem {
    title: String,
    aspect: Option<String>,
    item: Option<String>,
    department: Option<String>,
    status: String,
    #[serde(default)]
    long_term: bool,
    deadline: Option<String>,
}

/// The fields of one fixture, each right or wrong, with what was found.
#[derive(Default)]
struct Score {
    right: usize,
    wrong: Vec<String>,
}

impl Score {
    fn field(&mut self, name: &str, expected: &str, found: &str) {
        if expected == found {
            self.right += 1;
        } else {
            self.wrong
                .push(format!("{name}: expected “{expected}”, found “{found}”"));
        }
    }

    fn total(&self) -> usize {
        self.right + self.wrong.len()
    }
}

fn shown<T: ToString>(value: Option<T>) -> String {
    value.map_or_else(|| "—".to_owned(), |v| v.to_string())
}

fn score(expected: &Expected, imported: &Imported) -> Score {
    let mut score = Score::default();
    let meta = &imported.metadata;
    let front = meta.front();
    score.field("title", &expected.title, &front.title);
    score.field("organization", &expected.organization, &front.organization);
    score.field(
        "published",
        &expected.published,
        &shown(meta.published.filter(|_| !front.draft)),
    );
    let inspection = &meta.inspection;
    for (name, found) in [
        ("start", inspection.start),
        ("end", inspection.end),
        ("feedback", inspection.feedback),
    ] {
        let want = expected.inspection.get(name).map_or("—", String::as_str);
        score.field(&format!("inspection.{name}"), want, &shown(found));
    }
    for (name, found) in [
        ("aspects", meta.declared.aspects),
        ("items", meta.declared.items),
        ("problems", meta.declared.problems),
    ] {
        let want = shown(expected.declared.get(name));
        score.field(&format!("declared.{name}"), &want, &shown(found));
    }
    let contact = &meta.supervision;
    for (name, found) in [
        ("phone", &contact.phone),
        ("email", &contact.email),
        ("address", &contact.address),
        ("postcode", &contact.postcode),
    ] {
        let want = expected.contact.get(name).map_or("—", String::as_str);
        score.field(
            &format!("contact.{name}"),
            want,
            found.as_deref().unwrap_or("—"),
        );
    }
    score.field(
        "problem count",
        &expected.problems.len().to_string(),
        &imported.issues.len().to_string(),
    );
    for (number, want) in expected.problems.iter().enumerate() {
        let found = imported.issues.get(number);
        score_problem(&mut score, number + 1, want, found);
    }
    score
}

fn score_problem(
    score: &mut Score,
    number: usize,
    want: &ExpectedProblem,
    found: Option<&ImportedIssue>,
) {
    let front = found.map(|issue| &issue.front);
    let text = |value: Option<&String>| value.map_or("—", String::as_str).to_owned();
    let fields = [
        ("title", want.title.clone(), front.map(|f| f.title.clone())),
        (
            "aspect",
            text(want.aspect.as_ref()),
            front.map(|f| text(f.aspect.as_ref())),
        ),
        (
            "item",
            text(want.item.as_ref()),
            front.map(|f| text(f.item.as_ref())),
        ),
        (
            "department",
            text(want.department.as_ref()),
            front.map(|f| text(f.department.as_ref())),
        ),
        (
            "status",
            want.status.clone(),
            front.map(|f| f.status.key().to_owned()),
        ),
        (
            "long_term",
            want.long_term.to_string(),
            front.map(|f| f.long_term.to_string()),
        ),
        (
            "deadline",
            text(want.deadline.as_ref()),
            front.map(|f| shown(f.deadline)),
        ),
    ];
    for (name, expected, found) in fields {
        let found = found.unwrap_or_else(|| "（没有这一条）".to_owned());
        score.field(&format!("problem {number} {name}"), &expected, &found);
    }
}

fn fixtures() -> Vec<PathBuf> {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import");
    let mut found: Vec<PathBuf> = std::fs::read_dir(&folder)
        .expect("tests/fixtures/import")
        .map(|entry| entry.expect("entry").path())
        .filter(|path| {
            path.extension().is_some_and(|e| {
                ["txt", "html", "htm", "docx", "csv", "xlsx"]
                    .contains(&e.to_string_lossy().as_ref())
            })
        })
        .collect();
    found.sort();
    found
}

#[test]
fn every_layout_of_the_survey_imports_with_every_field_right_and_builds() {
    let fixtures = fixtures();
    assert!(fixtures.len() >= 8, "{} fixtures", fixtures.len());
    let mut table = String::from("| fixture | fields right | of |\n|---|---|---|\n");
    let (mut right, mut total) = (0, 0);
    let mut failures = Vec::new();
    for text_file in &fixtures {
        let name = text_file
            .file_stem()
            .and_then(|s| s.to_str())
            .expect("name");
        let expected: Expected = serde_yaml::from_str(
            &std::fs::read_to_string(text_file.with_extension("yaml")).expect(name),
        )
        .unwrap_or_else(|error| panic!("{name}.yaml: {error}"));
        let bytes = std::fs::read(text_file).expect(name);
        let imported = gongkai::import::read(text_file, &bytes, name)
            .unwrap_or_else(|error| panic!("{name}: {error}"))
            .imported;
        let score = score(&expected, &imported);
        table.push_str(&format!(
            "| {name} | {} | {} |\n",
            score.right,
            score.total()
        ));
        right += score.right;
        total += score.total();
        if !score.wrong.is_empty() {
            failures.push(format!("{name}:\n  {}", score.wrong.join("\n  ")));
        }
    }
    table.push_str(&format!(
        "| all ({}) | {right} | {total} ({:.1} %) |\n",
        fixtures.len(),
        100.0 * right as f64 / total as f64
    ));
    eprintln!("{table}");
    assert!(failures.is_empty(), "{}", failures.join("\n"));

    // Every bundle builds, in one site; a notice without a publication
    // date is a draft, which check lists (and nothing else is wrong).
    let site = common::Site::new();
    let mut drafts = Vec::new();
    for (number, text_file) in fixtures.iter().enumerate() {
        let slug = format!("imported-{number:02}");
        site.run(&[
            "import",
            text_file.to_str().expect("utf-8"),
            "--slug",
            &slug,
        ])
        .assert_ok();
        let expected = std::fs::read_to_string(text_file.with_extension("yaml")).expect("yaml");
        if expected.contains("published: —") {
            drafts.push(slug);
        }
    }
    assert!(!drafts.is_empty(), "no fixture without a date");
    site.run(&["build"]).assert_ok();
    let check = site.run(&["check"]);
    check.assert_ok();
    let listed = format!("{}{}", check.stdout, check.stderr);
    for slug in &drafts {
        assert!(
            listed.contains(&format!("content/notices/{slug}/index.md"))
                && listed.contains("GK0727"),
            "draft {slug} not listed:\n{listed}"
        );
    }
    assert!(!listed.contains(" 错误 "), "{listed}");
}

const UNTITLED: &str =
    "根据统一部署，巡察组开展了巡察。\n一、整改情况\n1.制度不健全。\n整改状态：已完成\n";

#[test]
fn a_notice_without_title_date_or_issuing_body_is_a_draft_with_each_field_to_fill() {
    let imported = gongkai::import::parse(UNTITLED, "无题");
    let front = imported.metadata.front();
    assert!(front.draft);
    assert!(front.title.contains("（请填写"), "{}", front.title);
    assert!(
        front.organization.contains("（请填写"),
        "{}",
        front.organization
    );
    assert_eq!(imported.issues.len(), 1);
    let site = common::Site::new();
    let file = site.path("wuti.txt");
    std::fs::write(&file, UNTITLED).expect("write");
    site.run(&["import", file.to_str().expect("utf-8"), "--slug", "wuti"])
        .assert_ok();
    site.run(&["build"]).assert_ok();
    let check = site.run(&["check"]);
    let listed = format!("{}{}", check.stdout, check.stderr);
    assert!(
        listed.contains("GK0727") && listed.contains("请先填写标题、发布机构"),
        "{listed}"
    );
    // It previews with its placeholders: a draft is not refused for them.
    site.run(&["build", "--drafts"]).assert_ok();
}

const LINE_BREAKS_LOST: &str = "its line breaks lost";

/// Notices whose structure does not survive losing their line breaks: a
/// ledger's rows, headings that carry no number, a label spaced out inside
/// (`标 题：`) run into their neighbours with nothing to tell them apart.
const LOST_WITH_LINE_BREAKS: &[&str] = &[
    "tab-ledger.txt",
    "headings-without-numbers.txt",
    "community-health-center.txt",
];

/// The same notice in the clothes pages put on it: page residue around it,
/// half-width punctuation, Windows line ends and blank lines, full-width
/// digits.
fn variants(text: &str) -> Vec<(&'static str, String)> {
    let residue = format!(
        "当前位置：首页 > 信息公开 > 巡察整改\n{}\n上一篇：关于开展义诊的通知\n下一篇：无\n版权所有：某某单位 备案号：京ICP备00000000号\n",
        text
    );
    let half_width: String = text
        .chars()
        .map(|c| match c {
            '，' => ',',
            '：' => ':',
            '；' => ';',
            '（' => '(',
            '）' => ')',
            c => c,
        })
        .collect();
    let windows = format!("\r\n  {}\r\n\r\n", text.replace('\n', "  \r\n\r\n"));
    let wide_digits: String = text
        .chars()
        .map(|c| match c {
            '0'..='9' => char::from_u32(c as u32 - '0' as u32 + '０' as u32).unwrap_or(c),
            c => c,
        })
        .collect();
    let one_paragraph = text
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    vec![
        (LINE_BREAKS_LOST, one_paragraph),
        ("page residue", residue),
        ("half-width punctuation", half_width),
        ("Windows line ends and blank lines", windows),
        ("full-width digits", wide_digits),
    ]
}

/// What a clerk checks of each problem.
fn problem_fields(imported: &Imported) -> Vec<String> {
    imported
        .issues
        .iter()
        .map(|issue| {
            let f = &issue.front;
            format!(
                "{} | {:?} | {:?} | {} | {} | {:?}",
                f.title,
                f.aspect,
                f.item,
                f.status.key(),
                f.long_term,
                f.deadline
            )
        })
        .collect()
}

#[test]
fn every_notice_imports_the_same_in_the_clothes_pages_put_on_it() {
    let mut texts: Vec<(String, String)> = fixtures()
        .into_iter()
        .filter(|path| path.extension().is_some_and(|e| e == "txt"))
        .map(|path| {
            let name = path
                .file_name()
                .expect("name")
                .to_string_lossy()
                .into_owned();
            (name, std::fs::read_to_string(&path).expect("fixture"))
        })
        .collect();
    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/samples");
    if let Ok(entries) = std::fs::read_dir(&samples) {
        for entry in entries.flatten() {
            let text = std::fs::read_to_string(entry.path()).expect("sample");
            texts.push((entry.file_name().to_string_lossy().into_owned(), text));
        }
    }
    let mut differences = Vec::new();
    for (name, text) in &texts {
        let plain = gongkai::import::parse(text, name);
        let expected = problem_fields(&plain);
        let title = plain.metadata.title.clone();
        for (clothes, variant) in variants(text) {
            if clothes == LINE_BREAKS_LOST && LOST_WITH_LINE_BREAKS.contains(&name.as_str()) {
                continue;
            }
            let dressed = gongkai::import::parse(&variant, name);
            let found = problem_fields(&dressed);
            if found != expected || dressed.metadata.title != title {
                differences.push(format!(
                    "{name} with {clothes}: {} problems instead of {}; title {:?} instead of {:?}\n  first difference: {:?}",
                    found.len(),
                    expected.len(),
                    dressed.metadata.title,
                    title,
                    found.iter().zip(&expected).find(|(a, b)| a != b)
                ));
            }
        }
    }
    assert!(differences.is_empty(), "{}", differences.join("\n"));
}
