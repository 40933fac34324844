//! `gongkai import`: a notice published as plain text → a notice bundle.
//!
//! The text is read line by line. Its parts are recognised by the shapes
//! official notices share: a metadata header (索引号 …), a title, an
//! introduction naming the inspection round, numbered sections (一、 …), in
//! the section that reports on the issues a hierarchy of numbered headings
//! ((一) → 1. → (1)), status lines (整改完成情况：…), a supervision
//! paragraph and a signature. Whatever is not recognised stays in the body;
//! every guess is listed in the report.

mod bundle;
mod ledger;
mod lines;
mod page;
mod problems;
mod report;
mod residue;
mod sheet;
mod text;
mod word;

use std::fmt::Write as _;
use std::path::Path;

use crate::load::content::{Declared, Inspection, IssueFront, NoticeFront};
use crate::model::date::Date;
use crate::model::status::Status;
use crate::model::supervision::Supervision;

pub use bundle::{
    add_to, already_imported, default_slug, files, files_to_add, imported_notices, provenance,
    write,
};
pub use report::{report, report_json};

use problems::SectionKind;
use text::{Marker, chinese_date, first_date, marker, normalize};

impl ImportedIssue {
    /// Takes what a status sentence says: its status wins, a deadline or
    /// long-term flag once said stays, and its date is the completion date
    /// of a completed problem and the update date of another.
    fn say(&mut self, said: &text::StatusLine) {
        let front = &mut self.front;
        front.status = said.status;
        front.long_term |= said.long_term;
        front.deadline = said.deadline.or(front.deadline);
        if said.status == Status::Completed {
            front.completed = said.dated.or(front.completed);
        } else {
            front.completed = None;
            front.updated = said.dated.or(front.updated);
        }
    }
}

/// One problem of the notice, as it will be written to an issue file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedIssue {
    /// What the issue file's front matter will say: the very record the
    /// reader returns, written by [`IssueFront::front_matter`].
    pub front: IssueFront,
    /// The measures, as Markdown paragraphs.
    pub body: String,
    /// The heading as the notice wrote it.
    pub heading: String,
    /// Whether the notice said its status (next to it, or in a summary).
    pub stated: bool,
    /// Whether its status is that of the group it sits in
    /// (`（一）已完成的整改事项`).
    pub grouped: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Metadata {
    pub title: Option<String>,
    pub organization: Option<String>,
    pub publisher: Option<String>,
    pub published: Option<Date>,
    pub written: Option<Date>,
    pub index_no: Option<String>,
    pub doc_no: Option<String>,
    pub category: Option<String>,
    pub validity: Option<String>,
    pub inspection: Inspection,
    pub declared: Declared,
    pub supervision: Supervision,
}

impl Metadata {
    /// The notice's front matter, as `check` and `build` will read it: a
    /// notice whose publication date was not found is a draft dated today,
    /// so that it builds (with `--drafts`) and is not published by mistake.
    pub fn front(&self) -> NoticeFront {
        let or_ask = |value: &Option<String>, ask: &str| {
            value
                .clone()
                .unwrap_or_else(|| format!("{}{ask}）", crate::check::PLACEHOLDER))
        };
        NoticeFront {
            title: or_ask(&self.title, "标题"),
            organization: or_ask(&self.organization, "发布机构"),
            published: self.published.unwrap_or_else(Date::today),
            written: self.written,
            index_no: self.index_no.clone(),
            doc_no: self.doc_no.clone(),
            category: self.category.clone(),
            validity: self.validity.clone(),
            inspection: self.inspection.clone(),
            declared: self.declared.clone(),
            supervision: self.supervision.clone(),
            draft: self.published.is_none() || self.title.is_none() || self.organization.is_none(),
            as_of: None,
        }
    }
}

/// What the import found, and what it had to guess.
#[derive(Debug, Clone, Default)]
pub struct Imported {
    pub metadata: Metadata,
    /// The body of index.md, with `<!-- issues -->` where the issues were.
    pub body: String,
    pub issues: Vec<ImportedIssue>,
    pub guesses: Vec<String>,
    pub dropped: Vec<String>,
    /// The issuing body at the head of the title, for a notice without a
    /// signature.
    pub title_body: Option<String>,
    /// Where the notice was imported from, written as a comment in its
    /// front matter so that importing the same file again is noticed.
    pub provenance: Option<String>,
}

/// Header labels (spaces inside removed) → the field they fill.
fn header_field<'m>(metadata: &'m mut Metadata, label: &str) -> Option<&'m mut Option<String>> {
    Some(match label {
        "索引号" => &mut metadata.index_no,
        "主题分类" => &mut metadata.category,
        "发布机构" => &mut metadata.publisher,
        "文号" => &mut metadata.doc_no,
        "效力状态" => &mut metadata.validity,
        "标题" | "文件名称" => &mut metadata.title,
        _ => return None,
    })
}

/// The kinds of file `gongkai import` reads, by their extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// A notice as plain text (anything not named below).
    Text,
    /// A ledger: `.xlsx`, `.xlsm`, `.xls`, `.ods`.
    Spreadsheet,
    /// A ledger as `.csv`.
    Csv,
    /// A notice saved from its web page: `.html`, `.htm`, `.shtml`.
    Page,
    /// A notice kept as a Word document: `.docx`.
    Word,
}

impl Format {
    /// Whether a file in a folder being imported is one import reads:
    /// text (`.txt`), a page, a Word document or a ledger.
    pub fn importable(path: &Path) -> bool {
        let text = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("txt"));
        text || Format::of(path) != Format::Text
    }

    pub fn of(path: &Path) -> Format {
        let extension = path
            .extension()
            .map(|e| e.to_string_lossy().to_lowercase())
            .unwrap_or_default();
        match extension.as_str() {
            "xlsx" | "xlsm" | "xls" | "xlsb" | "ods" => Format::Spreadsheet,
            "csv" => Format::Csv,
            "html" | "htm" | "shtml" | "xhtml" => Format::Page,
            "docx" | "docm" => Format::Word,
            _ => Format::Text,
        }
    }
}

/// A file read for import: what was found, and the encoding its text was
/// in when that was not UTF-8.
pub struct Read {
    pub imported: Imported,
    pub encoding: Option<&'static str>,
}

/// Imports the file at `path` (its bytes `bytes`, already read within the
/// size limit), named `name` in messages.
pub fn read(path: &Path, bytes: &[u8], name: &str) -> Result<Read, String> {
    let no_ledger = || {
        format!(
            "{name} 中没有找到台账的表头：需要一行列名，其中有“问题”（或“反馈问题”“问题描述”），以及整改措施、责任单位、整改时限、完成情况等"
        )
    };
    match Format::of(path) {
        Format::Spreadsheet => {
            let rows = sheet::spreadsheet_rows(path).map_err(|error| {
                format!("无法读取表格 {name}：不是有效的 Excel 或 OpenDocument 表格（{error}）")
            })?;
            let imported = ledger::import_rows(&rows).ok_or_else(no_ledger)?;
            Ok(Read {
                imported,
                encoding: None,
            })
        }
        Format::Csv => {
            let (text, encoding) = crate::load::text::decode_pasted(bytes);
            let imported = ledger::import_rows(&sheet::csv_rows(&text)).ok_or_else(no_ledger)?;
            Ok(Read { imported, encoding })
        }
        Format::Page => {
            let page = page::read(bytes).map_err(|error| format!("{name}：{error}"))?;
            let mut imported = parse(&page.text, name);
            imported
                .dropped
                .extend(page.frame.into_iter().map(|line| format!("（网页）{line}")));
            Ok(Read {
                imported,
                encoding: page.encoding,
            })
        }
        Format::Word => {
            let text = word::text_of(bytes).map_err(|error| format!("{name}：{error}"))?;
            Ok(Read {
                imported: parse(&text, name),
                encoding: None,
            })
        }
        Format::Text => {
            let (text, encoding) = crate::load::text::decode_pasted(bytes);
            Ok(Read {
                imported: parse(&text, name),
                encoding,
            })
        }
    }
}

/// Parses the text of a notice.
pub fn parse(source: &str, name: &str) -> Imported {
    let mut imported = Imported::default();
    let mut lines = Vec::new();
    for line in lines::logical_lines(source) {
        match residue::residue(&line) {
            Some(found) => {
                imported.metadata.published = imported.metadata.published.or(found.published);
                imported.dropped.push(line);
            }
            None => lines.push(line),
        }
    }
    let mut index = read_header(&lines, &mut imported);
    index = read_title(&lines, index, name, &mut imported);
    let closing = closing_start(&lines[index..]) + index;
    read_closing(&lines[closing..], &mut imported);
    let lines = &lines[..closing];

    // Lines until the first section: subtitle, a date, the introduction.
    let mut body = String::new();
    // Lines outside the problems, where a summary of their statuses may be.
    let mut about_the_list: Vec<String> = Vec::new();
    while index < lines.len() && !matches!(marker(&lines[index]), Some(Marker::Section(_))) {
        let line = &lines[index];
        if is_subtitle(line) {
            imported.dropped.push(line.clone());
        } else if line.chars().count() <= 12 && first_date(line, None).is_some() {
            if imported.metadata.published.is_none() {
                imported.metadata.published = first_date(line, None);
            }
            imported.dropped.push(line.clone());
        } else {
            read_introduction(line, &mut imported.metadata);
            let _ = writeln!(body, "{line}\n");
            about_the_list.push(line.clone());
        }
        index += 1;
    }

    // Sections. The one that goes through the problems becomes the issue files.
    let sections = problems::split_sections(&lines[index..]);
    let kinds: Vec<SectionKind> = sections
        .iter()
        .map(|(heading, content)| problems::section_kind(heading, content))
        .collect();
    let problem_sections = kinds
        .iter()
        .filter(|k| **k == SectionKind::Problems)
        .count();
    // Several such sections (一、关于…方面存在的问题 …) are the aspects themselves.
    let sections_are_aspects = problem_sections > 1;
    let mut issues_placed = false;
    for ((heading, content), kind) in sections.iter().zip(&kinds) {
        if *kind == SectionKind::Problems {
            let preset = sections_are_aspects.then(|| problems::aspect_from_section(heading));
            if !sections_are_aspects {
                let _ = writeln!(body, "## {heading}\n");
            }
            if !issues_placed {
                body.push_str("<!-- issues -->\n\n");
                issues_placed = true;
            }
            let (issues, unplaced) = problems::parse_issues(content, preset, &mut imported);
            imported.issues.extend(issues);
            for line in unplaced {
                read_introduction(&line, &mut imported.metadata);
                let _ = writeln!(body, "{line}\n");
                about_the_list.push(line);
            }
            continue;
        }
        if !heading.is_empty() {
            let _ = writeln!(body, "## {heading}\n");
        }
        about_the_list.extend(content.iter().cloned());
        for line in content {
            read_introduction(line, &mut imported.metadata);
            match marker(line) {
                Some(_) if line.chars().count() <= 30 && !line.ends_with('。') => {
                    let _ = writeln!(body, "### {line}\n");
                }
                _ => {
                    let _ = writeln!(body, "{line}\n");
                }
            }
        }
    }
    if !issues_placed {
        imported
            .guesses
            .push("没有找到逐条列出问题的部分，全文作为通报正文导入".to_owned());
    }
    imported.body = body;
    problems::apply_summaries(&about_the_list, &mut imported);
    problems::apply_restated(&sections, &kinds, &mut imported);
    settle_unstated(&mut imported, &about_the_list);
    finish_metadata(&mut imported);
    imported
}

/// Problems whose status no line beside them and no summary said: the
/// status group they sit in, else all of them when the notice says all are
/// done (`已全部完成整改`), else what their measures say.
fn settle_unstated(imported: &mut Imported, about_the_list: &[String]) {
    let all_done = about_the_list.iter().find_map(|line| {
        normalize(line)
            .split(['。', ',', ';'])
            .find(|clause| {
                ["全部完成", "全部整改完成", "全部整改到位", "已全部整改"]
                    .iter()
                    .any(|word| clause.contains(word))
                    && !["计划", "力争", "底前", "月前", "年前", "确保", "未"]
                        .iter()
                        .any(|word| clause.contains(word))
            })
            .map(str::to_owned)
    });
    for issue in imported.issues.iter_mut().filter(|issue| !issue.stated) {
        issue.front.long_term |= Status::long_term_said_in(&issue.body);
        if issue.grouped {
            let front = &mut issue.front;
            front.long_term |= Status::long_term_said_in(&issue.body);
            if front.status != Status::Completed {
                front.deadline = text::deadline(&normalize(&issue.body)).or(front.deadline);
            }
            imported.guesses.push(format!(
                "“{}”：整改状态按所在分组的标题填为“{}”",
                front.title,
                front.status.label()
            ));
            continue;
        }
        if let Some(clause) = &all_done {
            issue.front.status = Status::Completed;
            imported.guesses.push(format!(
                "“{}”：整改状态按“{clause}”填为“已完成”",
                issue.front.title
            ));
            continue;
        }
        match text::status_in_prose(&issue.body) {
            Some(status) => {
                issue.say(&status);
                imported.guesses.push(format!(
                    "“{}”：整改状态按正文推断为“{}”",
                    issue.front.title,
                    issue.front.status.label()
                ));
            }
            None => imported.guesses.push(format!(
                "“{}”：通报没有写明整改状态，按“整改中”导入",
                issue.front.title
            )),
        }
    }
}

/// The metadata block of an information-disclosure page, labelled
/// (`索 引 号：…`) or bare (a line per value); where the notice begins.
fn read_header(lines: &[String], imported: &mut Imported) -> usize {
    let mut index = 0;
    while index < lines.len() {
        let line = lines[index].trim_start_matches(['-', '•', ' ']).trim();
        let normal = normalize(line);
        if let Some((label, value)) = normal.split_once(':') {
            let label: String = label.chars().filter(|c| !c.is_whitespace()).collect();
            let value = value.trim().to_owned();
            if let Some(date) =
                (label.contains("成文") || label.contains("发文") || label.contains("发布日期"))
                    .then(|| first_date(&value, None))
                    .flatten()
            {
                if label.contains("成文") {
                    imported.metadata.written = Some(date);
                } else {
                    imported.metadata.published = Some(date);
                }
                index += 1;
                continue;
            }
            if let Some(field) = header_field(&mut imported.metadata, &label) {
                *field = Some(value);
                index += 1;
                continue;
            }
        }
        let bare_index_no = !normal.contains(' ')
            && normal.contains('/')
            && normal
                .rsplit('/')
                .next()
                .is_some_and(|tail| tail.chars().all(|c| c.is_ascii_digit() || c == '-'));
        if index < 8 && bare_index_no {
            imported.metadata.index_no = Some(line.to_owned());
        } else if index < 8
            && line.len() <= 12
            && first_date(line, None).is_some()
            && !line.contains('年')
        {
            imported.metadata.published = first_date(line, None);
        } else if index < 8 && line == "主动公开" {
            imported.dropped.push(line.to_owned());
        } else if index < 8
            && imported.metadata.index_no.is_some()
            && line.chars().count() <= 8
            && !line.contains('、')
        {
            // Short bare lines of a header: a category, then the publishing body.
            if imported.metadata.category.is_none() {
                imported.metadata.category = Some(line.to_owned());
            } else if imported.metadata.publisher.is_none() {
                imported.metadata.publisher = Some(line.to_owned());
            } else {
                break;
            }
        } else {
            break;
        }
        index += 1;
    }
    index
}

/// Words an issuing body's name ends with.
const BODY_ENDINGS: &[&str] = &[
    "委员会",
    "党委",
    "党组",
    "党总支",
    "党支部",
    "总支部",
    "支部",
    "医院",
    "中心",
    "局",
    "委",
    "院",
];

fn is_issuing_body(line: &str) -> bool {
    line.chars().count() <= 30
        && !line.contains(['。', '，', ','])
        && marker(line).is_none()
        && BODY_ENDINGS.iter().any(|end| line.ends_with(end))
}

/// The issuing body at the head of a title: `某某医院党委关于…的通报`,
/// `某某中心党委巡察整改进展情况通报`.
pub(crate) fn body_in_title(title: &str) -> Option<String> {
    let head = ["关于", "巡察", "巡视", "对"]
        .iter()
        .filter_map(|word| title.find(word))
        .min()
        .map(|at| &title[..at])?;
    is_issuing_body(head).then(|| head.to_owned())
}

/// The title, from its line (a site tag `【通报】` taken off), from two lines
/// (the issuing body, then `关于…的通报`), or from the header; where the
/// notice goes on.
fn read_title(lines: &[String], index: usize, name: &str, imported: &mut Imported) -> usize {
    let reads_like_title = |line: &str| {
        ["通报", "情况", "公告", "公示", "报告"]
            .iter()
            .any(|word| line.contains(word))
            && !line.contains('。')
            && line.chars().count() <= 80
            && marker(line).is_none()
    };
    let untagged = |line: &str| -> String {
        match line
            .strip_prefix('【')
            .and_then(|rest| rest.split_once('】'))
        {
            Some((tag, rest)) if tag.chars().count() <= 6 && !rest.is_empty() => rest.to_owned(),
            _ => line.to_owned(),
        }
    };
    // A line or two of something else above the title (a reposting site's
    // banner) is dropped.
    let index = (index..lines.len().min(index + 3))
        .find(|&at| {
            reads_like_title(&untagged(&lines[at]))
                || (is_issuing_body(&lines[at])
                    && lines.get(at + 1).is_some_and(|next| reads_like_title(next)))
        })
        .filter(|&at| {
            lines[index..at]
                .iter()
                .all(|line| !line.contains('。') && line.chars().count() <= 80)
        })
        .inspect(|&at| imported.dropped.extend(lines[index..at].iter().cloned()))
        .unwrap_or(index);
    let Some(first) = lines.get(index).map(|line| untagged(line)) else {
        return index;
    };
    let second = lines.get(index + 1).map(|line| untagged(line));
    let (title, next) = match second {
        Some(second)
            if is_issuing_body(&first)
                && second.starts_with("关于")
                && reads_like_title(&second) =>
        {
            (Some(format!("{first}{second}")), index + 2)
        }
        _ if reads_like_title(&first) => (Some(first), index + 1),
        _ => (None, index),
    };
    match title {
        Some(title) => {
            // 中共某某委员会 关于…: the title of two lines, run together.
            let title = match title.split_once([' ', '　']) {
                Some((body, rest)) if rest.trim_start().starts_with("关于") => {
                    format!("{body}{}", rest.trim_start())
                }
                _ => title,
            };
            imported.metadata.title = Some(title);
        }
        None if imported.metadata.title.is_some() => {}
        None => match lines
            .get(index)
            .and_then(|line| text::inspected_unit(&normalize(line)))
        {
            Some(unit) => {
                let round = if lines[index].contains("巡视") {
                    "巡视"
                } else {
                    "巡察"
                };
                let title = format!("{unit}关于{round}整改进展情况的通报");
                imported.guesses.push(format!(
                    "通报没有标题，按巡察对象拟为“{title}”，请核对 title"
                ));
                imported.metadata.title = Some(title);
            }
            None => imported.guesses.push(format!(
                "没有找到标题（文件名是“{name}”）：已标为草稿，请填写 title"
            )),
        },
    }
    imported.title_body = imported.metadata.title.as_deref().and_then(body_in_title);
    next
}

/// `（社会公开稿）` and the like under a title.
fn is_subtitle(line: &str) -> bool {
    let normal = normalize(line);
    (normal.starts_with('(')
        && normal.ends_with(')')
        && normal.contains("公开")
        && normal.chars().count() <= 12)
        || line == "主动公开"
}

/// A line that invites supervision and gives the contacts.
fn is_supervision(line: &str) -> bool {
    line.contains("监督")
        && ["联系", "电话", "邮箱", "信箱", "来信"]
            .iter()
            .any(|word| line.contains(word))
}

/// Where the closing begins in `lines`: the supervision paragraph, then
/// the signature (the issuing body, then the date); `lines.len()` when
/// there is none.
fn closing_start(lines: &[String]) -> usize {
    let mut start = lines.len();
    if start > 0
        && lines[start - 1].chars().count() <= 16
        && chinese_date(&lines[start - 1]).is_some()
    {
        start -= 1;
        if start > 0 && is_issuing_body(&lines[start - 1]) {
            start -= 1;
        }
    }
    // The supervision paragraph, within the last lines before the signature.
    let from = start.saturating_sub(3);
    if let Some(at) = lines[from..start]
        .iter()
        .rposition(|line| is_supervision(line))
    {
        start = from + at;
    }
    start
}

/// The supervision paragraph and the signature: into the contact fields,
/// the organisation and the date of writing. Listed in the report as
/// placed in fields.
fn read_closing(lines: &[String], imported: &mut Imported) {
    for line in lines {
        if let Some(date) = chinese_date(line).filter(|_| line.chars().count() <= 16) {
            imported.metadata.written = imported.metadata.written.or(Some(date));
        } else if is_issuing_body(line) {
            imported.metadata.organization = Some(line.clone());
        } else {
            text::supervision(line, &mut imported.metadata.supervision);
        }
        imported.dropped.push(line.clone());
    }
}

/// Inspection round, dates and declared counts in an introduction line.
fn read_introduction(line: &str, metadata: &mut Metadata) {
    let normal = normalize(line);
    let inspection = &mut metadata.inspection;
    if inspection.body.is_none()
        && let Some(body) = text::inspection_body(&normal)
    {
        inspection.body = Some(body);
    }
    if inspection.start.is_none()
        && let Some((start, end)) = text::period(&normal)
    {
        inspection.start = Some(start);
        inspection.end = Some(end);
    }
    if inspection.feedback.is_none()
        && (normal.contains("反馈"))
        && let Some(feedback) = text::feedback(&normal, inspection.end)
    {
        inspection.feedback = Some(feedback);
    }
    if metadata.declared == Declared::default() {
        metadata.declared = text::declared(&normal);
    }
}

pub(crate) fn finish_metadata(imported: &mut Imported) {
    let metadata = &mut imported.metadata;
    if let (Some(publisher), Some(signer)) = (&metadata.publisher, &metadata.organization)
        && publisher != signer
    {
        imported.guesses.push(format!(
            "页面上的发布机构“{publisher}”与落款“{signer}”不同，organization 按落款填写"
        ));
    }
    if metadata.organization.is_none()
        && let Some(body) = &imported.title_body
    {
        metadata.organization = Some(body.clone());
        imported
            .guesses
            .push(format!("没有找到落款，发布机构按标题中的“{body}”填写"));
    }
    if metadata.organization.is_none() {
        metadata.organization = metadata.publisher.clone();
        match &metadata.organization {
            Some(name) => imported
                .guesses
                .push(format!("没有找到落款，发布机构按页面上的“{name}”填写")),
            None => {
                metadata.organization = None;
                imported
                    .guesses
                    .push("没有找到落款或发布机构，请填写 organization".to_owned());
            }
        }
    }
    if metadata.published.is_none() {
        metadata.published = metadata.written;
        imported.guesses.push(match metadata.written {
            Some(date) => format!("没有找到发布日期，按成文日期{}填写", date.chinese()),
            None => "没有找到发布日期：暂按今天填写并标为草稿（draft: true），请改为实际发布日期并删去 draft 一行".to_owned(),
        });
    }
}
