//! The site's open data, written into every build under `data/`: the
//! notices with their figures and the issues with their ledger fields, as
//! JSON and CSV, and the JSON Schema they keep to (`schema.json`, also the
//! contract an aggregate portal reads them by).
//!
//! The files are stable: records in the site's order, keys in a fixed
//! order, and no date but the content's own, so that two builds of the same
//! content give the same bytes and a diff shows what really changed.

use serde::{Deserialize, Serialize};

use crate::load::content::Inspection;
use crate::model::date::Date;
use crate::model::status::Status;
use crate::site::pages::{Job, LedgerFile};
use crate::site::{Counts, Issue, Notice, Site};

/// Where the open data lives in the output.
pub const FOLDER: &str = "data/";
pub const NOTICES_JSON: &str = "data/notices.json";
pub const ISSUES_JSON: &str = "data/issues.json";
pub const NOTICES_CSV: &str = "data/notices.csv";
pub const ISSUES_CSV: &str = "data/issues.csv";
pub const SCHEMA_JSON: &str = "data/schema.json";

/// The JSON Schema both JSON files keep to.
pub const SCHEMA: &str = include_str!("schema.json");

/// The version of the data's layout; an aggregate refuses a major version
/// it does not know.
pub const FORMAT: &str = "gongkai-data/1";

/// `data/notices.json`: the unit, its totals and every notice with its
/// figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NoticesFile {
    pub format: String,
    pub site: SiteRecord,
    pub totals: Figures,
    pub notices: Vec<NoticeRecord>,
}

/// `data/issues.json`: every issue of every notice, in the notices' order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IssuesFile {
    pub format: String,
    pub issues: Vec<IssueRecord>,
}

/// The unit that publishes the site.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteRecord {
    pub title: String,
    pub owner: Option<String>,
    pub base_url: String,
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

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NoticeRecord {
    pub slug: String,
    pub url: String,
    pub title: String,
    pub organization: String,
    pub published: Date,
    pub written: Option<Date>,
    pub index_no: Option<String>,
    pub doc_no: Option<String>,
    pub category: Option<String>,
    pub validity: Option<String>,
    pub inspection: InspectionRecord,
    /// The date the figures stand at.
    pub figures_as_of: Date,
    pub figures: Figures,
    /// The notice's ledger, as an Excel workbook and as CSV.
    pub ledger_xlsx: String,
    pub ledger_csv: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InspectionRecord {
    pub body: Option<String>,
    pub start: Option<Date>,
    pub end: Option<Date>,
    pub feedback: Option<Date>,
}

impl From<&Inspection> for InspectionRecord {
    fn from(inspection: &Inspection) -> InspectionRecord {
        InspectionRecord {
            body: inspection.body.clone(),
            start: inspection.start,
            end: inspection.end,
            feedback: inspection.feedback,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssueRecord {
    /// The slug of its notice.
    pub notice: String,
    pub number: usize,
    pub slug: String,
    pub url: String,
    pub title: String,
    pub aspect: Option<String>,
    pub item: Option<String>,
    /// `completed`, `partial` or `in_progress`.
    pub status: Status,
    pub status_label: String,
    pub long_term: bool,
    pub deadline: Option<Date>,
    pub department: Option<String>,
    pub lead: Option<String>,
    pub completed: Option<Date>,
    /// The date the status stands at (截至).
    pub status_as_of: Date,
    pub overdue: bool,
    pub stale: bool,
    /// The measures (整改措施), as plain text, a line per paragraph.
    pub measures: String,
    pub progress: Vec<StepRecord>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepRecord {
    pub date: Date,
    pub status: Option<Status>,
    pub note: Option<String>,
}

/// The absolute address of `path` (`notices/a/`) on the site.
fn url(site: &Site, path: &str) -> String {
    format!("{}{path}", site.config.base_url)
}

fn notice_record(site: &Site, index: usize) -> NoticeRecord {
    let notice = &site.notices[index];
    let front = &notice.front;
    let ledger = |file| url(site, &Job::Ledger(index, file).path(site));
    NoticeRecord {
        slug: notice.slug.clone(),
        url: url(site, &notice.path),
        title: front.title.clone(),
        organization: front.organization.clone(),
        published: front.published,
        written: front.written,
        index_no: front.index_no.clone(),
        doc_no: front.doc_no.clone(),
        category: front.category.clone(),
        validity: front.validity.clone(),
        inspection: (&front.inspection).into(),
        figures_as_of: notice.figures_as_of,
        figures: notice.counts.into(),
        ledger_xlsx: ledger(LedgerFile::Workbook),
        ledger_csv: ledger(LedgerFile::Csv),
    }
}

fn issue_record(site: &Site, notice: &Notice, issue: &Issue) -> IssueRecord {
    let front = &issue.front;
    IssueRecord {
        notice: notice.slug.clone(),
        number: issue.number,
        slug: issue.slug.clone(),
        url: url(site, &issue.path),
        title: front.title.clone(),
        aspect: front.aspect.clone(),
        item: front.item.clone(),
        status: front.status,
        status_label: front.status.label().to_owned(),
        long_term: front.long_term,
        deadline: front.deadline,
        department: front.department.clone(),
        lead: front.lead.clone(),
        completed: front.completion_date(),
        status_as_of: issue.status_as_of,
        overdue: issue.overdue,
        stale: issue.stale_days.is_some(),
        measures: issue.text.clone(),
        progress: issue
            .steps
            .iter()
            .map(|step| StepRecord {
                date: step.date,
                status: step.status,
                note: step.note_text.clone(),
            })
            .collect(),
    }
}

pub fn notices(site: &Site) -> NoticesFile {
    NoticesFile {
        format: FORMAT.to_owned(),
        site: SiteRecord {
            title: site.config.title.clone(),
            owner: site.config.owner.name.clone(),
            base_url: site.config.base_url.clone(),
        },
        totals: site.totals.into(),
        notices: (0..site.notices.len())
            .map(|index| notice_record(site, index))
            .collect(),
    }
}

pub fn issues(site: &Site) -> IssuesFile {
    IssuesFile {
        format: FORMAT.to_owned(),
        issues: site
            .notices
            .iter()
            .flat_map(|notice| {
                notice
                    .issues
                    .iter()
                    .map(move |issue| issue_record(site, notice, issue))
            })
            .collect(),
    }
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

fn date(date: Option<Date>) -> String {
    date.map(|d| d.to_string()).unwrap_or_default()
}

fn yes(flag: bool) -> String {
    if flag { "是" } else { "" }.to_owned()
}

/// `rows` as CSV with `headings`: UTF-8 with a byte-order mark, so that
/// Excel reads the Chinese right; commas, quotes and line breaks quoted.
pub fn csv_text<const N: usize>(
    headings: [&str; N],
    rows: impl Iterator<Item = [String; N]>,
) -> String {
    let mut writer = csv::Writer::from_writer("\u{feff}".as_bytes().to_vec());
    let mut ok = writer.write_record(headings).is_ok();
    for row in rows {
        ok &= writer.write_record(&row).is_ok();
    }
    // Writing to memory cannot fail, and what is written is UTF-8 already.
    let bytes = writer.into_inner().unwrap_or_default();
    debug_assert!(ok);
    String::from_utf8(bytes).unwrap_or_default()
}

pub fn notices_csv(file: &NoticesFile) -> String {
    csv_text(
        NOTICE_HEADINGS,
        file.notices.iter().map(|notice| {
            let figures = &notice.figures;
            [
                notice.title.clone(),
                notice.url.clone(),
                notice.organization.clone(),
                notice.published.to_string(),
                notice.index_no.clone().unwrap_or_default(),
                notice.doc_no.clone().unwrap_or_default(),
                notice.figures_as_of.to_string(),
                figures.total.to_string(),
                figures.completed.to_string(),
                figures.partial.to_string(),
                figures.in_progress.to_string(),
                figures.long_term.to_string(),
                figures.overdue.to_string(),
                figures
                    .completion_rate
                    .map(|rate| format!("{rate:.1}"))
                    .unwrap_or_default(),
            ]
        }),
    )
}

pub fn issues_csv(notices: &NoticesFile, file: &IssuesFile) -> String {
    let titles: std::collections::HashMap<&str, &str> = notices
        .notices
        .iter()
        .map(|notice| (notice.slug.as_str(), notice.title.as_str()))
        .collect();
    csv_text(
        ISSUE_HEADINGS,
        file.issues.iter().map(|issue| {
            let progress = issue
                .progress
                .iter()
                .map(|step| {
                    let status = step
                        .status
                        .map(|status| format!(" {}", status.label()))
                        .unwrap_or_default();
                    let note = step
                        .note
                        .as_deref()
                        .map(|note| format!(" {note}"))
                        .unwrap_or_default();
                    format!("{}{status}{note}", step.date)
                })
                .collect::<Vec<_>>()
                .join("\n");
            [
                titles
                    .get(issue.notice.as_str())
                    .map_or_else(|| issue.notice.clone(), |title| (*title).to_owned()),
                issue.number.to_string(),
                issue.title.clone(),
                issue.url.clone(),
                issue.aspect.clone().unwrap_or_default(),
                issue.item.clone().unwrap_or_default(),
                issue.status_label.clone(),
                yes(issue.long_term),
                date(issue.deadline),
                issue.department.clone().unwrap_or_default(),
                issue.lead.clone().unwrap_or_default(),
                date(issue.completed),
                issue.status_as_of.to_string(),
                yes(issue.overdue),
                yes(issue.stale),
                issue.measures.clone(),
                progress,
                issue.status.key().to_owned(),
            ]
        }),
    )
}

/// Every file of `data/`, by its path in the output.
pub fn files(site: &Site) -> Vec<(String, String)> {
    let (notices, issues) = rayon::join(|| notices(site), || issues(site));
    vec![
        (NOTICES_CSV.to_owned(), notices_csv(&notices)),
        (ISSUES_CSV.to_owned(), issues_csv(&notices, &issues)),
        (NOTICES_JSON.to_owned(), pretty(&notices)),
        (ISSUES_JSON.to_owned(), pretty(&issues)),
        (SCHEMA_JSON.to_owned(), SCHEMA.to_owned()),
    ]
}

/// Pretty JSON of a data file, ending in a line break; serializing plain
/// data to a string cannot fail.
fn pretty<T: Serialize>(value: &T) -> String {
    let mut text = serde_json::to_string_pretty(value).unwrap_or_default();
    text.push('\n');
    text
}

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
    Listed {
        path: SCHEMA_JSON,
        format: "JSON Schema",
        description: "上面两个 JSON 文件的格式说明，可用于校验",
    },
];

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
