//! The search index: every notice and issue as plain text, in a script file
//! the search page loads, so that search works on any static host and from
//! a folder opened from disk. Matching is by substring (see docs/search.md).

use std::borrow::Cow;
use std::fmt;

use serde::{Serialize, Serializer};

use crate::escape::ScriptSafe;
use crate::site::Site;

pub const INDEX_PATH: &str = "search/index.js";

#[derive(Serialize)]
struct Document<'a> {
    /// Title.
    t: &'a str,
    /// Path from the root.
    u: &'a str,
    /// Title of the notice, for issues.
    #[serde(skip_serializing_if = "Option::is_none")]
    n: Option<&'a str>,
    /// Status key, for issues.
    #[serde(skip_serializing_if = "Option::is_none")]
    s: Option<&'static str>,
    /// Overdue, for issues.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    d: bool,
    /// Index into `organizations`.
    o: usize,
    /// The searchable text, without the title: every field the page shows,
    /// each after its label (so that a snippet says which field matched),
    /// then the body.
    #[serde(serialize_with = "joined")]
    x: Vec<Cow<'a, str>>,
}

/// Parts written as one string with spaces between, without joining them first.
fn joined<S: Serializer>(parts: &[Cow<str>], serializer: S) -> Result<S::Ok, S::Error> {
    struct Joined<'a>(&'a [Cow<'a, str>]);
    impl fmt::Display for Joined<'_> {
        fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
            for (i, part) in self.0.iter().enumerate() {
                if i > 0 {
                    f.write_str(" ")?;
                }
                f.write_str(part)?;
            }
            Ok(())
        }
    }
    serializer.collect_str(&Joined(parts))
}

#[derive(Serialize)]
struct Index<'a> {
    organizations: Vec<&'a str>,
    documents: Vec<Document<'a>>,
}

/// A date in both the forms a reader may type: `2025年9月30日 2025-09-30`.
fn dated(date: crate::model::date::Date) -> String {
    format!("{} {date}", date.chinese())
}

/// The script that defines `window.GONGKAI_SEARCH`.
pub fn index(site: &Site) -> String {
    let organizations: Vec<&str> = site.organizations.iter().map(|g| g.name.as_str()).collect();
    let organization_of = |name: &str| organizations.iter().position(|o| *o == name).unwrap_or(0);
    let mut documents = Vec::with_capacity(site.notices.len() + site.totals.total);
    for notice in &site.notices {
        let o = organization_of(&notice.front.organization);
        documents.push(Document {
            t: &notice.front.title,
            u: &notice.path,
            n: None,
            s: None,
            d: false,
            o,
            x: vec![
                Cow::Owned(format!("发布机构：{}", notice.front.organization)),
                Cow::Owned(format!("发布日期：{}", dated(notice.front.published))),
                Cow::Borrowed(&notice.text),
            ],
        });
        for issue in &notice.issues {
            let front = &issue.front;
            let fields = [
                ("所属方面", front.aspect.as_deref()),
                ("所属大项", front.item.as_deref()),
                ("责任科室", front.department.as_deref()),
                ("牵头领导", front.lead.as_deref()),
            ];
            // Its notice's issuing body is searched through `o`, not
            // written again for every issue.
            let mut text: Vec<Cow<str>> = Vec::with_capacity(fields.len() + 3);
            text.extend(fields.iter().filter_map(|(label, value)| {
                value.map(|value| Cow::Owned(format!("{label}：{value}")))
            }));
            if let Some(deadline) = front.deadline {
                text.push(Cow::Owned(format!("完成时限：{}", dated(deadline))));
            }
            if let Some(completed) = front.completed {
                text.push(Cow::Owned(format!("完成日期：{}", dated(completed))));
            }
            text.push(Cow::Borrowed(&issue.text));
            documents.push(Document {
                t: &issue.front.title,
                u: &issue.path,
                n: Some(&notice.front.title),
                s: Some(issue.front.status.key()),
                d: issue.overdue,
                o,
                x: text,
            });
        }
    }
    // Sized up front: growing a buffer of this size by doubling would hold
    // up to three times the index at once.
    let text: usize = documents
        .iter()
        .map(|d| {
            d.t.len()
                + d.u.len()
                + d.n.map_or(0, str::len)
                + d.x.iter().map(|x| x.len() + 1).sum::<usize>()
        })
        .sum();
    let mut out = Vec::with_capacity(text + text / 8 + 64 * documents.len() + 1024);
    out.extend_from_slice(b"window.GONGKAI_SEARCH=");
    let mut script = ScriptSafe { out };
    let index = Index {
        organizations: organizations.clone(),
        documents,
    };
    if serde_json::to_writer(&mut script, &index).is_err() {
        script.out.extend_from_slice(b"{}");
    }
    script.out.extend_from_slice(b";\n");
    script.into_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_that_would_end_the_script_element_is_escaped_and_reads_the_same() {
        let mut script = ScriptSafe::default();
        let text = "整改</script><script>alert(1)</script>完成";
        let parts = [Cow::Borrowed("一是"), Cow::Borrowed(text)];
        serde_json::to_writer(&mut script, &Joined(&parts)).expect("json");
        let written = script.into_string();
        assert!(!written.contains('<'), "{written}");
        let read: String = serde_json::from_str(&written).expect("valid JSON");
        assert_eq!(read, format!("一是 {text}"));
    }

    /// `joined`, as a value of its own.
    struct Joined<'a>(&'a [Cow<'a, str>]);

    impl Serialize for Joined<'_> {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            joined(self.0, serializer)
        }
    }
}
