//! The search index: every notice and issue as plain text, in a script file
//! the search page loads, so that search works on any static host and from
//! a folder opened from disk. Matching is by substring (see docs/search.md).

use serde::Serialize;

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
    /// The searchable text, without the title.
    x: String,
}

#[derive(Serialize)]
struct Index<'a> {
    organizations: Vec<&'a str>,
    documents: Vec<Document<'a>>,
}

/// The script that defines `window.GONGKAI_SEARCH`.
pub fn index(site: &Site) -> String {
    let organizations: Vec<&str> = site.organizations.iter().map(|g| g.name.as_str()).collect();
    let organization_of = |name: &str| organizations.iter().position(|o| *o == name).unwrap_or(0);
    let mut documents = Vec::new();
    for notice in &site.notices {
        let o = organization_of(&notice.front.organization);
        documents.push(Document {
            t: &notice.front.title,
            u: &notice.path,
            n: None,
            s: None,
            d: false,
            o,
            x: format!("{} {}", notice.front.organization, notice.text),
        });
        for issue in &notice.issues {
            let groups = [
                &issue.front.aspect,
                &issue.front.item,
                &issue.front.department,
            ];
            let mut text: Vec<&str> = groups.iter().filter_map(|g| g.as_deref()).collect();
            text.push(&issue.text);
            documents.push(Document {
                t: &issue.front.title,
                u: &issue.path,
                n: Some(&notice.front.title),
                s: Some(issue.front.status.key()),
                d: issue.overdue,
                o,
                x: text.join(" "),
            });
        }
    }
    let index = Index {
        organizations: organizations.clone(),
        documents,
    };
    // `</` would end the script element early; `<\/` reads the same in JSON.
    let json = serde_json::to_string(&index)
        .unwrap_or_else(|_| "{}".to_owned())
        .replace("</", "<\\/");
    format!("window.GONGKAI_SEARCH={json};\n")
}
