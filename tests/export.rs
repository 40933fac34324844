//! `gongkai export`: the ledger read back is the site's issues.

mod common;

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use common::Site;

/// Every issue of the example portal, by (title, status label), as the
/// site's own JSON ledger gives them.
fn ledger_json(site: &Site) -> Vec<serde_json::Value> {
    let run = site.run(&["export", "--format", "json", "-o", "-"]);
    run.assert_ok();
    serde_json::from_str::<Vec<serde_json::Value>>(&run.stdout).expect("json")
}

#[test]
fn the_xlsx_ledger_reads_back_as_the_sites_issues_with_a_summary()
-> Result<(), Box<dyn std::error::Error>> {
    let site = Site::example();
    let rows = ledger_json(&site);
    assert!(rows.len() >= 10, "{} rows", rows.len());
    let file = site.path("台账.xlsx");
    site.run(&["export", "-o", file.to_str().ok_or("utf-8")?])
        .assert_ok();
    let bytes = std::fs::read(site.path("台账.xlsx"))?;
    let mut workbook: Xlsx<_> = open_workbook_from_rs(std::io::Cursor::new(bytes))?;
    assert_eq!(workbook.sheet_names(), ["整改台账", "汇总"]);
    let range = workbook.worksheet_range("整改台账")?;
    let text = |cell: &Data| cell.to_string();
    let header: Vec<String> = range
        .rows()
        .next()
        .ok_or("header")?
        .iter()
        .map(text)
        .collect();
    assert_eq!(header[3], "问题");
    assert_eq!(header[8], "整改状态");
    // Issue rows carry a number; group rows (an aspect merged across) do not.
    let issues: Vec<(String, String)> = range
        .rows()
        .skip(1)
        .filter(|row| text(&row[0]).parse::<usize>().is_ok())
        .map(|row| (text(&row[3]), text(&row[8])))
        .collect();
    let expected: Vec<(String, String)> = rows
        .iter()
        .map(|row| {
            (
                row["problem"].as_str().unwrap_or_default().to_owned(),
                row["status"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    assert_eq!(issues, expected);
    let summary = workbook.worksheet_range("汇总")?;
    let total: f64 = summary
        .rows()
        .skip(1)
        .filter_map(|row| match row.get(1) {
            Some(Data::Float(n)) => Some(*n),
            _ => None,
        })
        .sum();
    assert_eq!(total as usize, rows.len());
    Ok(())
}

#[test]
fn the_csv_ledger_has_a_bom_and_quotes_commas_quotes_and_line_breaks()
-> Result<(), Box<dyn std::error::Error>> {
    let site = Site::example();
    let notice = std::fs::read_dir(site.path("content/notices"))?
        .flatten()
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .min()
        .ok_or("a notice")?;
    site.write(
        &format!("content/notices/{notice}/issues/99-yinhao.md"),
        "---\ntitle: 采购“回头看”不到位\nstatus: in_progress\ndeadline: 2026-12-31\n---\n一是修订制度，明确\"三重一大\"范围；\n\n二是开展复查。\n",
    );
    let file = site.path("ledger.csv");
    site.run(&[
        "export",
        "--notice",
        &notice,
        "-o",
        file.to_str().ok_or("utf-8")?,
    ])
    .assert_ok();
    let bytes = std::fs::read(site.path("ledger.csv"))?;
    assert!(bytes.starts_with(b"\xef\xbb\xbf"), "no byte-order mark");
    let mut reader = csv::ReaderBuilder::new().from_reader(&bytes[3..]);
    let headers = reader.headers()?.clone();
    assert_eq!(&headers[0], "序号");
    let row = reader
        .records()
        .flatten()
        .find(|row| &row[3] == "采购“回头看”不到位")
        .ok_or("the new issue")?;
    assert!(row[4].contains("明确\"三重一大\"范围；"), "{:?}", &row[4]);
    assert!(
        row[4].contains('\n'),
        "measures keep their paragraphs: {:?}",
        &row[4]
    );
    assert_eq!(&row[8], "整改中");
    let missing = site.run(&["export", "--notice", "no-such"]);
    assert_eq!(missing.code, Some(2));
    Ok(())
}
