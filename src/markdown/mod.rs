//! Markdown → HTML: pulldown-cmark with tables, footnotes and strikethrough,
//! heading anchors that keep Chinese, site-absolute links made relative, and
//! everything that could run script taken out ([`safety`]): link and image
//! addresses keep to safe schemes, headings keep only `{#id .class}`, and
//! raw HTML is cleaned by ammonia.

pub mod safety;

use std::collections::HashMap;
use std::sync::LazyLock;

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd, html};

use safety::{CLEANER, is_safe_url};

/// The Markdown the site is written in; `check` reads bodies with the same.
pub const OPTIONS: Options = Options::ENABLE_TABLES
    .union(Options::ENABLE_FOOTNOTES)
    .union(Options::ENABLE_STRIKETHROUGH)
    .union(Options::ENABLE_HEADING_ATTRIBUTES);

/// The line in a notice body that marks where the generated issue list goes.
pub const ISSUES_MARKER: &str = "<!-- issues -->";

/// How to turn one Markdown text into HTML.
#[derive(Debug, Clone, Copy)]
pub struct Settings<'a> {
    /// Clean raw HTML (`sanitize_html`). Markdown's own links, images and
    /// headings are made safe either way.
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

/// A Markdown text as HTML, and as plain text for the search index.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Rendered {
    pub html: String,
    pub text: String,
}

pub fn to_html(markdown: &str, settings: Settings) -> String {
    render(markdown, settings).html
}

/// Renders `markdown`; the plain text is its words with blocks separated by spaces.
pub fn render(markdown: &str, settings: Settings) -> Rendered {
    let source = markdown;
    let marked = mark_cjk_strong(markdown);
    let markdown = marked.as_deref().unwrap_or(markdown);
    let root = settings.root;
    let mut events: Vec<Event> = Parser::new_ext(markdown, OPTIONS)
        .map(|event| made_safe(event, root))
        .collect();
    if safety::markdown_too_deep(&events) {
        // Nobody can read a thousand nested quotes: shown as the text it is.
        let as_text = [
            Event::Start(Tag::Paragraph),
            Event::Text(CowStr::Borrowed(source)),
            Event::End(TagEnd::Paragraph),
        ];
        let mut html = String::with_capacity(source.len() + 8);
        html::push_html(&mut html, as_text.into_iter());
        return Rendered {
            html,
            text: source.to_owned(),
        };
    }
    let mut needs_cleaning = settings.sanitize
        && events
            .iter()
            .any(|event| matches!(event, Event::Html(_) | Event::InlineHtml(_)));
    if needs_cleaning && safety::html_too_deep(&events) {
        // Too deep to clean in linear time: shown as the text it is, which
        // leaves nothing to clean.
        for event in &mut events {
            if let Event::Html(html) | Event::InlineHtml(html) = event {
                *event = Event::Text(std::mem::replace(html, CowStr::Borrowed("")));
            }
        }
        needs_cleaning = false;
    }
    let mut events = pair_cjk_strong(events);
    add_heading_ids(&mut events);
    let text = plain_text(&events);
    let events = label_table_cells(link_contacts(events));
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, events.into_iter());
    let html = if needs_cleaning {
        CLEANER.clean(&out).to_string()
    } else {
        out
    };
    Rendered { html, text }
}

/// An e-mail address or a telephone number with its area code
/// (`0870-3000000`).
static CONTACT: LazyLock<regex::Regex> = LazyLock::new(|| {
    regex::Regex::new(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+|0[0-9]{2,3}-[0-9]{7,8}")
        .expect("a valid pattern")
});

/// Whether `text` can hold a [`CONTACT`]: both kinds need `@` or `-`.
fn may_hold_contact(text: &str) -> bool {
    text.contains('@') || text.contains('-')
}

/// E-mail addresses and telephone numbers in the text made `mailto:` and
/// `tel:` links, as a reader on a phone expects of a contact page; text
/// already in a link, an image or code is left as it is.
fn link_contacts(events: Vec<Event<'_>>) -> Vec<Event<'_>> {
    // Most bodies have neither: left as they are, without a copy.
    if !events
        .iter()
        .any(|event| matches!(event, Event::Text(text) if may_hold_contact(text)))
    {
        return events;
    }
    let mut inside = 0usize;
    let mut out = Vec::with_capacity(events.len());
    for event in events {
        match &event {
            Event::Start(Tag::Link { .. } | Tag::Image { .. } | Tag::CodeBlock(_)) => inside += 1,
            Event::End(TagEnd::Link | TagEnd::Image | TagEnd::CodeBlock) => {
                inside = inside.saturating_sub(1)
            }
            Event::InlineHtml(html) | Event::Html(html) => {
                let tag = html.trim_start().to_ascii_lowercase();
                if tag.starts_with("<a ") || tag.starts_with("<a>") {
                    inside += 1;
                } else if tag.starts_with("</a") {
                    inside = inside.saturating_sub(1);
                }
            }
            Event::Text(text)
                if inside == 0 && may_hold_contact(text) && CONTACT.is_match(text) =>
            {
                let text = text.to_string();
                let mut rest = 0;
                for found in CONTACT.find_iter(&text) {
                    let before = text[..found.start()].chars().next_back();
                    let after = text[found.end()..].chars().next();
                    let value = found.as_str();
                    let address = if value.contains('@') {
                        format!("mailto:{value}")
                    } else if before.is_some_and(|c| c.is_ascii_digit() || c == '-')
                        || after.is_some_and(|c| c.is_ascii_digit() || c == '-')
                    {
                        // Part of a longer number (a document or account number).
                        continue;
                    } else {
                        format!("tel:{}", value.replace('-', ""))
                    };
                    if found.start() > rest {
                        out.push(Event::Text(CowStr::from(
                            text[rest..found.start()].to_owned(),
                        )));
                    }
                    out.push(Event::Start(Tag::Link {
                        link_type: pulldown_cmark::LinkType::Autolink,
                        dest_url: CowStr::from(address),
                        title: CowStr::Borrowed(""),
                        id: CowStr::Borrowed(""),
                    }));
                    out.push(Event::Text(CowStr::from(value.to_owned())));
                    out.push(Event::End(TagEnd::Link));
                    rest = found.end();
                }
                if rest < text.len() {
                    out.push(Event::Text(CowStr::from(text[rest..].to_owned())));
                }
                continue;
            }
            _ => {}
        }
        out.push(event);
    }
    out
}

/// Each body cell of a table labelled with its column's heading
/// (`data-label`), so that on a phone, where a row becomes a card, every
/// value says what it is.
fn label_table_cells(events: Vec<Event<'_>>) -> Vec<Event<'_>> {
    if !events
        .iter()
        .any(|event| matches!(event, Event::Start(Tag::Table(_))))
    {
        return events;
    }
    let mut alignments = Vec::new();
    let mut headings: Vec<String> = Vec::new();
    let mut in_head = false;
    let mut column = 0;
    let mut out = Vec::with_capacity(events.len());
    for event in events {
        match &event {
            Event::Start(Tag::Table(aligned)) => {
                alignments = aligned.clone();
                headings.clear();
            }
            Event::Start(Tag::TableHead) => in_head = true,
            Event::End(TagEnd::TableHead) => in_head = false,
            Event::Start(Tag::TableRow) => column = 0,
            Event::Start(Tag::TableCell) if in_head => headings.push(String::new()),
            Event::Text(text) | Event::Code(text) if in_head => {
                if let Some(heading) = headings.last_mut() {
                    heading.push_str(text);
                }
            }
            Event::Start(Tag::TableCell) => {
                let label = headings.get(column).map_or("", |h| h.trim());
                let align = match alignments.get(column) {
                    Some(pulldown_cmark::Alignment::Left) => " style=\"text-align: left\"",
                    Some(pulldown_cmark::Alignment::Center) => " style=\"text-align: center\"",
                    Some(pulldown_cmark::Alignment::Right) => " style=\"text-align: right\"",
                    _ => "",
                };
                let mut cell = String::from("<td");
                if !label.is_empty() {
                    cell.push_str(" data-label=\"");
                    // Writing to a String cannot fail.
                    let _ = pulldown_cmark_escape::escape_html(&mut cell, label);
                    cell.push('"');
                }
                cell.push_str(align);
                cell.push('>');
                out.push(Event::InlineHtml(CowStr::from(cell)));
                continue;
            }
            Event::End(TagEnd::TableCell) if !in_head => {
                column += 1;
                out.push(Event::InlineHtml(CowStr::Borrowed("</td>")));
                continue;
            }
            _ => {}
        }
        out.push(event);
    }
    out
}

/// An event as it may reach the page: link and image addresses made
/// relative to the page, and emptied when their scheme is not allowed;
/// headings without attributes other than their id and classes.
fn made_safe<'a>(event: Event<'a>, root: &str) -> Event<'a> {
    let address = |url: CowStr<'a>| {
        if is_safe_url(&url) {
            relative_to_root(url, root)
        } else {
            CowStr::Borrowed("")
        }
    };
    match event {
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Link {
            link_type,
            dest_url: address(dest_url),
            title,
            id,
        }),
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Image {
            link_type,
            dest_url: address(dest_url),
            title,
            id,
        }),
        Event::Start(Tag::Heading {
            level, id, classes, ..
        }) => Event::Start(Tag::Heading {
            level,
            id,
            classes,
            attrs: Vec::new(),
        }),
        other => other,
    }
}

fn plain_text(events: &[Event]) -> String {
    let mut text = String::new();
    for event in events {
        match event {
            Event::Text(t) | Event::Code(t) => text.push_str(t),
            Event::SoftBreak | Event::End(TagEnd::TableCell)
                if !text.ends_with([' ', '\n']) && !text.is_empty() =>
            {
                text.push(' ')
            }
            // A line per block, so that the ledger's measures read as written.
            Event::HardBreak
            | Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::TableRow
                | TagEnd::TableHead
                | TagEnd::BlockQuote(_),
            ) if !text.is_empty() => {
                if text.ends_with(' ') {
                    text.pop();
                }
                if !text.ends_with('\n') {
                    text.push('\n');
                }
            }
            _ => {}
        }
    }
    text.trim_end().to_owned()
}

/// A path from the site root (`notices/a/`) as a link from a page whose way
/// back to the root is `root`: `../../notices/a/index.html`. `index.html` is
/// spelt out so that links also work when the output is opened from disk.
pub fn link(root: &str, path: &str) -> String {
    let (path, fragment) = match path.find(['#', '?']) {
        Some(at) => path.split_at(at),
        None => (path, ""),
    };
    let index = if path.is_empty() || path.ends_with('/') {
        "index.html"
    } else {
        ""
    };
    format!("{root}{path}{index}{fragment}")
}

/// `/pages/lianxi/` → `../../pages/lianxi/index.html` for a page two levels deep.
fn relative_to_root<'a>(url: CowStr<'a>, root: &str) -> CowStr<'a> {
    match url.strip_prefix('/') {
        Some(path) if !path.starts_with('/') => CowStr::from(link(root, path)),
        _ => url,
    }
}

const OPEN_STRONG: char = '\u{E000}';
const CLOSE_STRONG: char = '\u{E001}';

/// Marks the `**` pairs of lines where Chinese sits next to them.
///
/// CommonMark will not close `**整改情况：**一是` (a `**` after punctuation and
/// before a letter cannot close), and pairs the wrong `**` in a line such as
/// `**一、**……；**二、**`. This is how Chinese is written, so on a line
/// with an even number of `**` (outside code spans) next to Chinese text the
/// pairs are taken in order and swapped for private-use characters that
/// [`pair_cjk_strong`] turns into `<strong>` after parsing. (pulldown-cmark's
/// CJK-friendly emphasis option will replace this once it is released.)
fn mark_cjk_strong(markdown: &str) -> Option<String> {
    let mut changed = false;
    let mut out = String::with_capacity(markdown.len());
    let mut in_fence = false;
    for line in markdown.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            in_fence = !in_fence;
        }
        let runs = if in_fence || line.contains("***") {
            Vec::new()
        } else {
            strong_runs(line)
        };
        let near_chinese = runs.iter().any(|&at| {
            let before = line[..at].chars().next_back();
            let after = line[at + 2..].chars().next();
            before.is_some_and(is_cjk) || after.is_some_and(is_cjk)
        });
        if runs.is_empty() || runs.len() % 2 == 1 || !near_chinese {
            out.push_str(line);
            continue;
        }
        changed = true;
        let mut last = 0;
        for (index, &at) in runs.iter().enumerate() {
            out.push_str(&line[last..at]);
            out.push(if index % 2 == 0 {
                OPEN_STRONG
            } else {
                CLOSE_STRONG
            });
            last = at + 2;
        }
        out.push_str(&line[last..]);
    }
    changed.then_some(out)
}

/// Byte offsets of the `**` of a line that are outside code spans.
fn strong_runs(line: &str) -> Vec<usize> {
    let bytes = line.as_bytes();
    let mut runs = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'`' => {
                let ticks = bytes[i..].iter().take_while(|&&b| b == b'`').count();
                let fence = &line[i..i + ticks];
                i += ticks;
                if let Some(close) = line[i..].find(fence) {
                    i += close + ticks;
                }
            }
            b'\\' => i += 2,
            b'*' if bytes.get(i + 1) == Some(&b'*') => {
                runs.push(i);
                i += 2;
            }
            _ => i += 1,
        }
    }
    runs
}

/// Chinese, Japanese and Korean letters and their full-width punctuation.
fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x2E80..=0x2FFF | 0x3000..=0x303F | 0x3040..=0x30FF | 0x3100..=0x312F
        | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F | 0xFF00..=0xFFEF | 0x20000..=0x2FFFF)
        || matches!(c, '“' | '”' | '‘' | '’' | '…' | '—')
}

/// Turns the characters [`mark_cjk_strong`] left into `<strong>` where the
/// pair is at the same inline level; elsewhere they go back to `**`.
fn pair_cjk_strong(events: Vec<Event<'_>>) -> Vec<Event<'_>> {
    let mut out: Vec<Event> = Vec::with_capacity(events.len());
    let mut open: Vec<(usize, usize)> = Vec::new();
    let mut depth = 0usize;
    for event in events {
        match event {
            Event::Text(text) if text.contains([OPEN_STRONG, CLOSE_STRONG]) => {
                let mut piece = String::new();
                for c in text.chars() {
                    if c != OPEN_STRONG && c != CLOSE_STRONG {
                        piece.push(c);
                        continue;
                    }
                    if !piece.is_empty() {
                        out.push(Event::Text(CowStr::from(std::mem::take(&mut piece))));
                    }
                    match (c, open.last()) {
                        (OPEN_STRONG, _) => {
                            open.push((out.len(), depth));
                            out.push(Event::Text(CowStr::Borrowed("**")));
                        }
                        (_, Some(&(start, open_depth))) if open_depth == depth => {
                            open.pop();
                            out[start] = Event::Start(Tag::Strong);
                            out.push(Event::End(TagEnd::Strong));
                        }
                        _ => out.push(Event::Text(CowStr::Borrowed("**"))),
                    }
                }
                if !piece.is_empty() {
                    out.push(Event::Text(CowStr::from(piece)));
                }
            }
            Event::Start(tag) => {
                depth += usize::from(is_inline(&tag));
                out.push(Event::Start(tag));
            }
            Event::End(tag) => {
                if is_inline_end(&tag) {
                    depth = depth.saturating_sub(1);
                } else {
                    // A block ended: whatever is still open stays literal `**`.
                    open.clear();
                }
                out.push(Event::End(tag));
            }
            other => out.push(other),
        }
    }
    out
}

fn is_inline(tag: &Tag) -> bool {
    matches!(
        tag,
        Tag::Emphasis | Tag::Strong | Tag::Strikethrough | Tag::Link { .. } | Tag::Image { .. }
    )
}

fn is_inline_end(tag: &TagEnd) -> bool {
    matches!(
        tag,
        TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough | TagEnd::Link | TagEnd::Image
    )
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
        } else if (c.is_whitespace() || c == '-' || c == '_')
            && !id.ends_with('-')
            && !id.is_empty()
        {
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
    fn emails_and_telephone_numbers_become_links_other_numbers_stay_text() {
        let html = render(
            "电话：0870-3000000，邮箱：wjw@example.gov.cn。\n\n| 单位 | 电话 |\n|---|---|\n| 办公室 | 0871-63000000 |\n\n\
             文号 2025-0870-3000000-1；[已有链接 0870-1234567](https://example.gov.cn/)；`0870-7654321`\n",
        );
        assert!(
            html.contains("<a href=\"tel:08703000000\">0870-3000000</a>"),
            "{html}"
        );
        assert!(
            html.contains("<a href=\"mailto:wjw@example.gov.cn\">wjw@example.gov.cn</a>"),
            "{html}"
        );
        assert!(
            html.contains("<a href=\"tel:087163000000\">0871-63000000</a>"),
            "{html}"
        );
        assert!(html.contains("文号 2025-0870-3000000-1"), "{html}");
        assert_eq!(html.matches("<a ").count(), 4, "{html}");
    }

    #[test]
    fn table_cells_say_their_column_for_phones_also_through_the_cleaner() {
        let table = "| 单位 | 电话 |\n|---|--:|\n| 办公室 | 0870-1 |\n| 医院\"<x> | 2 |\n";
        for markdown in [table.to_owned(), format!("{table}\n<b>raw</b>\n")] {
            let html = render(&markdown);
            assert!(
                html.contains("<td data-label=\"单位\">办公室</td>"),
                "{html}"
            );
            // The cleaner writes the style without its space.
            assert!(
                html.contains("<td data-label=\"电话\" style=\"text-align: right\">0870-1</td>")
                    || html
                        .contains("<td data-label=\"电话\" style=\"text-align:right\">0870-1</td>"),
                "{html}"
            );
            assert_eq!(html.matches("</th>").count(), 2, "{html}");
            assert_eq!(html.matches("data-label").count(), 4, "{html}");
        }
        // A heading's markup is not its label; quotes cannot end the attribute.
        let hostile = render("| a\"b<script>x</script>&amp; |\n|-|\n| 1 |\n");
        assert!(
            hostile.contains("data-label=\"a&quot;bx&amp;\""),
            "{hostile}"
        );
        assert!(!hostile.contains("<script"), "{hostile}");
    }

    #[test]
    fn bold_closes_after_chinese_punctuation() {
        let html = render("**整改情况：**一是修订制度；**（一）强化组织领导。**成立小组。\n");
        assert_eq!(
            html,
            "<p><strong>整改情况：</strong>一是修订制度；<strong>（一）强化组织领导。</strong>成立小组。</p>\n"
        );
        let html = render("单独的 ** 星号保持原样\n\n`**代码**`说明\n\n**English** bold\n");
        assert!(html.contains("单独的 ** 星号"), "{html}");
        assert!(html.contains("<code>**代码**</code>说明"), "{html}");
        assert!(html.contains("<strong>English</strong> bold"), "{html}");
        let html = render("**整改**[链接**](x)\n");
        assert!(
            !html.contains('\u{E000}') && !html.contains('\u{E001}'),
            "{html}"
        );
    }

    #[test]
    fn plain_text_keeps_words_and_separates_blocks() {
        let settings = Settings {
            sanitize: true,
            root: "",
        };
        let markdown = "## 一、标题\n\n**整改情况：**一是修订；\n二是`学习`。\n\n- 甲\n- 乙\n";
        let text = super::render(markdown, settings).text;
        assert_eq!(text, "一、标题\n整改情况：一是修订； 二是学习。\n甲\n乙");
    }

    #[test]
    fn raw_html_is_cleaned() {
        let html = render(
            "<script>alert(1)</script>\n\n<b onclick=\"x()\">粗</b> [x](javascript:alert(1))\n",
        );
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("onclick"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
        assert!(html.contains("<b>粗</b>"), "{html}");
    }

    /// No attribute that runs script, and no address with a scheme that
    /// does, whatever Markdown feature writes it.
    fn assert_inert(html: &str) {
        let lower = html.to_ascii_lowercase();
        for tag in lower.split('<').skip(1) {
            let tag = tag.split('>').next().unwrap_or_default();
            assert!(!tag.starts_with("script"), "{html}");
            for attribute in tag.split_whitespace().skip(1) {
                assert!(!attribute.starts_with("on"), "{html}");
                assert!(!attribute.starts_with("style=\"position"), "{html}");
                for scheme in ["javascript:", "data:", "vbscript:"] {
                    assert!(!attribute.contains(scheme), "{html}");
                }
            }
        }
    }

    #[test]
    fn markdown_syntax_cannot_write_script() {
        for markdown in [
            "## 标题 {onfocus=alert(1) autofocus}\n",
            "# 标题 {#id .cls onmouseover=alert(1)}\n",
            "## 标题 {ONCLICK=\"alert(1)\"}\n",
            "[点](javascript:alert(1))",
            "[点](JAVASCRIPT:alert(1))",
            "[点](&#106;avascript:alert(1))",
            "[点](<java\tscript:alert(1)>)",
            "<javascript:alert(1)>",
            "![图](data:image/svg+xml;base64,PHN2Zz4=)",
            "[点][r]\n\n[r]: vbscript:msgbox(1)\n",
            "[^1]\n\n[^1]: [x](javascript:alert(1))\n",
        ] {
            for sanitize in [true, false] {
                let html = to_html(markdown, Settings { sanitize, root: "" });
                assert_inert(&html);
            }
        }
        let html = render("## 标题 {#zuzhi .note onclick=x()}\n");
        assert_eq!(html, "<h2 id=\"zuzhi\" class=\"note\">标题</h2>\n");
    }

    #[test]
    fn raw_html_keeps_only_alignment_styles() {
        let html = render(
            "<div style=\"position:fixed;inset:0\">盖</div>\n\n|a|\n|:-:|\n|1|\n\n<td style=\"text-align:right;position:fixed\">x</td>\n",
        );
        assert_inert(&html);
        assert!(html.contains("text-align"), "{html}");
    }

    #[test]
    fn raw_html_nested_too_deep_is_shown_as_text() {
        let markdown = format!("<div>\n{}\n", "<div>".repeat(safety::MAX_HTML_DEPTH + 1));
        let html = render(&markdown);
        assert!(!html.contains("<div>"), "{}", &html[..200]);
        assert!(html.contains("&lt;div&gt;"));
        let shallow = render(&"<div>".repeat(10));
        assert!(shallow.contains("<div>"), "{shallow}");
    }

    #[test]
    fn quotes_and_lists_nested_too_deep_are_shown_as_text() {
        let deep = format!(
            "**重点**\n\n{} 引用\n",
            ">".repeat(safety::MAX_MARKDOWN_DEPTH + 1)
        );
        let html = render(&deep);
        assert!(!html.contains("<blockquote>"), "{html}");
        assert!(html.starts_with("<p>**重点**"), "{html}");
        let shallow = render(&format!("{} 引用\n", ">".repeat(3)));
        assert_eq!(shallow.matches("<blockquote>").count(), 3);
    }

    #[test]
    fn raw_html_is_kept_when_sanitizing_is_off() {
        let html = to_html(
            "<span onclick=\"x()\">a</span>",
            Settings {
                sanitize: false,
                root: "",
            },
        );
        assert!(html.contains("onclick"));
    }

    #[test]
    fn site_absolute_links_become_relative_to_the_page() {
        let html =
            render("[联系](/pages/lianxi/) [首页](/) [图](/img/a.png#x) [外](https://x.cn/)");
        assert!(
            html.contains(r#"href="../../pages/lianxi/index.html""#),
            "{html}"
        );
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
