//! The site's open data, written into every build under `data/`: the
//! notices with their figures and the issues with their ledger fields, as
//! JSON and CSV, and the JSON Schema they keep to (`schema.json`, also the
//! contract an aggregate portal reads them by).
//!
//! The files are stable: records in the site's order, keys in a fixed
//! order, and no date but the content's own, so that two builds of the same
//! content give the same bytes and a diff shows what really changed.

use std::borrow::Cow;
use std::collections::HashMap;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::load::content::Inspection;
use crate::model::date::Date;
use crate::model::status::Status;
use crate::site::aggregate::Aggregate;
use crate::site::pages::{Job, LedgerFile};
use crate::site::{Counts, Issue, Notice, Site};

/// Where the open data lives in the output.
pub const FOLDER: &str = "data/";
pub const NOTICES_JSON: &str = "data/notices.json";
pub const ISSUES_JSON: &str = "data/issues.json";
pub const NOTICES_CSV: &str = "data/notices.csv";
pub const ISSUES_CSV: &str = "data/issues.csv";
pub const SCHEMA_JSON: &str = "data/schema.json";
pub const UNITS_JSON: &str = "data/units.json";
pub const UNITS_CSV: &str = "data/units.csv";

/// The JSON Schema both JSON files keep to.
pub const SCHEMA: &str = include_str!("schema.json");

/// The version of the data's layout; an aggregate refuses a major version
/// it does not know.
pub const FORMAT: &str = "gongkai-data/1";

/// The unit that publishes the site.
#[derive(Debug, Clone, Serialize)]
pub struct SiteRecord<'a> {
    pub title: &'a str,
    pub owner: Option<&'a str>,
    pub base_url: &'a str,
}

/// Counts by status, with the completion rate they give.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Figures {
    pub total: usize,
    pub completed: usize,
    pub partial: usize,
    pub in_progress: usize,
    pub long_term: usize,
    pub overdue: usize,
    pub stale: usize,
    /// Completed of total, in per cent to one decimal; `null` without issues.
    pub completion_rate: Option<f64>,
}

impl From<Counts> for Figures {
    fn from(counts: Counts) -> Figures {
        Figures {
            total: counts.total,
            completed: counts.completed,
            partial: counts.partial,
            in_progress: counts.in_progress,
            long_term: counts.long_term,
            overdue: counts.overdue,
            stale: counts.stale,
            completion_rate: rate(counts.completed, counts.total),
        }
    }
}

/// `part` of `total` in per cent, to one decimal.
pub fn rate(part: usize, total: usize) -> Option<f64> {
    (total > 0).then(|| (1000.0 * part as f64 / total as f64).round() / 10.0)
}

#[derive(Debug, Clone, Serialize)]
pub struct NoticeRecord<'a> {
    pub slug: &'a str,
    pub url: String,
    pub title: &'a str,
    pub organization: &'a str,
    pub published: Date,
    pub written: Option<Date>,
    pub index_no: Option<&'a str>,
    pub doc_no: Option<&'a str>,
    pub category: Option<&'a str>,
    pub validity: Option<&'a str>,
    pub inspection: InspectionRecord<'a>,
    /// The date the figures stand at.
    pub figures_as_of: Date,
    pub figures: Figures,
    /// The notice's ledger, as an Excel workbook and as CSV.
    pub ledger_xlsx: String,
    pub ledger_csv: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct InspectionRecord<'a> {
    pub body: Option<&'a str>,
    pub start: Option<Date>,
    pub end: Option<Date>,
    pub feedback: Option<Date>,
}

impl<'a> From<&'a Inspection> for InspectionRecord<'a> {
    fn from(inspection: &'a Inspection) -> InspectionRecord<'a> {
        InspectionRecord {
            body: inspection.body.as_deref(),
            start: inspection.start,
            end: inspection.end,
            feedback: inspection.feedback,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct IssueRecord<'a> {
    /// The slug of its notice.
    pub notice: &'a str,
    pub number: usize,
    pub slug: &'a str,
    pub url: String,
    pub title: &'a str,
    pub aspect: Option<&'a str>,
    pub item: Option<&'a str>,
    /// `completed`, `partial` or `in_progress`.
    pub status: Status,
    pub status_label: &'static str,
    pub long_term: bool,
    pub deadline: Option<Date>,
    pub department: Option<&'a str>,
    pub lead: Option<&'a str>,
    pub completed: Option<Date>,
    /// The date the status stands at (截至).
    pub status_as_of: Date,
    pub overdue: bool,
    pub stale: bool,
    /// The measures (整改措施), as plain text, a line per paragraph.
    pub measures: &'a str,
    pub progress: Vec<StepRecord<'a>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct StepRecord<'a> {
    pub date: Date,
    pub status: Option<Status>,
    pub note: Option<&'a str>,
}

/// The absolute address of `path` (`notices/a/`) on the site.
fn url(site: &Site, path: &str) -> String {
    format!("{}{path}", site.config.base_url)
}

fn notice_record(site: &Site, index: usize) -> NoticeRecord<'_> {
    let notice = &site.notices[index];
    let front = &notice.front;
    let ledger = |file| url(site, &Job::Ledger(index, file).path(site));
    NoticeRecord {
        slug: &notice.slug,
        url: url(site, &notice.path),
        title: &front.title,
        organization: &front.organization,
        published: front.published,
        written: front.written,
        index_no: front.index_no.as_deref(),
        doc_no: front.doc_no.as_deref(),
        category: front.category.as_deref(),
        validity: front.validity.as_deref(),
        inspection: (&front.inspection).into(),
        figures_as_of: notice.figures_as_of,
        figures: notice.counts.into(),
        ledger_xlsx: ledger(LedgerFile::Workbook),
        ledger_csv: ledger(LedgerFile::Csv),
    }
}

fn issue_record<'a>(site: &Site, notice: &'a Notice, issue: &'a Issue) -> IssueRecord<'a> {
    let front = &issue.front;
    IssueRecord {
        notice: &notice.slug,
        number: issue.number,
        slug: &issue.slug,
        url: url(site, &issue.path),
        title: &front.title,
        aspect: front.aspect.as_deref(),
        item: front.item.as_deref(),
        status: front.status,
        status_label: front.status.label(),
        long_term: front.long_term,
        deadline: front.deadline,
        department: front.department.as_deref(),
        lead: front.lead.as_deref(),
        // The site has filled it from the progress when it was left out.
        completed: front.completed,
        status_as_of: issue.status_as_of,
        overdue: issue.overdue,
        stale: issue.stale_days.is_some(),
        measures: &issue.text,
        progress: issue
            .steps
            .iter()
            .map(|step| StepRecord {
                date: step.date,
                status: step.status,
                note: step.note_text.as_deref(),
            })
            .collect(),
    }
}

/// A JSON object whose last member, `key`, is the array `records`, one
/// record a line, so that a diff of two builds names the records that
/// changed; `head` holds the members before it, one a line.
fn json_lines<T: Serialize>(
    head: &[(&str, serde_json::Value)],
    key: &str,
    records: &[T],
) -> String {
    let mut text = String::from("{");
    for (name, value) in head {
        text.push_str(&json(name));
        text.push(':');
        text.push_str(&json(value));
        text.push_str(",\n");
    }
    text.push_str(&json(key));
    text.push_str(":[\n");
    let mut bytes = text.into_bytes();
    for (index, record) in records.iter().enumerate() {
        if index > 0 {
            bytes.extend_from_slice(b",\n");
        }
        // Written to memory: plain data with string keys cannot fail.
        let _ = serde_json::to_writer(&mut bytes, record);
    }
    bytes.extend_from_slice(b"\n]}\n");
    String::from_utf8(bytes).unwrap_or_default()
}

/// `value` as compact JSON; plain data with string keys cannot fail to
/// serialize.
fn json<T: Serialize + ?Sized>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

const NOTICE_HEADINGS: [&str; 14] = [
    "通报",
    "网址",
    "发布机构",
    "发布日期",
    "索引号",
    "文号",
    "截至",
    "问题总数",
    "已完成",
    "基本完成",
    "整改中",
    "长期坚持",
    "逾期",
    "完成率（%）",
];

const ISSUE_HEADINGS: [&str; 18] = [
    "通报",
    "序号",
    "问题",
    "网址",
    "方面",
    "大项",
    "整改状态",
    "长期坚持",
    "整改时限",
    "责任单位/科室",
    "牵头领导",
    "完成日期",
    "截至",
    "逾期",
    "未更新",
    "整改措施",
    "进展",
    "状态代码",
];

fn date(date: Option<Date>) -> Cow<'static, str> {
    date.map_or(Cow::Borrowed(""), |d| Cow::Owned(d.to_string()))
}

fn yes(flag: bool) -> Cow<'static, str> {
    Cow::Borrowed(if flag { "是" } else { "" })
}

fn text(value: Option<&str>) -> Cow<'_, str> {
    Cow::Borrowed(value.unwrap_or_default())
}

/// `rows` as CSV with `headings`: UTF-8 with a byte-order mark, so that
/// Excel reads the Chinese right; commas, quotes and line breaks quoted;
/// a cell that Excel would take for a formula is kept as text
/// ([`as_text_in_excel`]).
pub fn csv_text<'r, const N: usize>(
    headings: [&str; N],
    rows: impl Iterator<Item = [Cow<'r, str>; N]>,
) -> String {
    let mut writer = csv::Writer::from_writer("\u{feff}".as_bytes().to_vec());
    // Writing to memory cannot fail, and what is written is UTF-8 already.
    let _ = writer.write_record(headings);
    for row in rows {
        for cell in &row {
            let _ = writer.write_field(as_text_in_excel(cell).as_bytes());
        }
        let _ = writer.write_record(None::<&[u8]>);
    }
    let bytes = writer.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}

/// A cell as Excel shows it as text: one that starts with `=`, `+`, `-`,
/// `@`, a tab or a carriage return would be read as a formula (an author's
/// `=HYPERLINK(…)` would run in the clerk's Excel), so it is written after
/// an apostrophe, Excel's mark for text, as OWASP advises for CSV.
pub fn as_text_in_excel(cell: &str) -> Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

fn notices_csv(notices: &[NoticeRecord]) -> String {
    csv_text(
        NOTICE_HEADINGS,
        notices.iter().map(|notice| {
            let figures = &notice.figures;
            let count = |n: usize| Cow::Owned(n.to_string());
            [
                Cow::Borrowed(notice.title),
                Cow::Borrowed(notice.url.as_str()),
                Cow::Borrowed(notice.organization),
                Cow::Owned(notice.published.to_string()),
                text(notice.index_no),
                text(notice.doc_no),
                Cow::Owned(notice.figures_as_of.to_string()),
                count(figures.total),
                count(figures.completed),
                count(figures.partial),
                count(figures.in_progress),
                count(figures.long_term),
                count(figures.overdue),
                rate_text(figures),
            ]
        }),
    )
}

fn issues_csv(notices: &[NoticeRecord], issues: &[IssueRecord]) -> String {
    let titles: HashMap<&str, &str> = notices
        .iter()
        .map(|notice| (notice.slug, notice.title))
        .collect();
    csv_text(
        ISSUE_HEADINGS,
        issues.iter().map(|issue| {
            let progress = issue
                .progress
                .iter()
                .map(|step| {
                    let mut line = step.date.to_string();
                    for part in [step.status.map(Status::label), step.note]
                        .into_iter()
                        .flatten()
                    {
                        line.push(' ');
                        line.push_str(part);
                    }
                    line
                })
                .collect::<Vec<_>>()
                .join("\n");
            [
                Cow::Borrowed(titles.get(issue.notice).copied().unwrap_or(issue.notice)),
                Cow::Owned(issue.number.to_string()),
                Cow::Borrowed(issue.title),
                Cow::Borrowed(issue.url.as_str()),
                text(issue.aspect),
                text(issue.item),
                Cow::Borrowed(issue.status_label),
                yes(issue.long_term),
                date(issue.deadline),
                text(issue.department),
                text(issue.lead),
                date(issue.completed),
                Cow::Owned(issue.status_as_of.to_string()),
                yes(issue.overdue),
                yes(issue.stale),
                Cow::Borrowed(issue.measures),
                Cow::Owned(progress),
                Cow::Borrowed(issue.status.key()),
            ]
        }),
    )
}

/// Every file of `data/`, by its path in the output.
pub fn files(site: &Site) -> Vec<(String, String)> {
    let schema = (SCHEMA_JSON.to_owned(), SCHEMA.to_owned());
    if let Some(aggregate) = &site.aggregate {
        let mut files = units_files(site, aggregate);
        files.push(schema);
        return files;
    }
    let notices: Vec<NoticeRecord> = (0..site.notices.len())
        .map(|index| notice_record(site, index))
        .collect();
    let issues: Vec<IssueRecord> = site
        .notices
        .par_iter()
        .flat_map_iter(|notice| {
            notice
                .issues
                .iter()
                .map(move |issue| issue_record(site, notice, issue))
        })
        .collect();
    let format = serde_json::Value::from(FORMAT);
    let head = head(site, site.totals);
    let ((notices_json, issues_json), (notices_csv, issues_csv)) = rayon::join(
        || {
            rayon::join(
                || json_lines(&head, "notices", &notices),
                || json_lines(&[("format", format.clone())], "issues", &issues),
            )
        },
        || rayon::join(|| notices_csv(&notices), || issues_csv(&notices, &issues)),
    );
    vec![
        (NOTICES_CSV.to_owned(), notices_csv),
        (ISSUES_CSV.to_owned(), issues_csv),
        (NOTICES_JSON.to_owned(), notices_json),
        (ISSUES_JSON.to_owned(), issues_json),
        schema,
    ]
}

/// What a file of records starts with: its format, the site that
/// publishes it and its totals.
fn head(site: &Site, totals: Counts) -> Vec<(&'static str, serde_json::Value)> {
    let config = &site.config;
    let publisher = SiteRecord {
        title: &config.title,
        owner: config.owner.name.as_deref(),
        base_url: &config.base_url,
    };
    // Plain data with string keys: making it a JSON value cannot fail.
    vec![
        ("format", serde_json::Value::from(FORMAT)),
        ("site", serde_json::to_value(&publisher).unwrap_or_default()),
        (
            "totals",
            serde_json::to_value(Figures::from(totals)).unwrap_or_default(),
        ),
    ]
}

/// A unit of an aggregate portal, with its figures as the aggregate
/// judges them.
#[derive(Debug, Clone, Serialize)]
pub struct UnitRecord<'a> {
    pub name: &'a str,
    /// The address of its portal; `null` unless absolute http(s).
    pub base_url: Option<&'a str>,
    /// Where its data was read from, as `sources:` gives it.
    pub data: &'a str,
    pub notices: usize,
    pub latest: Option<Date>,
    pub figures: Figures,
}

const UNIT_HEADINGS: [&str; 13] = [
    "单位",
    "网址",
    "通报",
    "问题总数",
    "已完成",
    "基本完成",
    "整改中",
    "长期坚持",
    "逾期",
    "未更新",
    "完成率（%）",
    "最新通报日期",
    "数据地址",
];

fn rate_text(figures: &Figures) -> Cow<'static, str> {
    figures
        .completion_rate
        .map_or(Cow::Borrowed(""), |rate| Cow::Owned(format!("{rate:.1}")))
}

/// `data/units.json` and `data/units.csv` of an aggregate portal: one
/// record per unit, in the order of `sources:`.
fn units_files(site: &Site, aggregate: &Aggregate) -> Vec<(String, String)> {
    let records: Vec<UnitRecord> = aggregate
        .units
        .iter()
        .map(|unit| UnitRecord {
            name: &unit.name,
            base_url: (!unit.base_url.is_empty()).then_some(unit.base_url.as_str()),
            data: site
                .config
                .sources
                .get(unit.order)
                .map_or("", |source| source.data.as_str()),
            notices: unit.notices,
            latest: unit.latest,
            figures: Figures::from(unit.counts),
        })
        .collect();
    let mut head = head(site, aggregate.totals);
    head.push(("as_of", serde_json::Value::from(site.as_of.to_string())));
    let csv = csv_text(
        UNIT_HEADINGS,
        records.iter().map(|unit| {
            let figures = &unit.figures;
            let count = |n: usize| Cow::Owned(n.to_string());
            [
                Cow::Borrowed(unit.name),
                text(unit.base_url),
                count(unit.notices),
                count(figures.total),
                count(figures.completed),
                count(figures.partial),
                count(figures.in_progress),
                count(figures.long_term),
                count(figures.overdue),
                count(figures.stale),
                rate_text(figures),
                date(unit.latest),
                Cow::Borrowed(unit.data),
            ]
        }),
    );
    vec![
        (UNITS_CSV.to_owned(), csv),
        (UNITS_JSON.to_owned(), json_lines(&head, "units", &records)),
    ]
}

/// The files of `data/` the open-data page lists: a unit's notices and
/// issues, or an aggregate portal's units.
pub fn listed(site: &Site) -> &'static [Listed] {
    match site.aggregate {
        Some(_) => &UNITS_LISTED,
        None => &LISTED,
    }
}

const UNITS_LISTED: [Listed; 3] = [
    Listed {
        path: UNITS_JSON,
        format: "JSON",
        description: "汇总的各单位：网站地址、通报篇数、按整改状态的问题统计和完成率（逾期和未更新按本网站的截至日期判断）",
    },
    Listed {
        path: UNITS_CSV,
        format: "CSV",
        description: "各单位的统计，每个单位一行，可用 Excel 直接打开",
    },
    SCHEMA_LISTED,
];

/// One file of `data/`, as the open-data page lists it.
#[derive(Debug, Clone, Serialize)]
pub struct Listed {
    pub path: &'static str,
    pub format: &'static str,
    pub description: &'static str,
}

/// The files of `data/`, for the open-data page.
pub const LISTED: [Listed; 5] = [
    Listed {
        path: NOTICES_JSON,
        format: "JSON",
        description: "全部通报：发布机构、日期、索引号、巡察情况，以及按整改状态的问题统计和完成率",
    },
    Listed {
        path: ISSUES_JSON,
        format: "JSON",
        description: "全部问题：所属方面和大项、整改状态、整改时限、责任单位、牵头领导、完成日期、整改措施和进展",
    },
    Listed {
        path: NOTICES_CSV,
        format: "CSV",
        description: "全部通报的统计，每篇一行，可用 Excel 直接打开",
    },
    Listed {
        path: ISSUES_CSV,
        format: "CSV",
        description: "全部问题的整改台账，每条一行，可用 Excel 直接打开",
    },
    SCHEMA_LISTED,
];

const SCHEMA_LISTED: Listed = Listed {
    path: SCHEMA_JSON,
    format: "JSON Schema",
    description: "上面 JSON 文件的格式说明，可用于校验",
};

/// A field of a record, as the schema describes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Field {
    pub name: String,
    pub description: String,
}

/// The fields of the record `definition` of the schema (`notice`,
/// `issue`, `figures`), in the schema's order, with their descriptions.
pub fn fields(definition: &str) -> Vec<Field> {
    let schema: serde_json::Value = serde_json::from_str(SCHEMA).unwrap_or_default();
    let defs = &schema["$defs"];
    let record = &defs[definition];
    // `required` lists every field, in the order of the record.
    let Some(names) = record["required"].as_array() else {
        return Vec::new();
    };
    names
        .iter()
        .filter_map(|name| {
            let name = name.as_str()?;
            let property = &record["properties"][name];
            let described = property["description"].as_str().or_else(|| {
                let target = property["$ref"].as_str()?.rsplit('/').next()?;
                defs[target]["description"].as_str()
            });
            Some(Field {
                name: name.to_owned(),
                description: described.unwrap_or_default().to_owned(),
            })
        })
        .collect()
}
