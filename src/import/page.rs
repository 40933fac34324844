//! A notice saved from its web page (`.html`, `.htm`): the bytes decoded by
//! the charset the page declares (a CMS of a government site is often
//! GBK), the article found among the site's navigation, sidebars and
//! footer, and the page's information-disclosure table (索引号, 发布机构,
//! 成文日期, 文号 …) read as labelled lines. What comes out is the text of a
//! notice, which the text import reads like any other.

use scraper::{ElementRef, Html, Node, Selector};

/// The text of the notice on a saved page, with what was dropped.
pub struct PageText {
    pub text: String,
    /// The encoding the page declared, when not UTF-8.
    pub encoding: Option<&'static str>,
    /// The lines of the page outside the notice (navigation, sidebars,
    /// footer, tools), left out.
    pub frame: Vec<String>,
}

/// Labels of the information-disclosure table, as the header reader knows them.
const DISCLOSURE_LABELS: &[&str] = &[
    "索引号",
    "发布机构",
    "成文日期",
    "发文日期",
    "发布日期",
    "文号",
    "发文字号",
    "主题分类",
    "效力状态",
    "标题",
    "名称",
    "文件名称",
    "信息名称",
];

/// Elements nested deeper than this are not a saved notice: finding the
/// article weighs each block by the text under it, which a page nested
/// thousands deep would make take hours.
pub const MAX_PAGE_DEPTH: usize = 256;

/// How deep the tags of `html` could nest, counted before it is parsed:
/// opened tags less closed ones, void elements aside. Tags a parser closes
/// by itself (`<p>`, `<li>`) count too, so this is an upper bound; the
/// parser itself takes time growing with the square of the real depth.
fn tag_depth_bound(html: &str) -> usize {
    const VOID: &[&str] = &[
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr",
    ];
    let bytes = html.as_bytes();
    let (mut depth, mut deepest) = (0usize, 0usize);
    for at in opening_brackets(bytes) {
        match bytes.get(at + 1) {
            Some(b'/') => depth = depth.saturating_sub(1),
            Some(c) if c.is_ascii_alphabetic() => {
                let name: String = html[at + 1..]
                    .chars()
                    .take_while(char::is_ascii_alphanumeric)
                    .collect::<String>()
                    .to_ascii_lowercase();
                let end = html[at..].find('>').map_or(html.len(), |end| at + end);
                if !VOID.contains(&name.as_str()) && !html[..end].ends_with('/') {
                    depth += 1;
                    deepest = deepest.max(depth);
                }
            }
            _ => {}
        }
    }
    deepest
}

/// Where `<` is in `bytes`.
fn opening_brackets(bytes: &[u8]) -> impl Iterator<Item = usize> + '_ {
    bytes
        .iter()
        .enumerate()
        .filter(|(_, byte)| **byte == b'<')
        .map(|(at, _)| at)
}

/// How deep the elements of `document` nest, read in one pass.
fn depth(document: &Html) -> usize {
    let (mut depth, mut deepest) = (0usize, 0usize);
    for edge in document.tree.root().traverse() {
        match edge {
            ego_tree::iter::Edge::Open(node) if node.value().is_element() => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            ego_tree::iter::Edge::Close(node) if node.value().is_element() => depth -= 1,
            _ => {}
        }
    }
    deepest
}

/// Reads a saved page; refuses one nested deeper than [`MAX_PAGE_DEPTH`].
pub fn read(bytes: &[u8]) -> Result<PageText, String> {
    let (html, encoding) = decode(bytes);
    if tag_depth_bound(&html) > 16 * MAX_PAGE_DEPTH {
        return Err(format!(
            "网页的元素嵌套超过 {MAX_PAGE_DEPTH} 层，不像是保存下来的通报网页"
        ));
    }
    let document = Html::parse_document(&html);
    if depth(&document) > MAX_PAGE_DEPTH {
        return Err(format!(
            "网页的元素嵌套超过 {MAX_PAGE_DEPTH} 层，不像是保存下来的通报网页"
        ));
    }
    let facts = disclosure_table(&document);
    let article = article(&document);
    let mut text = String::new();
    for (label, value) in &facts {
        text.push_str(&format!("{label}：{value}\n"));
    }
    if let Some(title) = page_title(&document, article) {
        text.push_str(&title);
        text.push('\n');
    }
    if let Some(line) = page_facts_line(&document) {
        text.push_str(&line);
        text.push('\n');
    }
    match article {
        Some(article) => block_text(article, &mut text),
        None => block_text(document.root_element(), &mut text),
    }
    // Every line of the page is either in the text read on, or listed.
    let mut whole = String::new();
    block_text(document.root_element(), &mut whole);
    let kept: std::collections::HashSet<&str> = text.lines().map(str::trim).collect();
    let mut frame: Vec<String> = Vec::new();
    for line in whole.lines().map(str::trim).filter(|line| !line.is_empty()) {
        let in_facts = !facts.is_empty()
            && line.split('\t').any(|cell| {
                let bare = cell.trim().trim_end_matches([':', '：']);
                facts
                    .iter()
                    .any(|(label, value)| bare == label || cell.trim() == value)
                    || DISCLOSURE_LABELS.contains(&bare)
            });
        if !kept.contains(line) && !in_facts && !frame.iter().any(|seen| seen == line) {
            frame.push(line.to_owned());
        }
    }
    Ok(PageText {
        text,
        encoding,
        frame,
    })
}

fn selector(css: &str) -> Selector {
    // The selectors are constants of this file; one that did not parse
    // would select nothing, never fail an import.
    Selector::parse(css).unwrap_or_else(|_| Selector::parse("gongkai-none").expect("a tag name"))
}

/// The page decoded by the charset its `<meta>` declares (else UTF-8 when
/// it is valid, else GBK), and that charset when not UTF-8.
fn decode(bytes: &[u8]) -> (String, Option<&'static str>) {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]).to_lowercase();
    let declared = head.find("charset").and_then(|at| {
        let rest = head[at + "charset".len()..].trim_start_matches([' ', '=', '"', '\'']);
        let label: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
            .collect();
        encoding_rs::Encoding::for_label(label.as_bytes())
    });
    match declared {
        Some(encoding) if encoding != encoding_rs::UTF_8 => {
            let (text, _, _) = encoding.decode(bytes);
            (text.into_owned(), Some(encoding.name()))
        }
        _ => crate::load::text::decode_pasted(bytes),
    }
}

/// The label–value pairs of an information-disclosure table: a cell (or
/// any short text) that is one of the labels, and the next text after it.
fn disclosure_table(document: &Html) -> Vec<(String, String)> {
    let texts: Vec<String> = document
        .root_element()
        .descendants()
        .filter(|node| !in_frame(*node))
        .filter_map(|node| node.value().as_text().map(|text| text.trim().to_owned()))
        .filter(|text| !text.is_empty())
        .collect();
    let mut found: Vec<(String, String)> = Vec::new();
    for (at, text) in texts.iter().enumerate() {
        let bare: String = text
            .chars()
            .filter(|c| !c.is_whitespace() && !matches!(c, ':' | '：' | '[' | ']' | '【' | '】'))
            .collect();
        let Some(label) = DISCLOSURE_LABELS.iter().find(|label| bare == **label) else {
            continue;
        };
        let Some(value) = texts.get(at + 1) else {
            continue;
        };
        let value = value.trim_start_matches([':', '：']).trim();
        let is_label = DISCLOSURE_LABELS.iter().any(|other| {
            value
                .replace(char::is_whitespace, "")
                .trim_end_matches([':', '：'])
                == *other
        });
        if value.is_empty() || is_label || found.iter().any(|(seen, _)| seen == label) {
            continue;
        }
        let label = match *label {
            "名称" | "信息名称" => "标题",
            "发文字号" => "文号",
            other => other,
        };
        found.push((label.to_owned(), value.to_owned()));
    }
    // Only a table of several such facts is one; a lone "标题" is not.
    if found.len() >= 2 { found } else { Vec::new() }
}

/// Elements that are the site's frame or code, never the notice.
const FRAME_TAGS: &[&str] = &[
    "script", "style", "noscript", "nav", "header", "footer", "aside", "select",
];

/// Whether `node` sits inside the site's frame.
fn in_frame(node: ego_tree::NodeRef<'_, Node>) -> bool {
    node.ancestors().any(|ancestor| {
        ancestor
            .value()
            .as_element()
            .is_some_and(|element| FRAME_TAGS.contains(&element.name()))
    })
}

/// The element holding the article: the one marked as content by the
/// common CMS names, else the block with the most sentence text that is
/// not mostly links.
fn article(document: &Html) -> Option<ElementRef<'_>> {
    let named = selector(
        "#zoom, .zoom, #UCAP-CONTENT, .TRS_Editor, .Custom_UnionStyle, #content, .article-content, .article, article, .content, #Zoom, .detail, #text, .wenzhang",
    );
    if let Some(found) = document
        .select(&named)
        .filter(|element| sentence_text(*element) >= 40)
        .max_by_key(|element| sentence_text(*element))
    {
        return Some(found);
    }
    let blocks = selector("div, td, section, main");
    document
        .select(&blocks)
        .filter(|element| link_share(*element) < 0.5)
        .map(|element| {
            // The deepest block holding the text: a parent scores the same
            // and so would win only by its own extra text.
            (sentence_text(element) * 10 - text_length(element), element)
        })
        .max_by_key(|(score, _)| *score)
        .map(|(_, element)| element)
}

/// Characters of text in sentences (with 。 or ，) under `element`.
fn sentence_text(element: ElementRef<'_>) -> i64 {
    element
        .text()
        .filter(|text| text.contains(['。', '，', '；']))
        .map(|text| text.chars().count() as i64)
        .sum()
}

fn text_length(element: ElementRef<'_>) -> i64 {
    element.text().map(|text| text.chars().count() as i64).sum()
}

/// The share of `element`'s text that is in links.
fn link_share(element: ElementRef<'_>) -> f64 {
    let all = text_length(element).max(1) as f64;
    let links = selector("a");
    let in_links: i64 = element.select(&links).map(text_length).sum();
    in_links as f64 / all
}

/// The notice's title: a heading of the article or near it, else the
/// page's `<title>` without the site's name after it.
fn page_title(document: &Html, article: Option<ElementRef<'_>>) -> Option<String> {
    let headings = selector("h1, h2, h3, .title, .article-title, #title");
    let in_article = article.and_then(|article| {
        article
            .select(&headings)
            .map(|h| h.text().collect::<String>().trim().to_owned())
            .find(|text| is_title(text))
    });
    if in_article.is_some() {
        // It is in the article's text already.
        return None;
    }
    if let Some(heading) = document
        .select(&headings)
        .map(|h| h.text().collect::<String>().trim().to_owned())
        .find(|text| is_title(text))
    {
        return Some(heading);
    }
    let title = document
        .select(&selector("title"))
        .next()?
        .text()
        .collect::<String>();
    let title = title
        .split(['_', '|', '－'])
        .next()
        .unwrap_or_default()
        .split(" - ")
        .next()
        .unwrap_or_default()
        .trim()
        .to_owned();
    is_title(&title).then_some(title)
}

fn is_title(text: &str) -> bool {
    let count = text.chars().count();
    (6..=80).contains(&count)
        && ["通报", "情况", "公告", "公示"]
            .iter()
            .any(|word| text.contains(word))
        && !text.contains('。')
}

/// The short line of page facts (发布时间 …) outside the article, if any.
fn page_facts_line(document: &Html) -> Option<String> {
    let blocks = selector("div, p, span, td, li");
    document
        .select(&blocks)
        .filter(|element| !in_frame(**element))
        .map(|element| {
            element
                .text()
                .collect::<Vec<_>>()
                .join(" ")
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .filter(|text| text.chars().count() <= 120)
        .find(|text| {
            ["发布时间", "发布日期", "信息时间", "日期"]
                .iter()
                .any(|label| text.contains(label))
                && super::text::first_date(text, None).is_some()
        })
}

/// The text under `element`, a line per block, a table row as cells
/// separated by tabs (so that a ledger table reads as one).
fn block_text(element: ElementRef<'_>, out: &mut String) {
    for child in element.children() {
        match child.value() {
            Node::Text(text) => {
                let text = text.replace(['\n', '\r', '\t'], " ");
                if !text.trim().is_empty() {
                    out.push_str(text.trim_matches('\u{a0}'));
                }
            }
            Node::Element(inner) => {
                let Some(inner_ref) = ElementRef::wrap(child) else {
                    continue;
                };
                let name = inner.name();
                if in_frame(child) || FRAME_TAGS.contains(&name) {
                    continue;
                }
                match name {
                    "br" => out.push('\n'),
                    "td" | "th" => {
                        block_text(inner_ref, out);
                        out.push('\t');
                    }
                    "p" | "div" | "li" | "tr" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6"
                    | "table" | "section" | "article" | "ul" | "ol" | "dd" | "dt" => {
                        out.push('\n');
                        block_text(inner_ref, out);
                        out.push('\n');
                    }
                    _ => block_text(inner_ref, out),
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_charset_the_page_declares_decodes_it() {
        let html = "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\"></head><body><div id=\"zoom\"><p>根据区委统一部署，巡察组开展了巡察。</p></div></body></html>";
        let (bytes, _, _) = encoding_rs::GBK.encode(html);
        let page = read(&bytes).expect("a page");
        assert_eq!(page.encoding, Some("GBK"));
        assert!(page.text.contains("根据区委统一部署"), "{}", page.text);
    }

    #[test]
    fn a_table_row_reads_as_tab_separated_cells() {
        let html = "<div class=\"content\"><p>整改情况如下，请监督。</p><table><tr><td>序号</td><td>问题</td><td>整改时限</td></tr><tr><td>1</td><td>学习不深入</td><td>2025年6月底</td></tr></table></div>";
        let page = read(html.as_bytes()).expect("a page");
        assert!(
            page.text.contains("序号\t问题\t整改时限\t"),
            "{:?}",
            page.text
        );
    }
}
