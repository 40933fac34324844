//! The rectification ledger (整改台账) of a site, one row per issue, as a
//! clerk hands it over: an Excel workbook (styled, printable, with a
//! summary sheet), CSV that Excel opens with the right characters, or JSON.

use rust_xlsxwriter::{
    Color, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, XlsxError,
};
use serde::Serialize;

use crate::model::status::Status;
use crate::site::pages::LedgerFile;
use crate::site::{Notice, Site};

pub mod data;

/// One issue as a ledger row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Row {
    pub notice: String,
    pub number: usize,
    pub aspect: String,
    pub item: String,
    pub problem: String,
    pub measures: String,
    pub department: String,
    pub lead: String,
    pub deadline: String,
    pub status: &'static str,
    #[serde(skip)]
    pub status_key: Status,
    pub long_term: bool,
    pub completed: String,
    pub as_of: String,
    pub overdue_days: Option<i64>,
    pub url: String,
}

/// The column headings, in the order of [`Row::cells`].
pub const HEADINGS: [&str; 14] = [
    "序号",
    "方面",
    "大项",
    "问题",
    "整改措施",
    "责任单位/科室",
    "牵头领导",
    "整改时限",
    "整改状态",
    "长期坚持",
    "完成日期",
    "截至",
    "逾期（天）",
    "网址",
];

/// Column widths in characters, for Chinese text.
const WIDTHS: [f64; 14] = [
    6.0, 18.0, 18.0, 30.0, 60.0, 14.0, 12.0, 12.0, 10.0, 9.0, 12.0, 12.0, 9.0, 30.0,
];

impl Row {
    /// The cells of the row, as text, in the order of [`HEADINGS`].
    pub fn cells(&self) -> [String; 14] {
        [
            self.number.to_string(),
            self.aspect.clone(),
            self.item.clone(),
            self.problem.clone(),
            self.measures.clone(),
            self.department.clone(),
            self.lead.clone(),
            self.deadline.clone(),
            self.status.to_owned(),
            if self.long_term { "是" } else { "" }.to_owned(),
            self.completed.clone(),
            self.as_of.clone(),
            self.overdue_days.map(|d| d.to_string()).unwrap_or_default(),
            self.url.clone(),
        ]
    }
}

/// The notices a ledger covers: all, or the one named `slug`.
pub fn notices<'s>(site: &'s Site, slug: Option<&str>) -> Vec<&'s Notice> {
    site.notices
        .iter()
        .filter(|notice| slug.is_none_or(|slug| notice.slug == slug))
        .collect()
}

/// The rows of the ledger of `notices`.
pub fn rows(site: &Site, notices: &[&Notice]) -> Vec<Row> {
    let base = site.config.base_url.trim_end_matches('/');
    let date =
        |date: Option<crate::model::date::Date>| date.map(|d| d.to_string()).unwrap_or_default();
    notices
        .iter()
        .flat_map(|notice| {
            notice.issues.iter().map(move |issue| {
                let front = &issue.front;
                Row {
                    notice: notice.front.title.clone(),
                    number: issue.number,
                    aspect: front.aspect.clone().unwrap_or_default(),
                    item: front.item.clone().unwrap_or_default(),
                    problem: front.title.clone(),
                    measures: issue.text.clone(),
                    department: front.department.clone().unwrap_or_default(),
                    lead: front.lead.clone().unwrap_or_default(),
                    deadline: date(front.deadline),
                    status: front.status.label(),
                    status_key: front.status,
                    long_term: front.long_term,
                    completed: date(front.completed),
                    as_of: issue.status_as_of.to_string(),
                    overdue_days: issue.overdue_days,
                    url: format!("{base}{}", issue.path),
                }
            })
        })
        .collect()
}

/// The ledger as CSV: UTF-8 with a byte-order mark, so that Excel reads
/// the Chinese right; commas, quotes and line breaks quoted.
pub fn csv(rows: &[Row]) -> Vec<u8> {
    let cells = rows
        .iter()
        .map(|row| row.cells().map(std::borrow::Cow::Owned));
    data::csv_text(HEADINGS, cells).into_bytes()
}

/// The ledger of one notice as `file`, as the site publishes it beside
/// the notice's page.
pub fn ledger(site: &Site, notice: &Notice, file: LedgerFile) -> Result<Vec<u8>, XlsxError> {
    match file {
        LedgerFile::Workbook => xlsx(site, &[notice]),
        LedgerFile::Csv => Ok(csv(&rows(site, &[notice]))),
    }
}

/// The ledger as JSON: an array of rows.
pub fn json(rows: &[Row]) -> String {
    serde_json::to_string_pretty(rows).unwrap_or_else(|_| "[]".to_owned())
}

/// The lines the fullest cell of a row takes, wrapped at its column's
/// width (a Chinese character is two width units).
fn lines_needed(cells: &[String; 14]) -> usize {
    cells
        .iter()
        .zip(WIDTHS)
        .map(|(text, width)| {
            text.lines()
                .map(|line| {
                    let units: usize = line.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum();
                    units.div_ceil(width.max(1.0) as usize).max(1)
                })
                .sum::<usize>()
        })
        .max()
        .unwrap_or(1)
        .clamp(1, 40)
}

/// The workbook's title, author and date. Its date is the latest the
/// ledger shows, not the time it was made, so that the same content gives
/// the same bytes.
fn properties(site: &Site, notices: &[&Notice]) -> Result<DocProperties, XlsxError> {
    let title = match notices {
        [notice] => format!("{} 整改台账", notice.front.title),
        _ => format!("{} 整改台账", site.config.title),
    };
    let author = match notices {
        [notice] => notice.front.organization.clone(),
        _ => site.config.owner.name.clone().unwrap_or_default(),
    };
    let mut properties = DocProperties::new()
        .set_title(title)
        .set_author(author)
        .set_company(site.config.owner.name.clone().unwrap_or_default());
    if let Some(date) = notices.iter().map(|notice| notice.last_changed).max() {
        use chrono::Datelike;
        let date = date.naive();
        let made =
            ExcelDateTime::from_ymd(date.year() as u16, date.month() as u8, date.day() as u8)?;
        properties = properties.set_creation_datetime(&made);
    }
    Ok(properties)
}

/// The most characters Excel holds in a cell.
const CELL_LIMIT: usize = 32_767;
const CUT_NOTE: &str = "……（超出 Excel 单元格的字数上限，全文见该问题的网页）";

/// `text` as a cell holds it: cut, with a note saying so, past Excel's
/// limit, which the writer refuses (a pasted appendix in an issue's
/// measures would otherwise fail the whole build).
fn fit_cell(text: &str) -> std::borrow::Cow<'_, str> {
    if text.len() <= CELL_LIMIT || text.chars().count() <= CELL_LIMIT {
        return std::borrow::Cow::Borrowed(text);
    }
    let kept: String = text
        .chars()
        .take(CELL_LIMIT - CUT_NOTE.chars().count())
        .collect();
    std::borrow::Cow::Owned(kept + CUT_NOTE)
}

/// The fill of a status's cells.
fn status_fill(status: Status) -> Color {
    match status {
        Status::Completed => Color::RGB(0xE2EFDA),
        Status::Partial => Color::RGB(0xFFF2CC),
        Status::InProgress => Color::RGB(0xFCE4D6),
    }
}

/// The ledger as an Excel workbook: a sheet per the whole ledger with a
/// frozen, styled header, widths for Chinese text, wrapped cells, a fill
/// per status and each aspect as a merged group row; a summary sheet of
/// each notice's counts; printed on A4 landscape with the header on every
/// page.
pub fn xlsx(site: &Site, notices: &[&Notice]) -> Result<Vec<u8>, XlsxError> {
    let rows = rows(site, notices);
    let mut workbook = Workbook::new();
    workbook.set_properties(&properties(site, notices)?);
    let border = |format: Format| format.set_border(FormatBorder::Thin).set_text_wrap();
    let header = border(Format::new())
        .set_bold()
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
        .set_background_color(Color::RGB(0xD9E1F2));
    let group = border(Format::new())
        .set_bold()
        .set_background_color(Color::RGB(0xF2F2F2));
    let cell = border(Format::new()).set_align(FormatAlign::Top);
    let filled = Status::ALL.map(|status| cell.clone().set_background_color(status_fill(status)));
    let ledger = workbook.add_worksheet();
    ledger.set_name("整改台账")?;
    ledger.set_landscape();
    ledger.set_paper_size(9);
    ledger.set_repeat_rows(0, 0)?;
    ledger.set_print_fit_to_pages(1, 0);
    ledger.set_freeze_panes(1, 0)?;
    for (column, (heading, width)) in HEADINGS.iter().zip(WIDTHS).enumerate() {
        let column = column as u16;
        ledger.set_column_width(column, width)?;
        ledger.write_string_with_format(0, column, *heading, &header)?;
    }
    let mut at: u32 = 1;
    let mut current: Option<(String, String)> = None;
    for row in &rows {
        let heading = (row.notice.clone(), row.aspect.clone());
        if current.as_ref() != Some(&heading) {
            let name = match (notices.len() > 1, row.aspect.is_empty()) {
                (true, true) => row.notice.clone(),
                (true, false) => format!("{}　{}", row.notice, row.aspect),
                (false, _) => row.aspect.clone(),
            };
            if !name.is_empty() {
                ledger.merge_range(
                    at,
                    0,
                    at,
                    HEADINGS.len() as u16 - 1,
                    &fit_cell(&name),
                    &group,
                )?;
                at += 1;
            }
            current = Some(heading);
        }
        let cells = row.cells();
        for (column, text) in cells.iter().enumerate() {
            let format = if column == 8 {
                let at = Status::ALL.iter().position(|s| *s == row.status_key);
                &filled[at.unwrap_or_default()]
            } else {
                &cell
            };
            ledger.write_string_with_format(at, column as u16, fit_cell(text), format)?;
        }
        // Rows do not grow to their wrapped text by themselves in every
        // program: as many lines as the fullest cell needs.
        ledger.set_row_height(at, 15.0 * lines_needed(&cells) as f64)?;
        at += 1;
    }
    let summary = workbook.add_worksheet();
    summary.set_name("汇总")?;
    summary.set_landscape();
    summary.set_paper_size(9);
    let columns = [
        ("通报", 50.0),
        ("问题总数", 10.0),
        ("已完成", 10.0),
        ("基本完成", 10.0),
        ("整改中", 10.0),
        ("长期坚持", 10.0),
        ("逾期", 10.0),
        ("完成率", 10.0),
    ];
    for (column, (heading, width)) in columns.iter().enumerate() {
        summary.set_column_width(column as u16, *width)?;
        summary.write_string_with_format(0, column as u16, *heading, &header)?;
    }
    for (index, notice) in notices.iter().enumerate() {
        let line = index as u32 + 1;
        let counts = &notice.counts;
        summary.write_string_with_format(line, 0, fit_cell(&notice.front.title), &cell)?;
        for (column, value) in [
            counts.total,
            counts.completed,
            counts.partial,
            counts.in_progress,
            counts.long_term,
            counts.overdue,
        ]
        .iter()
        .enumerate()
        {
            summary.write_number_with_format(line, column as u16 + 1, *value as f64, &cell)?;
        }
        let rate = match counts.total {
            0 => String::new(),
            total => format!("{:.1}%", 100.0 * counts.completed as f64 / total as f64),
        };
        summary.write_string_with_format(line, 7, &rate, &cell)?;
    }
    workbook.save_to_buffer()
}
