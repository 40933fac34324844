//! What an import found and guessed, for the clerk (text) and for
//! programs (JSON).

use std::fmt::Write as _;

use super::Imported;
use crate::load::content::Declared;
use crate::model::status::Status;

/// What [`report`] says, for programs: the fields found, the counts, every
/// guess and every line dropped.
pub fn report_json(imported: &Imported) -> serde_json::Value {
    let m = &imported.metadata;
    let issues = &imported.issues;
    let count = |status: Status| issues.iter().filter(|i| i.front.status == status).count();
    serde_json::json!({
        "title": m.title,
        "organization": m.organization,
        "published": m.published.map(|d| d.to_string()),
        "draft": m.front().draft,
        "declared": {
            "aspects": m.declared.aspects,
            "items": m.declared.items,
            "problems": m.declared.problems,
        },
        "problems": issues.len(),
        "statuses": {
            "completed": count(Status::Completed),
            "partial": count(Status::Partial),
            "in_progress": count(Status::InProgress),
            "long_term": issues.iter().filter(|i| i.front.long_term).count(),
        },
        "issues": issues.iter().map(|issue| serde_json::json!({
            "title": issue.front.title,
            "aspect": issue.front.aspect,
            "item": issue.front.item,
            "status": issue.front.status.key(),
            "long_term": issue.front.long_term,
            "deadline": issue.front.deadline.map(|d| d.to_string()),
            "department": issue.front.department,
        })).collect::<Vec<_>>(),
        "guesses": imported.guesses,
        "dropped": imported.dropped,
    })
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
