//! Markdown → HTML: pulldown-cmark with tables, footnotes and strikethrough,
//! heading anchors that keep Chinese, site-absolute links made relative, and
//! raw HTML cleaned by ammonia.

use std::collections::HashMap;
use std::sync::LazyLock;

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd, html};

/// The line in a notice body that marks where the generated issue list goes.
pub const ISSUES_MARKER: &str = "<!-- issues -->";

/// How to turn one Markdown text into HTML.
#[derive(Debug, Clone, Copy)]
pub struct Settings<'a> {
    /// Clean raw HTML and unsafe link schemes.
    pub sanitize: bool,
    /// The relative path from the page to the site root (`../../`), put in
    /// front of site-absolute links (`/pages/lianxi/`) so they work under any
    /// base URL and from a local folder.
    pub root: &'a str,
}

/// Splits a notice body at the [`ISSUES_MARKER`] line: the text before it,
/// and the text after it when the marker is there.
pub fn split_at_issues_marker(markdown: &str) -> (&str, Option<&str>) {
    let mut offset = 0;
    for line in markdown.split_inclusive('\n') {
        if line.trim() == ISSUES_MARKER {
            return (&markdown[..offset], Some(&markdown[offset + line.len()..]));
        }
        offset += line.len();
    }
    (markdown, None)
}

pub fn to_html(markdown: &str, settings: Settings) -> String {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES;
    let mut needs_cleaning = false;
    let mut events: Vec<Event> = Vec::new();
    for event in Parser::new_ext(markdown, options) {
        let event = match event {
            Event::Html(_) | Event::InlineHtml(_) => {
                needs_cleaning = true;
                event
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                needs_cleaning |= has_unsafe_scheme(&dest_url);
                Event::Start(Tag::Link {
                    link_type,
                    dest_url: relative_to_root(dest_url, settings.root),
                    title,
                    id,
                })
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                needs_cleaning |= has_unsafe_scheme(&dest_url);
                Event::Start(Tag::Image {
                    link_type,
                    dest_url: relative_to_root(dest_url, settings.root),
                    title,
                    id,
                })
            }
            other => other,
        };
        events.push(event);
    }
    add_heading_ids(&mut events);
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, events.into_iter());
    if settings.sanitize && needs_cleaning {
        CLEANER.clean(&out).to_string()
    } else {
        out
    }
}

static CLEANER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut builder = ammonia::Builder::default();
    builder
        .add_generic_attributes(["id"])
        .add_tag_attributes("div", ["class"])
        .add_tag_attributes("sup", ["class"])
        .add_tag_attributes("span", ["class"])
        .add_tag_attributes("td", ["style"])
        .add_tag_attributes("th", ["style"])
        .url_schemes(["http", "https", "mailto", "tel"].into_iter().collect())
        .link_rel(Some("noopener noreferrer"));
    builder
});

fn has_unsafe_scheme(url: &str) -> bool {
    let scheme_end = url.find(':');
    let Some(end) = scheme_end else { return false };
    let scheme = &url[..end];
    let looks_like_scheme = scheme
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    looks_like_scheme
        && !["http", "https", "mailto", "tel"]
            .iter()
            .any(|safe| scheme.eq_ignore_ascii_case(safe))
}

/// `/pages/lianxi/` → `../../pages/lianxi/index.html` for a page two levels deep.
fn relative_to_root<'a>(url: CowStr<'a>, root: &str) -> CowStr<'a> {
    match url.strip_prefix('/') {
        Some(path) if !path.starts_with('/') => {
            let (path, fragment) = match path.find(['#', '?']) {
                Some(at) => path.split_at(at),
                None => (path, ""),
            };
            let index = if path.is_empty() || path.ends_with('/') {
                "index.html"
            } else {
                ""
            };
            CowStr::from(format!("{root}{path}{index}{fragment}"))
        }
        _ => url,
    }
}

fn add_heading_ids(events: &mut [Event]) {
    let mut used: HashMap<String, usize> = HashMap::new();
    let mut index = 0;
    while index < events.len() {
        if let Event::Start(Tag::Heading { id: None, .. }) = &events[index] {
            let mut text = String::new();
            for event in &events[index + 1..] {
                match event {
                    Event::End(TagEnd::Heading(_)) => break,
                    Event::Text(t) | Event::Code(t) => text.push_str(t),
                    _ => {}
                }
            }
            let base = anchor(&text);
            let count = used.entry(base.clone()).or_insert(0);
            let id = if *count == 0 {
                base
            } else {
                format!("{base}-{count}")
            };
            *count += 1;
            if let Event::Start(Tag::Heading { id: slot, .. }) = &mut events[index] {
                *slot = Some(CowStr::from(id));
            }
        }
        index += 1;
    }
}

/// An anchor for a heading that keeps Chinese characters: `一、整改工作组织情况`
/// → `一整改工作组织情况`; browsers handle such fragments in every address bar.
pub fn anchor(text: &str) -> String {
    let mut id = String::new();
    for c in text.trim().chars() {
        if c.is_alphanumeric() {
            id.extend(c.to_lowercase());
        } else if (c.is_whitespace() || c == '-' || c == '_') && !id.ends_with('-') && !id.is_empty() {
            id.push('-');
        }
    }
    let id = id.trim_end_matches('-').to_owned();
    if id.is_empty() { "section".into() } else { id }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(markdown: &str) -> String {
        to_html(
            markdown,
            Settings {
                sanitize: true,
                root: "../../",
            },
        )
    }

    #[test]
    fn chinese_headings_get_unique_anchors() {
        let html = render("## 一、整改工作组织情况\n\n## 一、整改工作组织情况\n");
        assert!(html.contains(r#"<h2 id="一整改工作组织情况">"#), "{html}");
        assert!(html.contains(r#"<h2 id="一整改工作组织情况-1">"#), "{html}");
    }

    #[test]
    fn tables_footnotes_and_strikethrough_render() {
        let html = render("|a|b|\n|-|-|\n|1|2|\n\n~~旧~~ 新[^1]\n\n[^1]: 注释\n");
        assert!(html.contains("<table>"));
        assert!(html.contains("<del>旧</del>"));
        assert!(html.contains("footnote-definition"));
    }

    #[test]
    fn raw_html_is_cleaned() {
        let html = render("<script>alert(1)</script>\n\n<b onclick=\"x()\">粗</b> [x](javascript:alert(1))\n");
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("onclick"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
        assert!(html.contains("<b>粗</b>"), "{html}");
    }

    #[test]
    fn raw_html_is_kept_when_sanitizing_is_off() {
        let html = to_html("<span onclick=\"x()\">a</span>", Settings { sanitize: false, root: "" });
        assert!(html.contains("onclick"));
    }

    #[test]
    fn site_absolute_links_become_relative_to_the_page() {
        let html = render("[联系](/pages/lianxi/) [首页](/) [图](/img/a.png#x) [外](https://x.cn/)");
        assert!(html.contains(r#"href="../../pages/lianxi/index.html""#), "{html}");
        assert!(html.contains(r#"href="../../index.html""#), "{html}");
        assert!(html.contains(r#"href="../../img/a.png#x""#), "{html}");
        assert!(html.contains(r#"href="https://x.cn/""#), "{html}");
    }

    #[test]
    fn issues_marker_splits_the_body() {
        let (before, after) = split_at_issues_marker("一\n<!-- issues -->\n二\n");
        assert_eq!((before, after), ("一\n", Some("二\n")));
        assert_eq!(split_at_issues_marker("一\n"), ("一\n", None));
    }
}
