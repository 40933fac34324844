//! `init`, `new notice` and `new issue`: files a clerk starts from.

use std::fs;
use std::path::{Path, PathBuf};

use include_dir::{Dir, include_dir};

use crate::diagnostic::Hint;
use crate::load::content::{
    CONTENT_DIR, Declared, ISSUES_DIR, Inspection, IssueFront, NOTICE_FILE, NOTICES_DIR,
    NoticeFront, is_valid_slug, leading_number, suggest_slug,
};
use crate::model::date::Date;
use crate::model::status::Status;
use crate::model::supervision::Supervision;
use crate::render::write_default_theme;

/// The starter site written by `init`.
static STARTER: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/scaffold/unit");
/// The starter aggregate portal written by `init --aggregate`.
static AGGREGATE_STARTER: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/scaffold/aggregate");

/// Where the aggregate starter's sample unit keeps its data (as its
/// site.yaml names it).
const SAMPLE_UNIT_DATA: &str = "units/shili-yiyuan/data";

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScaffoldError {
    #[error("目录 {} 已存在且不是空的", .0.display())]
    NotEmpty(PathBuf),
    #[error("名称“{name}”不能用作网址：只能使用小写英文字母、数字和“-”")]
    BadName { name: String, suggestion: String },
    #[error("{} 已存在", .0.display())]
    Exists(PathBuf),
    #[error("找不到通报“{0}”")]
    NoSuchNotice(String),
    #[error("无法写入 {}：{message}", path.display())]
    Io { path: PathBuf, message: String },
}

impl Hint for ScaffoldError {
    fn code(&self) -> &'static str {
        match self {
            ScaffoldError::NotEmpty(..) => "GK1001",
            ScaffoldError::BadName { .. } => "GK1002",
            ScaffoldError::Exists(..) => "GK1003",
            ScaffoldError::NoSuchNotice(..) => "GK1004",
            ScaffoldError::Io { .. } => "GK1005",
        }
    }

    fn hint(&self) -> Option<String> {
        match self {
            ScaffoldError::NotEmpty(_) => Some("请指定一个新目录".into()),
            ScaffoldError::BadName { suggestion, .. } => Some(format!("可改用“{suggestion}”")),
            ScaffoldError::Exists(_) => Some("换一个名称，或直接编辑已有的文件".into()),
            ScaffoldError::NoSuchNotice(_) => Some(format!(
                "通报是 {CONTENT_DIR}/{NOTICES_DIR}/ 下的文件夹名；先用 gongkai new notice <名称> 创建"
            )),
            ScaffoldError::Io { .. } => None,
        }
    }
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> ScaffoldError + '_ {
    move |error| ScaffoldError::Io {
        path: path.to_path_buf(),
        message: error.to_string(),
    }
}

fn checked_slug(name: &str) -> Result<&str, ScaffoldError> {
    if is_valid_slug(name) {
        Ok(name)
    } else {
        Err(ScaffoldError::BadName {
            name: name.to_owned(),
            suggestion: suggest_slug(name),
        })
    }
}

fn write_new(path: &Path, text: &str) -> Result<(), ScaffoldError> {
    if path.exists() {
        return Err(ScaffoldError::Exists(path.to_path_buf()));
    }
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(io(parent))?;
    }
    fs::write(path, text).map_err(io(path))
}

/// Creates a new site in `dir`: site.yaml, an example notice with issues,
/// a contact page and the default theme.
pub fn init(dir: &Path) -> Result<Vec<PathBuf>, ScaffoldError> {
    refuse_non_empty(dir)?;
    let mut written = write_starter(&STARTER, dir)?;
    written.push(write_theme(dir)?);
    written.sort();
    Ok(written)
}

/// Creates a new aggregate portal in `dir`: a site.yaml listing its
/// sources, a home text, a contact page, the default theme, and one
/// sample unit's open data (made from the `init` starter, as a unit's
/// build would publish it) so that it builds at once.
pub fn init_aggregate(dir: &Path) -> Result<Vec<PathBuf>, ScaffoldError> {
    refuse_non_empty(dir)?;
    let mut written = write_starter(&AGGREGATE_STARTER, dir)?;
    written.push(write_theme(dir)?);
    written.extend(write_sample_unit_data(dir)?);
    written.sort();
    Ok(written)
}

/// The default theme's files under `dir/themes/default`, to read and copy.
fn write_theme(dir: &Path) -> Result<PathBuf, ScaffoldError> {
    let theme = dir.join("themes").join("default");
    write_default_theme(&theme).map_err(io(&theme))?;
    Ok(theme)
}

fn refuse_non_empty(dir: &Path) -> Result<(), ScaffoldError> {
    if dir.exists() && fs::read_dir(dir).map_err(io(dir))?.next().is_some() {
        return Err(ScaffoldError::NotEmpty(dir.to_path_buf()));
    }
    Ok(())
}

/// Writes every file of `starter` under `dir`.
fn write_starter(starter: &Dir<'static>, dir: &Path) -> Result<Vec<PathBuf>, ScaffoldError> {
    let mut written = Vec::new();
    let mut stack = vec![starter];
    while let Some(folder) = stack.pop() {
        stack.extend(folder.dirs());
        for file in folder.files() {
            let target = dir.join(file.path());
            write_new(&target, file.contents_utf8().unwrap_or_default())?;
            written.push(target);
        }
    }
    Ok(written)
}

/// The `init` starter unit's open data, written to [`SAMPLE_UNIT_DATA`]:
/// the starter is written to a folder of its own inside `dir`, loaded as
/// a build loads it, and that folder removed again.
fn write_sample_unit_data(dir: &Path) -> Result<Vec<PathBuf>, ScaffoldError> {
    let unit = dir.join(".gongkai-sample-unit");
    write_starter(&STARTER, &unit)?;
    let options = crate::Options {
        root: unit.clone(),
        ..crate::Options::default()
    };
    let prepared = crate::prepare(&options);
    fs::remove_dir_all(&unit).map_err(io(&unit))?;
    let prepared = prepared.map_err(|problems| ScaffoldError::Io {
        path: unit.clone(),
        message: problems
            .first()
            .map_or_else(String::new, |problem| problem.to_string()),
    })?;
    let mut written = Vec::new();
    for (path, text) in &prepared.generated {
        let Some(name) = path.strip_prefix(crate::export::data::FOLDER) else {
            continue;
        };
        let target = dir.join(SAMPLE_UNIT_DATA).join(name);
        write_new(&target, text)?;
        written.push(target);
    }
    Ok(written)
}

/// Creates `content/notices/<slug>/index.md` with every field to fill in.
pub fn new_notice(root: &Path, slug: &str, today: Date) -> Result<PathBuf, ScaffoldError> {
    let slug = checked_slug(slug)?;
    let folder = root.join(CONTENT_DIR).join(NOTICES_DIR).join(slug);
    if folder.exists() {
        return Err(ScaffoldError::Exists(folder));
    }
    let path = folder.join(NOTICE_FILE);
    write_new(&path, &notice_template(today))?;
    fs::create_dir_all(folder.join(ISSUES_DIR)).map_err(io(&folder))?;
    Ok(path)
}

fn notice_template(today: Date) -> String {
    let front = NoticeFront {
        title: "中共××委员会关于巡察整改进展情况的通报".to_owned(),
        organization: "中共××委员会".to_owned(),
        published: today,
        written: Some(today),
        index_no: Some(String::new()),
        doc_no: Some("无".to_owned()),
        category: Some("巡察整改".to_owned()),
        validity: Some("有效".to_owned()),
        inspection: Inspection {
            body: Some("××第×巡察组".to_owned()),
            start: Some(today),
            end: Some(today),
            feedback: Some(today),
        },
        declared: Declared::default(),
        supervision: Supervision::default(),
        draft: true,
        as_of: None,
    };
    format!(
        r#"{}
根据××统一部署，××第×巡察组于××年×月×日至×月×日对我单位开展了巡察，并于×月×日反馈了巡察意见。按照巡察工作有关要求，现将巡察整改进展情况予以公布。

## 一、整改工作组织情况

（在此写整改工作的组织领导、方案制定、推进机制等。）

## 二、整改落实情况

<!-- issues -->

## 三、下一步工作打算

（在此写下一步工作打算。）
"#,
        front.front_matter()
    )
}

/// Creates `content/notices/<notice>/issues/NN-<slug>.md`, numbered after the last issue.
pub fn new_issue(
    root: &Path,
    notice: &str,
    slug: &str,
    today: Date,
) -> Result<PathBuf, ScaffoldError> {
    let notice = checked_slug(notice)?;
    let slug = checked_slug(slug)?;
    let folder = root.join(CONTENT_DIR).join(NOTICES_DIR).join(notice);
    if !folder.join(NOTICE_FILE).is_file() {
        return Err(ScaffoldError::NoSuchNotice(notice.to_owned()));
    }
    let issues = folder.join(ISSUES_DIR);
    let name = if leading_number(slug).is_some() {
        format!("{slug}.md")
    } else {
        let last = fs::read_dir(&issues)
            .map(|entries| {
                entries
                    .filter_map(Result::ok)
                    .filter_map(|entry| leading_number(entry.path().file_stem()?.to_str()?))
                    .max()
                    .unwrap_or(0)
            })
            .unwrap_or(0);
        format!("{:02}-{slug}.md", last + 1)
    };
    let path = issues.join(name);
    write_new(&path, &issue_template(today))?;
    Ok(path)
}

/// A new issue, its status confirmed `today`.
fn issue_template(today: Date) -> String {
    let front = IssueFront {
        title: "（问题标题）".to_owned(),
        aspect: Some("（所属方面，没有可删去此行）".to_owned()),
        item: Some("（所属大项，没有可删去此行）".to_owned()),
        status: Status::InProgress,
        long_term: false,
        deadline: Date::new(2025, 12, 31),
        department: Some("党委办公室".to_owned()),
        lead: Some("党委书记".to_owned()),
        order: None,
        updated: Some(today),
        completed: None,
        progress: Vec::new(),
    };
    format!("{}\n**整改措施：**一是……；二是……。\n", front.front_matter())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issues_are_numbered_after_the_last_one() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let today = Date::new(2025, 3, 17).ok_or("date")?;
        new_notice(dir.path(), "2025-xuncha", today)?;
        let first = new_issue(dir.path(), "2025-xuncha", "lingdao", today)?;
        assert!(
            fs::read_to_string(&first)?.contains("\nupdated: 2025-03-17\n"),
            "a new issue says when its status was confirmed"
        );
        let issues = first.parent().ok_or("parent")?;
        fs::write(issues.join("07-caiwu.md"), "")?;
        let next = new_issue(dir.path(), "2025-xuncha", "renshi", today)?;
        assert!(first.ends_with("01-lingdao.md"));
        assert!(next.ends_with("08-renshi.md"));
        Ok(())
    }

    #[test]
    fn chinese_names_are_refused_with_a_pinyin_suggestion() {
        let error = new_notice(Path::new("/nonexistent"), "巡察整改", Date::today());
        assert_eq!(
            error,
            Err(ScaffoldError::BadName {
                name: "巡察整改".into(),
                suggestion: "xunchazhenggai".into()
            })
        );
    }

    #[test]
    fn init_refuses_a_folder_with_files() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        fs::write(dir.path().join("x"), "")?;
        assert!(matches!(init(dir.path()), Err(ScaffoldError::NotEmpty(_))));
        Ok(())
    }
}
