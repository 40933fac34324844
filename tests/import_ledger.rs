//! `gongkai import` of a rectification ledger (整改台账) kept as a
//! spreadsheet or a CSV file: a new notice, or more issues of an existing
//! one (`--into`); merged cells, dates stored as dates, other encodings.

mod common;

use common::Site;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

/// A ledger as units keep it: a title row, a header, an aspect column
/// whose cells are merged over its problems, a group row across the
/// table, a problem whose measures run over two rows, a date cell.
fn write_ledger(path: &std::path::Path) -> Result<(), rust_xlsxwriter::XlsxError> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    let plain = Format::new();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    sheet.merge_range(0, 0, 0, 6, "澄江市第二人民医院巡察反馈问题整改台账", &plain)?;
    for (column, header) in [
        "序号",
        "问题类别",
        "反馈问题",
        "整改措施",
        "责任科室",
        "整改时限",
        "完成情况",
        "备注",
    ]
    .iter()
    .enumerate()
    {
        sheet.write_string(1, column as u16, *header)?;
    }
    sheet.merge_range(2, 1, 3, 1, "党的建设方面", &plain)?;
    sheet.write_number(2, 0, 1)?;
    sheet.write_string(2, 2, "理论学习不够深入")?;
    sheet.write_string(2, 3, "修订学习制度")?;
    sheet.write_string(2, 4, "党委办公室")?;
    sheet.write_datetime_with_format(2, 5, ExcelDateTime::from_ymd(2025, 6, 30)?, &date)?;
    sheet.write_string(2, 6, "已完成")?;
    sheet.write_number(3, 0, 2)?;
    sheet.write_string(3, 2, "支部活动不规范")?;
    sheet.write_string(3, 3, "规范三会一课")?;
    sheet.write_string(3, 5, "长期坚持")?;
    sheet.write_string(3, 6, "已完成，长期坚持")?;
    // A problem whose measures take a second row (its problem cell merged).
    sheet.write_string(4, 3, "开展支部书记轮训")?;
    sheet.merge_range(5, 0, 5, 7, "二、医疗业务方面", &plain)?;
    sheet.write_number(6, 0, 3)?;
    sheet.write_string(6, 2, "病历书写质量不高")?;
    sheet.write_string(6, 3, "每月病历质控")?;
    sheet.write_string(6, 4, "医务科")?;
    sheet.write_string(6, 5, "2025年12月底前")?;
    sheet.write_string(6, 6, "正在整改")?;
    sheet.write_string(6, 7, "见附件")?;
    workbook.save(path)
}

fn issue_files(folder: &std::path::Path) -> Vec<String> {
    let mut files: Vec<_> = std::fs::read_dir(folder.join("issues"))
        .expect("issues")
        .map(|entry| entry.expect("entry").path())
        .collect();
    files.sort();
    files
        .iter()
        .map(|file| std::fs::read_to_string(file).expect("issue"))
        .collect()
}

#[test]
fn an_xlsx_ledger_with_merged_cells_becomes_a_notice_that_builds()
-> Result<(), Box<dyn std::error::Error>> {
    let site = Site::new();
    let ledger = site.path("台账.xlsx");
    write_ledger(&ledger)?;
    let run = site.run(&[
        "import",
        ledger.to_str().ok_or("utf-8")?,
        "--slug",
        "taizhang",
    ]);
    run.assert_ok();
    assert!(
        run.stdout.contains("没有对应字段、未导入的列：备注"),
        "{}",
        run.stdout
    );
    let folder = site.path("content/notices/taizhang");
    let issues = issue_files(&folder);
    assert_eq!(issues.len(), 3, "{issues:#?}");
    assert!(issues[0].contains("title: 理论学习不够深入"));
    assert!(issues[0].contains("aspect: 党的建设方面"));
    assert!(issues[0].contains("status: completed"));
    assert!(issues[0].contains("deadline: 2025-06-30"));
    assert!(issues[0].contains("department: 党委办公室"));
    assert!(
        issues[1].contains("aspect: 党的建设方面"),
        "merged cell: {}",
        issues[1]
    );
    assert!(issues[1].contains("long_term: true"));
    assert!(
        issues[1].contains("开展支部书记轮训"),
        "second row: {}",
        issues[1]
    );
    assert!(
        issues[2].contains("aspect: 医疗业务方面"),
        "group row: {}",
        issues[2]
    );
    assert!(issues[2].contains("status: in_progress"));
    assert!(issues[2].contains("deadline: 2025-12-31"));
    // No notice title or date in a ledger: a draft, listed by check.
    let index = std::fs::read_to_string(folder.join("index.md"))?;
    assert!(
        index.contains("draft: true") && index.contains("organization: 澄江市第二人民医院"),
        "{index}"
    );
    site.run(&["build"]).assert_ok();
    let check = site.run(&["check"]);
    assert!(format!("{}{}", check.stdout, check.stderr).contains("GK0727"));
    Ok(())
}

#[test]
fn a_ledger_adds_its_problems_to_an_existing_notice_after_the_last()
-> Result<(), Box<dyn std::error::Error>> {
    let site = Site::new();
    let notices = site.path("content/notices");
    let notice = std::fs::read_dir(&notices)?
        .flatten()
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .next()
        .ok_or("a notice")?;
    let before = issue_files(&notices.join(&notice));
    let index_before = std::fs::read_to_string(notices.join(&notice).join("index.md"))?;
    let ledger = site.path("台账.xlsx");
    write_ledger(&ledger)?;
    site.run(&["import", ledger.to_str().ok_or("utf-8")?, "--into", &notice])
        .assert_ok();
    let after = issue_files(&notices.join(&notice));
    assert_eq!(after.len(), before.len() + 3);
    assert_eq!(
        after[..before.len()],
        before[..],
        "existing issues untouched"
    );
    assert_eq!(
        std::fs::read_to_string(notices.join(&notice).join("index.md"))?,
        index_before
    );
    site.run(&["build"]).assert_ok();
    // A second run adds nothing: the notice has those problems already.
    let again = site.run(&["import", ledger.to_str().ok_or("utf-8")?, "--into", &notice]);
    again.assert_ok();
    assert!(
        again.stdout.contains("没有加入新的问题"),
        "{}",
        again.stdout
    );
    assert_eq!(issue_files(&notices.join(&notice)).len(), before.len() + 3);
    let missing = site.run(&[
        "import",
        ledger.to_str().ok_or("utf-8")?,
        "--into",
        "no-such",
    ]);
    assert_eq!(missing.code, Some(2), "{}", missing.stderr);
    assert!(
        missing.stderr.contains("不是一篇通报"),
        "{}",
        missing.stderr
    );
    Ok(())
}

#[test]
fn csv_ledgers_in_utf8_with_bom_and_in_gbk_read_the_same() -> Result<(), Box<dyn std::error::Error>>
{
    let text = "序号,反馈问题,整改措施,责任单位,整改时限,整改进展\n1,\"采购审批不严，手续不全\",\"一是修订制度；\n二是开展\"\"回头看\"\"\",财务科,2025年9月30日,已完成\n2,档案管理不规范,建立电子档案,办公室,2025年12月底,正在整改\n";
    let site = Site::new();
    let utf8 = site.path("ledger-utf8.csv");
    std::fs::write(&utf8, [&b"\xef\xbb\xbf"[..], text.as_bytes()].concat())?;
    let gbk = site.path("ledger-gbk.csv");
    std::fs::write(&gbk, encoding_rs::GBK.encode(text).0)?;
    for (file, slug) in [(&utf8, "csv-utf8"), (&gbk, "csv-gbk")] {
        site.run(&["import", file.to_str().ok_or("utf-8")?, "--slug", slug])
            .assert_ok();
    }
    let (a, b) = (
        issue_files(&site.path("content/notices/csv-utf8")),
        issue_files(&site.path("content/notices/csv-gbk")),
    );
    assert_eq!(a, b);
    assert_eq!(a.len(), 2);
    assert!(a[0].contains("title: 采购审批不严，手续不全"), "{}", a[0]);
    assert!(a[0].contains("二是开展\"回头看\""), "{}", a[0]);
    assert!(a[0].contains("deadline: 2025-09-30") && a[0].contains("status: completed"));
    assert!(a[1].contains("status: in_progress") && a[1].contains("deadline: 2025-12-31"));
    site.run(&["build"]).assert_ok();
    let no_header = site.path("names.csv");
    std::fs::write(&no_header, "姓名,电话\n张三,123\n")?;
    let refused = site.run(&["import", no_header.to_str().ok_or("utf-8")?]);
    assert_eq!(refused.code, Some(2));
    assert!(
        refused.stderr.contains("没有找到台账的表头"),
        "{}",
        refused.stderr
    );
    Ok(())
}
