//! The open data every build writes under `data/`, and each notice's
//! ledger beside its page: valid against the published schema, the same
//! figures as the pages, the same bytes for the same content.

mod common;

use std::collections::BTreeMap;

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use common::{Site, select, text, texts};
use serde_json::Value;

type Result<T = ()> = std::result::Result<T, Box<dyn std::error::Error>>;

fn json(site: &Site, file: &str) -> Result<Value> {
    Ok(serde_json::from_slice(&std::fs::read(
        site.path(&format!("public/data/{file}")),
    )?)?)
}

fn validator(site: &Site) -> Result<jsonschema::Validator> {
    let schema = json(site, "schema.json")?;
    Ok(jsonschema::draft202012::new(&schema)?)
}

/// The schema's complaints about `value`, one line each.
fn complaints(validator: &jsonschema::Validator, value: &Value) -> Vec<String> {
    validator
        .iter_errors(value)
        .map(|error| format!("{} at {}", error, error.instance_path()))
        .collect()
}

#[test]
fn the_open_data_validates_against_its_schema_and_the_schema_is_strict() -> Result {
    let site = Site::example();
    site.build().assert_ok();
    let validator = validator(&site)?;
    let mut notices = json(&site, "notices.json")?;
    let issues = json(&site, "issues.json")?;
    assert_eq!(complaints(&validator, &notices), Vec::<String>::new());
    assert_eq!(complaints(&validator, &issues), Vec::<String>::new());
    // A field the schema does not describe, a status it does not know, a
    // date in another form: each is refused.
    notices["notices"][0]["extra"] = Value::from(1);
    assert!(!complaints(&validator, &notices).is_empty());
    let mut bad_status = issues.clone();
    bad_status["issues"][0]["status"] = Value::from("done");
    assert!(!complaints(&validator, &bad_status).is_empty());
    let mut bad_date = issues.clone();
    bad_date["issues"][0]["status_as_of"] = Value::from("2025年7月10日");
    assert!(!complaints(&validator, &bad_date).is_empty());
    Ok(())
}

#[test]
fn the_figures_of_the_data_are_those_of_the_pages() -> Result {
    let site = Site::example();
    site.build().assert_ok();
    let notices = json(&site, "notices.json")?;
    let issues = json(&site, "issues.json")?;
    let issues = issues["issues"].as_array().ok_or("issues")?;
    let mut by_notice: BTreeMap<&str, Vec<&Value>> = BTreeMap::new();
    for issue in issues {
        by_notice
            .entry(issue["notice"].as_str().ok_or("notice")?)
            .or_default()
            .push(issue);
    }
    let listed = notices["notices"].as_array().ok_or("notices")?;
    assert!(listed.len() >= 3);
    let mut total = 0;
    for notice in listed {
        let slug = notice["slug"].as_str().ok_or("slug")?;
        let own = &by_notice[slug];
        let count = |status: &str| own.iter().filter(|i| i["status"] == status).count();
        let figures = &notice["figures"];
        assert_eq!(figures["total"], own.len(), "{slug}");
        assert_eq!(figures["completed"], count("completed"), "{slug}");
        assert_eq!(figures["partial"], count("partial"), "{slug}");
        assert_eq!(figures["in_progress"], count("in_progress"), "{slug}");
        let overdue = own.iter().filter(|i| i["overdue"] == true).count();
        assert_eq!(figures["overdue"], overdue, "{slug}");
        total += own.len();
        // The page says the same: a badge per issue, by status.
        let page = site.html(&format!("public/notices/{slug}/index.html"));
        for status in ["completed", "partial", "in_progress"] {
            let badges = select(&page, &format!(".badge.status-{status}")).len();
            assert_eq!(badges, count(status), "{slug}: {status}");
        }
        // Every issue's page exists where its URL says.
        for issue in own {
            let url = issue["url"].as_str().ok_or("url")?;
            let path = url
                .strip_prefix(notices["site"]["base_url"].as_str().ok_or("base")?)
                .ok_or(format!("{url} is not on the site"))?;
            assert!(
                site.path(&format!("public/{path}index.html")).is_file(),
                "{url}"
            );
        }
    }
    assert_eq!(notices["totals"]["total"], total);
    assert_eq!(total, issues.len());
    Ok(())
}

#[test]
fn the_csv_files_open_in_excel_with_every_issue_and_its_measures() -> Result {
    let site = Site::example();
    site.build().assert_ok();
    let bytes = std::fs::read(site.path("public/data/issues.csv"))?;
    assert!(bytes.starts_with(b"\xef\xbb\xbf"), "no byte-order mark");
    let issues = json(&site, "issues.json")?;
    let issues = issues["issues"].as_array().ok_or("issues")?;
    let mut reader = csv::Reader::from_reader(&bytes[3..]);
    let headers = reader.headers()?.clone();
    let column = |name: &str| {
        headers
            .iter()
            .position(|h| h == name)
            .ok_or(name.to_owned())
    };
    let (title, measures, code) = (column("问题")?, column("整改措施")?, column("状态代码")?);
    let rows: Vec<csv::StringRecord> = reader.records().collect::<std::result::Result<_, _>>()?;
    assert_eq!(rows.len(), issues.len());
    for (row, issue) in rows.iter().zip(issues) {
        assert_eq!(Some(&row[title]), issue["title"].as_str());
        assert_eq!(Some(&row[measures]), issue["measures"].as_str());
        assert_eq!(Some(&row[code]), issue["status"].as_str());
    }
    // Measures of several paragraphs are one quoted cell over several lines.
    assert!(rows.iter().any(|row| row[measures].contains('\n')));
    let notices = std::fs::read(site.path("public/data/notices.csv"))?;
    let mut reader = csv::Reader::from_reader(&notices[3..]);
    assert_eq!(reader.records().count(), 4);
    Ok(())
}

#[test]
fn the_same_content_gives_the_same_data_and_ledgers_byte_for_byte() -> Result {
    let site = Site::example();
    site.build().assert_ok();
    let files = [
        "data/notices.json",
        "data/issues.json",
        "data/notices.csv",
        "data/issues.csv",
        "notices/2025-qinghe-shequ/ledger.xlsx",
        "notices/2025-qinghe-shequ/ledger.csv",
    ];
    let read = |output: &str| -> Result<Vec<Vec<u8>>> {
        files
            .iter()
            .map(|file| Ok(std::fs::read(site.path(&format!("{output}/{file}")))?))
            .collect()
    };
    let first = read("public")?;
    // Another output, a second later: nothing in the files is the time of
    // the build.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let other = site.path("other");
    site.run(&["build", "-o", other.to_str().ok_or("utf-8")?])
        .assert_ok();
    assert!(first == read("other")?, "the same content gave other bytes");
    Ok(())
}

#[test]
fn each_notice_links_its_ledger_and_the_workbook_holds_its_issues() -> Result {
    let site = Site::example();
    site.build().assert_ok();
    let issues = json(&site, "issues.json")?;
    let notices = json(&site, "notices.json")?;
    for notice in notices["notices"].as_array().ok_or("notices")? {
        let slug = notice["slug"].as_str().ok_or("slug")?;
        let page = site.html(&format!("public/notices/{slug}/index.html"));
        let links: Vec<String> = select(&page, ".ledger-links a")
            .iter()
            .filter_map(|a| a.value().attr("href").map(str::to_owned))
            .collect();
        let beside = |file: &str| format!("../../notices/{slug}/{file}");
        assert_eq!(links, [beside("ledger.xlsx"), beside("ledger.csv")]);
        let bytes = std::fs::read(site.path(&format!("public/notices/{slug}/ledger.xlsx")))?;
        let mut workbook: Xlsx<_> = open_workbook_from_rs(std::io::Cursor::new(bytes))?;
        let range = workbook.worksheet_range("整改台账")?;
        let cell = |c: &Data| c.to_string();
        let rows: Vec<(String, String)> = range
            .rows()
            .skip(1)
            .filter(|row| cell(&row[0]).parse::<usize>().is_ok())
            .map(|row| (cell(&row[3]), cell(&row[8])))
            .collect();
        let expected: Vec<(String, String)> = issues["issues"]
            .as_array()
            .ok_or("issues")?
            .iter()
            .filter(|issue| issue["notice"] == slug)
            .map(|issue| {
                (
                    issue["title"].as_str().unwrap_or_default().to_owned(),
                    issue["status_label"]
                        .as_str()
                        .unwrap_or_default()
                        .to_owned(),
                )
            })
            .collect();
        assert_eq!(rows, expected, "{slug}");
        let csv = std::fs::read(site.path(&format!("public/notices/{slug}/ledger.csv")))?;
        assert!(csv.starts_with(b"\xef\xbb\xbf"));
    }
    Ok(())
}

#[test]
fn the_open_data_page_describes_every_field_and_every_page_links_it() -> Result {
    let site = Site::example();
    site.build().assert_ok();
    let schema = json(&site, "schema.json")?;
    let page = site.html("public/data/index.html");
    let shown = texts(&page, ".data-fields dt");
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/data.md"))?;
    for record in ["notice", "issue", "figures", "unit", "unitsFile"] {
        let fields = schema["$defs"][record]["properties"]
            .as_object()
            .ok_or(record)?;
        for (name, property) in fields {
            if record == "notice" || record == "issue" {
                assert!(shown.contains(name), "the data page lacks {record}.{name}");
                assert!(
                    property.get("description").is_some() || property.get("$ref").is_some(),
                    "{record}.{name} has no description"
                );
            }
            assert!(
                doc.contains(&format!("`{name}`")),
                "docs/data.md does not describe {record}.{name}"
            );
        }
    }
    for file in [
        "index.html",
        "notices/2025-qinghe-shequ/index.html",
        "data/index.html",
    ] {
        let page = site.html(&format!("public/{file}"));
        let footer = texts(&page, ".site-footer a");
        assert!(footer.iter().any(|a| a == "开放数据"), "{file}: {footer:?}");
    }
    assert_eq!(text(&page, "h1"), "开放数据");
    Ok(())
}

#[test]
fn a_title_that_excel_would_run_as_a_formula_is_written_as_text() -> Result {
    let site = Site::new();
    let hostile = "=HYPERLINK(\"http://evil.example/\",\"点击查看\")";
    site.replace(
        "content/notices/2025-ceshi/issues/03-caiwu.md",
        "title: 财务报销不规范",
        &format!("title: '{}'", hostile.replace('\'', "''")),
    );
    site.build().assert_ok();
    for file in [
        "public/data/issues.csv",
        "public/notices/2025-ceshi/ledger.csv",
    ] {
        let bytes = std::fs::read(site.path(file))?;
        let mut reader = csv::Reader::from_reader(&bytes[3..]);
        let cells: Vec<String> = reader
            .records()
            .filter_map(std::result::Result::ok)
            .flat_map(|row| row.iter().map(str::to_owned).collect::<Vec<_>>())
            .collect();
        assert!(cells.contains(&format!("'{hostile}")), "{file}: {cells:?}");
        assert!(!cells.iter().any(|cell| cell.starts_with('=')), "{file}");
    }
    // The workbook and the JSON keep the text as written: a string cell is never a formula.
    let issues = json(&site, "issues.json")?;
    assert!(
        issues["issues"]
            .as_array()
            .ok_or("issues")?
            .iter()
            .any(|i| i["title"] == hostile)
    );
    let bytes = std::fs::read(site.path("public/notices/2025-ceshi/ledger.xlsx"))?;
    let mut workbook: Xlsx<_> = open_workbook_from_rs(std::io::Cursor::new(bytes))?;
    let range = workbook.worksheet_range("整改台账")?;
    assert!(
        range
            .rows()
            .any(|row| row[3] == Data::String(hostile.to_owned()))
    );
    assert!(
        workbook
            .worksheet_formula("整改台账")?
            .rows()
            .flatten()
            .all(String::is_empty)
    );
    Ok(())
}

#[test]
fn measures_longer_than_an_excel_cell_are_cut_with_a_note_and_the_build_goes_on() -> Result {
    let site = Site::new();
    let long = "整改措施很长。".repeat(6_000);
    site.write(
        "content/notices/2025-ceshi/issues/03-caiwu.md",
        format!("---\ntitle: 财务报销不规范\nstatus: 整改中\ndeadline: 2025-12-31\n---\n{long}\n"),
    );
    site.build().assert_ok();
    let bytes = std::fs::read(site.path("public/notices/2025-ceshi/ledger.xlsx"))?;
    let mut workbook: Xlsx<_> = open_workbook_from_rs(std::io::Cursor::new(bytes))?;
    let range = workbook.worksheet_range("整改台账")?;
    let cell = range
        .rows()
        .find(|row| row[3] == Data::String("财务报销不规范".to_owned()))
        .map(|row| row[4].to_string())
        .ok_or("the issue's row")?;
    assert_eq!(cell.chars().count(), 32_767);
    assert!(cell.starts_with("整改措施很长。") && cell.ends_with("全文见该问题的网页）"));
    // The open data keeps every character.
    let issues = json(&site, "issues.json")?;
    let kept = issues["issues"]
        .as_array()
        .ok_or("issues")?
        .iter()
        .any(|i| i["measures"] == long);
    assert!(kept);
    Ok(())
}
