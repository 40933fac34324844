//! An aggregate portal of units' sites, read from their open data: from
//! local folders and from a server on 127.0.0.1; a source that is down is
//! read from its last good copy with a warning, data that does not read
//! is an error naming its source.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use common::{Site, select, text};
use serde_json::Value;

type Result<T = ()> = std::result::Result<T, Box<dyn std::error::Error>>;

/// Serves the files under `root` over HTTP/1.0 on 127.0.0.1 until `up`
/// is cleared; returns its address.
fn serve(root: PathBuf, up: Arc<AtomicBool>) -> Result<String> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let address = format!("http://{}/", listener.local_addr()?);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut request = String::new();
            if BufReader::new(&stream).read_line(&mut request).is_err() {
                continue;
            }
            if !up.load(Ordering::SeqCst) {
                let _ = stream
                    .write_all(b"HTTP/1.0 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n");
                continue;
            }
            let path = request
                .split(' ')
                .nth(1)
                .unwrap_or("/")
                .trim_start_matches('/');
            let response = match std::fs::read(root.join(path)) {
                Ok(body) => [
                    format!("HTTP/1.0 200 OK\r\nContent-Length: {}\r\nContent-Type: application/json\r\n\r\n", body.len()).into_bytes(),
                    body,
                ]
                .concat(),
                Err(_) => b"HTTP/1.0 404 Not Found\r\nContent-Length: 0\r\n\r\n".to_vec(),
            };
            let _ = stream.write_all(&response);
        }
    });
    Ok(address)
}

/// Each unit's figures, from its own notices.json and issues.json, with
/// overdue judged at `as_of` as the aggregate judges it.
fn expected(unit: &Site, as_of: &str) -> Result<Vec<String>> {
    let read = |file: &str| -> Result<Value> {
        Ok(serde_json::from_slice(&std::fs::read(
            unit.path(&format!("public/data/{file}")),
        )?)?)
    };
    let notices = read("notices.json")?;
    let issues = read("issues.json")?;
    let issues = issues["issues"].as_array().ok_or("issues")?;
    let count = |status: &str| issues.iter().filter(|i| i["status"] == status).count();
    let overdue = issues
        .iter()
        .filter(|i| i["status"] != "completed" && i["deadline"].as_str().is_some_and(|d| d < as_of))
        .count();
    Ok(vec![
        notices["notices"]
            .as_array()
            .ok_or("notices")?
            .len()
            .to_string(),
        issues.len().to_string(),
        count("completed").to_string(),
        count("partial").to_string(),
        count("in_progress").to_string(),
        overdue.to_string(),
    ])
}

/// The aggregate's table: per unit, its name and the figures of `expected`.
fn shown(site: &Site) -> Vec<(String, Vec<String>)> {
    let page = site.html("public/index.html");
    select(&page, "table.units tbody tr")
        .iter()
        .map(|row| {
            let cells: Vec<String> = row
                .select(&scraper::Selector::parse("td").expect("css"))
                .map(|cell| cell.text().collect::<String>().trim().to_owned())
                .collect();
            let figures = [1, 2, 3, 4, 5, 7]
                .iter()
                .map(|&i| cells[i].clone())
                .collect();
            (cells[0].clone(), figures)
        })
        .collect()
}

fn aggregate(sources: &[(&str, String)]) -> Site {
    let site = Site::new();
    let mut yaml = String::from(
        "title: 测试市巡察整改汇总\nbase_url: https://xcgz.example.gov.cn/\nas_of: 2025-10-31\nsources:\n",
    );
    for (name, data) in sources {
        yaml.push_str(&format!("  - name: {name}\n    data: {data}\n"));
    }
    site.write("site.yaml", yaml);
    let _ = std::fs::remove_dir_all(site.path("content/notices"));
    site
}

fn data_of(unit: &Site) -> String {
    unit.path("public/data/").to_string_lossy().into_owned()
}

#[test]
fn an_aggregate_of_local_and_served_units_shows_each_units_figures() -> Result {
    let units = [Site::example(), Site::new(), Site::new()];
    units[2].replace(
        "content/notices/2025-ceshi/issues/03-caiwu.md",
        "status: 整改中",
        "status: 已完成",
    );
    for unit in &units {
        unit.build().assert_ok();
    }
    let up = Arc::new(AtomicBool::new(true));
    let served = serve(units[2].path("public"), up.clone())?;
    let site = aggregate(&[
        ("云溪市卫生健康委员会", data_of(&units[0])),
        ("测试医院", data_of(&units[1])),
        ("远端医院", format!("{served}data/")),
    ]);
    let run = site.build();
    run.assert_ok();
    let names = ["云溪市卫生健康委员会", "测试医院", "远端医院"];
    let mut want = Vec::new();
    for (name, unit) in names.iter().zip(&units) {
        want.push((name.to_string(), expected(unit, "2025-10-31")?));
    }
    assert_eq!(shown(&site), want);
    // The totals add up, and the overdue list links into the units' pages.
    let home = site.html("public/index.html");
    assert!(text(&home, ".unit-summary").contains("共 3 个单位"));
    // On a phone the rows become cards: every figure says what it is.
    assert_eq!(
        select(&home, "table.units tbody td[data-label]").len(),
        3 * 9
    );
    let overdue = site.html("public/units/overdue/index.html");
    let links: Vec<String> = select(&overdue, "table.listing tbody tr td:first-child a")
        .iter()
        .filter_map(|a| a.value().attr("href").map(str::to_owned))
        .collect();
    let total_overdue: usize = want
        .iter()
        .map(|(_, f)| f[5].parse::<usize>().unwrap_or(0))
        .sum();
    assert_eq!(links.len(), total_overdue);
    assert!(
        links.iter().all(|link| link.starts_with("https://")),
        "{links:?}"
    );
    assert!(site.path("public/units/departments/index.html").is_file());

    // The aggregate publishes what it shows: units.json, valid against the
    // schema it publishes, with the figures of its table.
    let read = |file: &str| -> Result<Value> {
        Ok(serde_json::from_slice(&std::fs::read(
            site.path(&format!("public/data/{file}")),
        )?)?)
    };
    let published = read("units.json")?;
    let schema = jsonschema::draft202012::new(&read("schema.json")?)?;
    assert!(schema.is_valid(&published), "{published}");
    let records = published["units"].as_array().ok_or("units")?;
    let figures: Vec<(String, Vec<String>)> = records
        .iter()
        .map(|unit| {
            let f = &unit["figures"];
            let figures = [
                &unit["notices"],
                &f["total"],
                &f["completed"],
                &f["partial"],
                &f["in_progress"],
                &f["overdue"],
            ]
            .iter()
            .map(|n| n.to_string())
            .collect();
            (
                unit["name"].as_str().unwrap_or_default().to_owned(),
                figures,
            )
        })
        .collect();
    assert_eq!(figures, want);
    assert_eq!(records[2]["data"], format!("{served}data/"));
    let csv = std::fs::read_to_string(site.path("public/data/units.csv"))?;
    assert_eq!(csv.lines().count(), 1 + 3, "{csv}");
    assert!(csv.starts_with("\u{feff}单位,"), "{csv}");
    let data_page = site.html("public/data/index.html");
    assert!(text(&data_page, ".data-page").contains("units.json"));
    // What the build says it made is the units' figures, not its own (no notices).
    let issues: usize = want
        .iter()
        .map(|(_, f)| f[1].parse::<usize>().unwrap_or(0))
        .sum();
    assert!(run.stdout.contains("单位 3 个"), "{}", run.stdout);
    assert!(
        run.stdout.contains(&format!("问题 {issues} 条")),
        "{}",
        run.stdout
    );

    // The served unit goes down: its last good copy is used, with a warning.
    up.store(false, Ordering::SeqCst);
    let run = site.build();
    run.assert_ok();
    let said = format!("{}{}", run.stdout, run.stderr);
    assert!(
        said.contains("远端医院") || said.contains(&served),
        "{said}"
    );
    assert!(said.contains("副本") && said.contains("GK1105"), "{said}");
    assert_eq!(shown(&site), want);
    Ok(())
}

#[test]
fn a_source_with_malformed_data_is_an_error_naming_it_and_where() -> Result {
    let unit = Site::new();
    unit.build().assert_ok();
    let data = unit.path("public/data/issues.json");
    let text = std::fs::read_to_string(&data)?;
    // A status no gongkai writes, on the issue's line.
    std::fs::write(
        &data,
        text.replacen("\"status\":\"in_progress\"", "\"status\":\"finished\"", 1),
    )?;
    let site = aggregate(&[("测试医院", data_of(&unit))]);
    let run = site.build();
    assert_eq!(run.code, Some(1), "{}", run.stdout);
    let said = format!("{}{}", run.stdout, run.stderr);
    assert!(said.contains(&data_of(&unit)), "{said}");
    // The line of the issue holding it (each issue is a line of its own).
    let line = text
        .lines()
        .position(|line| line.contains("\"status\":\"in_progress\""))
        .ok_or("no issue in progress")?
        + 1;
    assert!(
        said.contains(&format!("issues.json 第 {line} 行")) && said.contains("GK1102"),
        "{said}"
    );
    assert!(said.contains("site.yaml:"), "{said}");
    // And one whose figures do not add up.
    std::fs::write(&data, &text)?;
    let notices = unit.path("public/data/notices.json");
    let listed = std::fs::read_to_string(&notices)?;
    let (head, rest) = listed.split_once("\"notices\":").ok_or("notices")?;
    let rest = rest.replacen("\"total\":4", "\"total\":5", 1);
    std::fs::write(&notices, format!("{head}\"notices\":{rest}"))?;
    let run = site.build();
    assert_eq!(run.code, Some(1));
    assert!(format!("{}{}", run.stdout, run.stderr).contains("GK1104"));
    Ok(())
}

#[test]
fn a_source_that_never_read_is_an_error_and_the_output_is_untouched() -> Result {
    let site = aggregate(&[("不存在的单位", "../nowhere/public/data/".to_owned())]);
    let run = site.build();
    assert_eq!(run.code, Some(1));
    let said = format!("{}{}", run.stdout, run.stderr);
    assert!(
        said.contains("GK1101") && said.contains("nowhere"),
        "{said}"
    );
    assert!(!Path::new(&site.path("public")).exists());
    Ok(())
}

#[test]
fn addresses_from_a_units_data_become_links_only_when_they_are_http() -> Result {
    let unit = Site::new();
    unit.build().assert_ok();
    let issues = unit.path("public/data/issues.json");
    let text = std::fs::read_to_string(&issues)?;
    // A hostile (or tampered) unit: its issues' addresses run script.
    let tampered = text.replace(
        "\"url\":\"",
        "\"url\":\"javascript:alert(document.cookie)//",
    );
    std::fs::write(&issues, tampered)?;
    let notices = unit.path("public/data/notices.json");
    let listed = std::fs::read_to_string(&notices)?;
    let listed = listed.replace("\"url\":\"", "\"url\":\"JAVASCRIPT:alert(2)//");
    std::fs::write(
        &notices,
        listed.replacen(
            "\"base_url\":\"",
            "\"base_url\":\" JavaScript:alert(1)//",
            1,
        ),
    )?;
    let site = aggregate(&[("测试医院", data_of(&unit))]);
    site.build().assert_ok();
    for page in ["public/index.html", "public/units/overdue/index.html"] {
        let html = std::fs::read_to_string(site.path(page))?.to_lowercase();
        assert!(!html.contains("javascript:"), "{page}");
    }
    // The overdue issue is still listed, as text.
    let overdue = site.html("public/units/overdue/index.html");
    let rows = select(&overdue, "table.listing tbody tr");
    assert!(!rows.is_empty());
    assert!(select(&overdue, "table.listing tbody a").is_empty());
    Ok(())
}

#[test]
fn issues_of_a_notice_the_unit_does_not_list_are_an_error_naming_it() -> Result {
    let unit = Site::new();
    unit.build().assert_ok();
    let issues = unit.path("public/data/issues.json");
    let text = std::fs::read_to_string(&issues)?;
    std::fs::write(
        &issues,
        text.replacen("\"notice\":\"2025-ceshi\"", "\"notice\":\"2024-gone\"", 1),
    )?;
    let site = aggregate(&[("测试医院", data_of(&unit))]);
    let run = site.build();
    assert_eq!(run.code, Some(1));
    let said = format!("{}{}", run.stdout, run.stderr);
    assert!(
        said.contains("2024-gone") && said.contains("GK1106"),
        "{said}"
    );
    Ok(())
}
