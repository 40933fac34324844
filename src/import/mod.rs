//! `gongkai import`: a notice published as plain text → a notice bundle.
//!
//! The text is read line by line. Its parts are recognised by the shapes
//! official notices share: a metadata header (索引号 …), a title, an
//! introduction naming the inspection round, numbered sections (一、 …), in
//! the section that reports on the issues a hierarchy of numbered headings
//! ((一) → 1. → (1)), status lines (整改完成情况：…), a supervision
//! paragraph and a signature. Whatever is not recognised stays in the body;
//! every guess is listed in the report.

mod text;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::load::content::{Declared, Inspection, IssueFront, NoticeFront, initials};
use crate::model::date::Date;
use crate::model::status::Status;
use crate::model::supervision::Supervision;

use text::{
    Marker, chinese_date, clean_title, first_date, marker, normalize, quoted, strip_marker,
};

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
            value.clone().unwrap_or_else(|| format!("（请填写{ask}）"))
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
            draft: self.published.is_none(),
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
}

const RESIDUE: &[&str] = &[
    "关于我们",
    "网站声明",
    "网站地图",
    "联系我们 |",
    "打印本页",
    "关闭窗口",
    "【打印】",
    "【关闭】",
];

/// Left over from the web page the text was copied from, or a label that
/// goes into a field: dropped, and listed in the report.
fn is_residue(line: &str) -> bool {
    line.starts_with("![")
        || (line.contains(" | ") && RESIDUE.iter().any(|r| line.contains(r)))
        || RESIDUE.contains(&line)
        || ["主动公开", "(社会公开稿)", "（社会公开稿）"].contains(&line)
}

/// Header labels (spaces inside removed) → the field they fill.
fn header_field<'m>(metadata: &'m mut Metadata, label: &str) -> Option<&'m mut Option<String>> {
    Some(match label {
        "索引号" => &mut metadata.index_no,
        "主题分类" => &mut metadata.category,
        "发布机构" => &mut metadata.publisher,
        "文号" => &mut metadata.doc_no,
        "效力状态" => &mut metadata.validity,
        "标题" => &mut metadata.title,
        _ => return None,
    })
}

/// Parses the text of a notice.
pub fn parse(source: &str, name: &str) -> Imported {
    let mut imported = Imported::default();
    let lines: Vec<String> = source
        .replace("\r\n", "\n")
        .replace('\r', "\n")
        .trim_start_matches('\u{feff}')
        .lines()
        .map(|line| line.trim().trim_end_matches('|').trim().to_owned())
        .filter(|line| !line.is_empty())
        .collect();
    let mut index = 0;

    // 1. Metadata header, labelled (`索 引 号：…`) or bare (a line per value).
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

    // 2. The title: the first line that reads like one, unless the header gave it.
    let header_title = imported.metadata.title.clone();
    if index < lines.len() {
        let line = &lines[index];
        let looks_like_title =
            (line.contains("通报") || line.contains("情况") || line.contains("公告"))
                && !line.contains('。')
                && line.chars().count() <= 80
                && marker(line).is_none();
        if looks_like_title {
            imported.metadata.title = Some(line.clone());
            index += 1;
        } else if header_title.is_some() {
            // Already given by the header.
        } else {
            imported.metadata.title = Some(name.to_owned());
            imported
                .guesses
                .push(format!("没有找到标题，暂以“{name}”作标题，请修改 title"));
        }
    }

    // 3. Lines until the first section: subtitle residue, a date, the introduction.
    let mut body = String::new();
    while index < lines.len() && !matches!(marker(&lines[index]), Some(Marker::Section(_))) {
        let line = &lines[index];
        if is_residue(line) {
            imported.dropped.push(line.clone());
        } else if line.chars().count() <= 12 && first_date(line, None).is_some() {
            if imported.metadata.published.is_none() {
                imported.metadata.published = first_date(line, None);
            }
        } else {
            read_introduction(line, &mut imported.metadata);
            let _ = writeln!(body, "{line}\n");
        }
        index += 1;
    }

    // 4. Sections. The one that reports on the issues becomes the issue files.
    let sections = split_sections(&lines[index..]);
    let issue_sections: Vec<usize> = sections
        .iter()
        .enumerate()
        .filter(|(_, (heading, content))| is_issue_section(heading, content))
        .map(|(position, _)| position)
        .collect();
    // Several such sections (一、关于…方面存在的问题 …) are the aspects themselves.
    let sections_are_aspects = issue_sections.len() > 1;
    let issues_section = issue_sections.first().copied();
    for (position, (heading, content)) in sections.iter().enumerate() {
        if issue_sections.contains(&position) {
            let preset = sections_are_aspects.then(|| aspect_from_section(heading));
            if !sections_are_aspects {
                let _ = writeln!(body, "## {heading}\n");
            }
            if Some(position) == issues_section {
                body.push_str("<!-- issues -->\n\n");
            }
            let (issues, unplaced) = parse_issues(content, preset, &mut imported);
            imported.issues.extend(issues);
            for line in unplaced {
                let _ = writeln!(body, "{line}\n");
            }
            continue;
        }
        let _ = writeln!(body, "## {heading}\n");
        let last = position + 1 == sections.len();
        let (kept, closing) = if last {
            split_closing(content, &mut imported)
        } else {
            (content.clone(), Vec::new())
        };
        for line in kept {
            read_introduction(&line, &mut imported.metadata);
            if is_residue(&line) {
                imported.dropped.push(line);
                continue;
            }
            match marker(&line) {
                Some(_) if line.chars().count() <= 30 && !line.ends_with('。') => {
                    let _ = writeln!(body, "### {line}\n");
                }
                _ => {
                    let _ = writeln!(body, "{line}\n");
                }
            }
        }
        for line in closing {
            imported.dropped.push(line);
        }
    }
    if sections.is_empty() {
        // No sections at all: whatever is left is the body.
        for line in &lines[index..] {
            let _ = writeln!(body, "{line}\n");
        }
    }
    if issues_section.is_none() {
        imported
            .guesses
            .push("没有找到逐条列出问题的部分，全文作为通报正文导入".to_owned());
    }
    imported.body = body;
    apply_summaries(&lines, &mut imported);
    for issue in imported.issues.iter_mut().filter(|issue| !issue.stated) {
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
    finish_metadata(&mut imported);
    imported
}

/// Statuses said in a summary rather than beside each problem:
/// `第5、9项继续整改，2025年12月底前完成`, `（14）（20）项已整改完成`.
fn apply_summaries(lines: &[String], imported: &mut Imported) {
    for line in lines {
        let normal = normalize(line);
        for clause in normal.split(['。', ';']) {
            let in_progress = Status::InProgress.said_in(clause);
            let completed = Status::Completed.said_in(clause);
            let long_term = Status::long_term_said_in(clause);
            if !(in_progress || completed || long_term) {
                continue;
            }
            let numbers = text::problem_numbers(clause);
            if numbers.is_empty() {
                continue;
            }
            let said = if in_progress {
                Status::InProgress
            } else {
                Status::Completed
            };
            let status = text::StatusLine {
                status: said,
                long_term,
                deadline: text::deadline(clause).filter(|_| in_progress),
                dated: text::status_date(clause, said),
            };
            for number in numbers {
                let Some(issue) = imported.issues.get_mut(number.wrapping_sub(1)) else {
                    continue;
                };
                if issue.stated {
                    continue;
                }
                issue.say(&status);
                issue.stated = true;
                imported.guesses.push(format!(
                    "“{}”：状态取自“{}”",
                    issue.front.title,
                    clause.trim()
                ));
            }
        }
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

/// Lines grouped under their 一、 二、 … headings.
fn split_sections(lines: &[String]) -> Vec<(String, Vec<String>)> {
    let mut sections: Vec<(String, Vec<String>)> = Vec::new();
    for line in lines {
        match marker(line) {
            Some(Marker::Section(_)) => sections.push((line.clone(), Vec::new())),
            _ => match sections.last_mut() {
                Some((_, content)) => content.push(line.clone()),
                None => sections.push((String::new(), vec![line.clone()])),
            },
        }
    }
    sections
}

/// The section that goes through the issues one by one: it has status lines,
/// or numbered headings that name problems (关于“…”问题, 针对…).
/// `一、关于贯彻落实党中央决策部署方面存在的问题` → `贯彻落实党中央决策部署方面`.
fn aspect_from_section(heading: &str) -> String {
    let name = strip_marker(heading);
    let name = name.strip_prefix("关于").unwrap_or(&name);
    match name.find("方面") {
        Some(at) => name[..at + "方面".len()].to_owned(),
        None => name.trim_end_matches(['。', '.']).to_owned(),
    }
}

fn is_issue_section(heading: &str, content: &[String]) -> bool {
    let names_problems = content
        .iter()
        .filter(|line| {
            marker(line).is_some()
                && (line.contains("问题") || line.contains("针对") || line.contains("方面"))
        })
        .count();
    let about_rectification = heading.contains("整改")
        && (heading.contains("落实") || heading.contains("进展") || heading.contains("情况"));
    let statuses = content
        .iter()
        .filter(|line| text::status_line(line).is_some())
        .count();
    let plans = heading.contains("组织") || heading.contains("打算") || heading.contains("下一步");
    // 一、关于…方面存在的问题, followed by numbered problems.
    let names_its_problems = (heading.contains("问题") || heading.contains("方面"))
        && content.iter().any(|line| marker(line).is_some());
    !plans && (statuses > 0 || (about_rectification && names_problems >= 2) || names_its_problems)
}

/// Which marker kinds nest in the issues section, outermost first.
fn levels(content: &[String]) -> Vec<std::mem::Discriminant<Marker>> {
    let mut kinds: Vec<std::mem::Discriminant<Marker>> = Vec::new();
    for line in content {
        if let Some(found) = marker(line)
            && !matches!(found, Marker::Section(_))
        {
            let kind = std::mem::discriminant(&found);
            if !kinds.contains(&kind) {
                kinds.push(kind);
            }
        }
    }
    kinds
}

fn parse_issues(
    content: &[String],
    preset_aspect: Option<String>,
    imported: &mut Imported,
) -> (Vec<ImportedIssue>, Vec<String>) {
    let kinds = levels(content);
    // The innermost kind of heading is the problem; the ones above it are
    // aspect and item, in the order they first appear.
    let problem_kind = kinds.last().copied();
    let aspect_kind = (kinds.len() >= 2).then(|| kinds[0]);
    let item_kind = (kinds.len() >= 3).then(|| kinds[1]);
    // How each level's headings begin (关于…, 针对…), to place a heading
    // whose number was left out.
    let opener = |line: &str| strip_marker(line).chars().take(2).collect::<String>();
    let openers = |level: Option<std::mem::Discriminant<Marker>>| -> Vec<String> {
        content
            .iter()
            .filter(|line| {
                level.is_some() && marker(line).map(|m| std::mem::discriminant(&m)) == level
            })
            .map(|line| opener(line))
            .collect()
    };
    let by_opener = [
        (problem_kind, openers(problem_kind), "问题"),
        (item_kind, openers(item_kind), "大项"),
        (aspect_kind, openers(aspect_kind), "方面"),
    ];
    let mut issues: Vec<ImportedIssue> = Vec::new();
    let mut unplaced = Vec::new();
    let mut aspect: Option<String> = preset_aspect;
    let mut item: Option<String> = None;
    for line in content {
        let mut kind = marker(line).map(|m| std::mem::discriminant(&m));
        if kind.is_none() && looks_like_heading(line) {
            let start: String = line.chars().take(2).collect();
            if let Some((level, _, name)) = by_opener
                .iter()
                .find(|(level, openers, _)| level.is_some() && openers.contains(&start))
            {
                kind = *level;
                imported
                    .guesses
                    .push(format!("“{line}”没有编号，按{name}导入"));
            }
        }
        if kind.is_some() && kind == aspect_kind {
            aspect = Some(group_name(line));
            item = None;
        } else if kind.is_some() && kind == item_kind {
            item = Some(group_name(line));
        } else if kind.is_some() && kind == problem_kind {
            // `（一）理论学习不深入。整改情况：……` carries its text on the heading line.
            let heading = strip_marker(line);
            let (title, inline) = match heading.split_once('。') {
                Some((title, rest)) if !rest.trim().is_empty() && title.chars().count() <= 40 => {
                    (title.to_owned(), Some(rest.trim().to_owned()))
                }
                _ => (heading.clone(), None),
            };
            issues.push(ImportedIssue {
                front: IssueFront {
                    title: clean_title(&title),
                    aspect: aspect.clone(),
                    item: item.clone(),
                    status: Status::InProgress,
                    long_term: false,
                    deadline: None,
                    department: None,
                    lead: None,
                    order: None,
                    updated: None,
                    completed: None,
                    progress: Vec::new(),
                },
                body: String::new(),
                heading: line.clone(),
                stated: false,
            });
            if let (Some(inline), Some(issue)) = (inline, issues.last_mut()) {
                let _ = writeln!(issue.body, "{}\n", text::bold_label(&inline));
            }
        } else if let Some(issue) = issues.last_mut() {
            if let Some(status) = text::status_line(line) {
                // Several lines may speak (完成时限, then 整改进展): the last
                // status wins, a deadline or long-term flag once said stays.
                issue.say(&status);
                issue.stated = true;
                // The status sentence stays in the body too: nothing is lost.
            }
            let _ = writeln!(issue.body, "{}\n", text::bold_label(line));
        } else {
            unplaced.push(line.clone());
        }
    }
    for issue in &mut issues {
        if issue.body.trim().is_empty() {
            imported
                .guesses
                .push(format!("“{}”：没有找到整改措施", issue.front.title));
        }
    }
    (issues, unplaced)
}

/// A line that reads like a heading whose number was left out:
/// `关于“…”的问题`, `针对“…”问题。`.
fn looks_like_heading(line: &str) -> bool {
    let line = line.trim_end_matches(['。', '.']);
    (line.starts_with("关于") || line.starts_with("针对"))
        && line.chars().count() <= 60
        && (line.ends_with("问题") || line.ends_with("方面") || line.ends_with("整改"))
        && quoted(line).is_some()
}

/// An aspect or item name from its heading: `(一)“…”方面。` → `…方面`.
fn group_name(line: &str) -> String {
    let name = strip_marker(line);
    let name = name.trim_end_matches(['。', '.', '：', ':']);
    match quoted(name) {
        Some(inner) if name.ends_with("方面") && name.starts_with(['“', '"']) => {
            format!("{inner}方面")
        }
        _ => name.to_owned(),
    }
}

/// The supervision paragraph and the signature at the end of the last section.
fn split_closing(content: &[String], imported: &mut Imported) -> (Vec<String>, Vec<String>) {
    let mut kept = content.to_vec();
    let mut closing = Vec::new();
    while kept.last().is_some_and(|line| is_residue(line)) {
        closing.push(kept.pop().unwrap_or_default());
    }
    // Signature: a date line, and before it the issuing body.
    if let Some(last) = kept.last()
        && last.chars().count() <= 16
        && let Some(date) = chinese_date(last)
    {
        imported.metadata.written = imported.metadata.written.or(Some(date));
        closing.push(kept.pop().unwrap_or_default());
        if let Some(signer) = kept.last()
            && signer.chars().count() <= 40
            && !signer.contains('。')
        {
            imported.metadata.organization = Some(signer.clone());
            closing.push(kept.pop().unwrap_or_default());
        }
    }
    if let Some(position) = kept.iter().rposition(|line| {
        line.contains("监督")
            && (line.contains("联系") || line.contains("电话") || line.contains("邮箱"))
    }) {
        let line = kept.remove(position);
        text::supervision(&line, &mut imported.metadata.supervision);
        closing.push(line);
    }
    (kept, closing.into_iter().rev().collect())
}

fn finish_metadata(imported: &mut Imported) {
    let metadata = &mut imported.metadata;
    if let (Some(publisher), Some(signer)) = (&metadata.publisher, &metadata.organization)
        && publisher != signer
    {
        imported.guesses.push(format!(
            "页面上的发布机构“{publisher}”与落款“{signer}”不同，organization 按落款填写"
        ));
    }
    if metadata.organization.is_none() {
        metadata.organization = metadata.publisher.clone();
        match &metadata.organization {
            Some(name) => imported
                .guesses
                .push(format!("没有找到落款，发布机构按页面上的“{name}”填写")),
            None => {
                metadata.organization = Some("（请填写发布机构）".to_owned());
                imported
                    .guesses
                    .push("没有找到落款或发布机构，请填写 organization".to_owned());
            }
        }
    }
    if metadata.title.is_none() {
        imported
            .guesses
            .push("没有找到标题，请填写 title".to_owned());
    }
    if metadata.published.is_none() {
        metadata.published = metadata.written;
        imported.guesses.push(match metadata.written {
            Some(date) => format!("没有找到发布日期，按成文日期{}填写", date.chinese()),
            None => "没有找到发布日期：暂按今天填写并标为草稿（draft: true），请改为实际发布日期并删去 draft 一行".to_owned(),
        });
    }
}

/// The notice bundle's name: year and the issuing body's initials.
pub fn default_slug(imported: &Imported) -> String {
    let year = imported.metadata.published.map_or(0, Date::year);
    let organization = imported
        .metadata
        .organization
        .as_deref()
        .unwrap_or("notice");
    let mut slug = format!("{year}-{}", initials(organization));
    slug.truncate(40);
    slug
}

/// index.md and the issue files, by path inside the bundle.
pub fn files(imported: &Imported) -> Vec<(PathBuf, String)> {
    let front = imported.metadata.front().front_matter();

    let mut files = vec![(
        PathBuf::from("index.md"),
        format!("{front}\n{}", imported.body),
    )];
    for (number, issue) in imported.issues.iter().enumerate() {
        let text = format!("{}\n{}", issue.front.front_matter(), issue.body);
        let mut slug: String = initials(&issue.front.title).chars().take(12).collect();
        if slug == "org" {
            slug = "wenti".to_owned();
        }
        files.push((
            PathBuf::from("issues").join(format!("{:02}-{slug}.md", number + 1)),
            text,
        ));
    }
    files
}

/// A report of what was found and guessed, for the clerk to review.
pub fn report(imported: &Imported) -> String {
    let mut out = String::new();
    let m = &imported.metadata;
    let issues = &imported.issues;
    let aspects: std::collections::BTreeSet<&str> = issues
        .iter()
        .filter_map(|i| i.front.aspect.as_deref())
        .collect();
    let items: std::collections::BTreeSet<(Option<&str>, &str)> = issues
        .iter()
        .filter_map(|i| Some((i.front.aspect.as_deref(), i.front.item.as_deref()?)))
        .collect();
    let count = |status: Status| issues.iter().filter(|i| i.front.status == status).count();
    let _ = writeln!(out, "标题：{}", m.title.as_deref().unwrap_or("（无）"));
    let _ = writeln!(
        out,
        "发布机构：{}",
        m.organization.as_deref().unwrap_or("（无）")
    );
    let _ = writeln!(
        out,
        "找到：{} 个方面、{} 个大项、{} 条问题；已完成 {}（其中长期坚持 {}），基本完成 {}，整改中 {}",
        aspects.len(),
        items.len(),
        issues.len(),
        count(Status::Completed),
        issues.iter().filter(|i| i.front.long_term).count(),
        count(Status::Partial),
        count(Status::InProgress)
    );
    if m.declared != Declared::default() {
        let show = |n: Option<u32>| n.map_or("—".to_owned(), |n| n.to_string());
        let _ = writeln!(
            out,
            "通报自述：{} 个方面、{} 个大项、{} 条问题",
            show(m.declared.aspects),
            show(m.declared.items),
            show(m.declared.problems)
        );
    }
    if !imported.guesses.is_empty() {
        let _ = writeln!(out, "需要核对的推断：");
        for guess in &imported.guesses {
            let _ = writeln!(out, "  - {guess}");
        }
    }
    if !imported.dropped.is_empty() {
        let _ = writeln!(out, "已去掉的网页残留和已转入字段的文字：");
        for line in &imported.dropped {
            let shown: String = line.chars().take(60).collect();
            let _ = writeln!(out, "  - {shown}");
        }
    }
    out
}

/// Writes the bundle to `folder`, which must not exist yet.
pub fn write(folder: &Path, imported: &Imported) -> std::io::Result<Vec<PathBuf>> {
    if folder.exists() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::AlreadyExists,
            format!("{} 已存在", folder.display()),
        ));
    }
    let mut written = Vec::new();
    for (path, text) in files(imported) {
        let target = folder.join(path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&target, text)?;
        written.push(target);
    }
    Ok(written)
}
