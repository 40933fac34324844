//! docs/themes.md lists the variables of every template; this renders each
//! page template with `{{ __tera_context }}` on the fixture site and holds
//! the document to what the templates are really given.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::Site;

/// The keys of the outermost object of Tera's context dump (JSON-like).
fn keys_at_depth_one(dump: &str) -> BTreeSet<String> {
    let mut keys = BTreeSet::new();
    let mut depth = 0;
    let mut chars = dump.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        match c {
            '"' => {
                let mut end = at + 1;
                while let Some((i, c)) = chars.next() {
                    end = i;
                    match c {
                        '\\' => {
                            chars.next();
                        }
                        '"' => break,
                        _ => {}
                    }
                }
                if depth == 1 && dump[end + 1..].starts_with(": ") {
                    keys.insert(dump[at + 1..end].to_owned());
                }
            }
            '{' | '[' => depth += 1,
            '}' | ']' => depth -= 1,
            _ => {}
        }
    }
    keys
}

/// The `Variables:` (and `Site keys:`) lists of docs/themes.md, by the
/// template heading above them (`every` for the common ones).
fn documented() -> BTreeMap<String, BTreeSet<String>> {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/themes.md"))
        .expect("docs/themes.md");
    let mut lists = BTreeMap::new();
    let mut section = String::new();
    for line in doc.lines() {
        if line.starts_with("## Every template") {
            section = "every".to_owned();
        } else if let Some(rest) = line.strip_prefix("### `") {
            section = rest.split('`').next().unwrap_or_default().to_owned();
        }
        let (list, key) = if let Some(rest) = line.strip_prefix("Variables: ") {
            (rest, section.clone())
        } else if let Some(rest) = line.strip_prefix("Site keys: ") {
            (rest, "site".to_owned())
        } else {
            continue;
        };
        let names: BTreeSet<String> = list
            .split('`')
            .skip(1)
            .step_by(2)
            .map(str::to_owned)
            .collect();
        lists.insert(key, names);
    }
    lists
}

#[test]
fn every_template_gets_exactly_the_variables_docs_themes_md_lists() {
    let site = Site::new();
    let pages = [
        ("index.html", "public/index.html"),
        ("notices.html", "public/notices/index.html"),
        ("organizations.html", "public/organizations/index.html"),
        ("notice.html", "public/notices/2025-ceshi/index.html"),
        (
            "issue.html",
            "public/notices/2025-ceshi/issues/02-xuexi/index.html",
        ),
        ("listing.html", "public/status/completed/index.html"),
        ("page.html", "public/lianxi/index.html"),
        ("search.html", "public/search/index.html"),
        ("data.html", "public/data/index.html"),
        ("sitemap.html", "public/sitemap/index.html"),
        ("404.html", "public/404.html"),
    ];
    for (template, _) in pages {
        site.write(
            &format!("templates/{template}"),
            "{{ __tera_context | safe }}",
        );
    }
    site.build().assert_ok();
    let documented = documented();
    let every = &documented["every"];
    for (template, file) in pages {
        let dump = std::fs::read_to_string(site.path(file)).expect("page");
        let given = keys_at_depth_one(&dump);
        let listed: BTreeSet<String> = documented
            .get(template)
            .unwrap_or_else(|| panic!("docs/themes.md has no section for {template}"))
            .union(every)
            .cloned()
            .collect();
        assert_eq!(
            given, listed,
            "{template}: given (left) and documented (right)"
        );
        let site_at = dump.find("\"site\": {").expect("site") + "\"site\": ".len();
        assert_eq!(
            keys_at_depth_one(&dump[site_at..]),
            documented["site"],
            "{template}: site keys"
        );
    }
}
