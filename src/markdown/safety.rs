//! What Markdown may put into a page, in one place: the URL schemes a link
//! or image may use, the raw HTML tags and attributes the cleaner keeps, how
//! deep raw HTML and Markdown's quotes and lists may nest. The renderer
//! enforces it (`super::render`); the
//! `check` lints report what it would drop (`Review`), from the same lists.

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::sync::LazyLock;

use pulldown_cmark::{Event, Tag, TagEnd};

/// The schemes a link or image may use; anything else (`javascript:`,
/// `data:`, `vbscript:`, `file:` …) is dropped. A URL without a scheme is a
/// path in the site.
pub const SAFE_SCHEMES: [&str; 4] = ["http", "https", "mailto", "tel"];

/// How deep raw HTML may nest. HTML parsers (the cleaner's included) take
/// time that grows with the depth for every tag, so a body of 100,000 nested
/// `<div>` would take seconds; real notices never go beyond ten.
pub const MAX_HTML_DEPTH: usize = 100;

/// How deep Markdown's quotes and lists may nest. A megabyte of `>` is a
/// million nested quotes, 25 MB of HTML that nobody can read; real notices
/// nest three deep.
pub const MAX_MARKDOWN_DEPTH: usize = 50;

/// Raw HTML tags the cleaner keeps (ammonia's defaults).
const TAGS: &[&str] = &[
    "a",
    "abbr",
    "acronym",
    "area",
    "article",
    "aside",
    "b",
    "bdi",
    "bdo",
    "blockquote",
    "br",
    "caption",
    "center",
    "cite",
    "code",
    "col",
    "colgroup",
    "data",
    "dd",
    "del",
    "details",
    "dfn",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "i",
    "img",
    "ins",
    "kbd",
    "li",
    "map",
    "mark",
    "nav",
    "ol",
    "p",
    "pre",
    "q",
    "rp",
    "rt",
    "rtc",
    "ruby",
    "s",
    "samp",
    "small",
    "span",
    "strike",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "time",
    "tr",
    "tt",
    "u",
    "ul",
    "var",
    "wbr",
];

/// Attributes kept on every tag.
const GENERIC_ATTRIBUTES: &[&str] = &["lang", "title", "id"];

/// Attributes kept on some tags: ammonia's defaults, and the classes and
/// table alignment pulldown-cmark writes itself.
const TAG_ATTRIBUTES: &[(&str, &[&str])] = &[
    ("a", &["href", "hreflang"]),
    ("bdo", &["dir"]),
    ("blockquote", &["cite"]),
    ("col", &["align", "char", "charoff", "span"]),
    ("colgroup", &["align", "char", "charoff", "span"]),
    ("del", &["cite", "datetime"]),
    ("div", &["class"]),
    ("hr", &["align", "size", "width"]),
    ("img", &["align", "alt", "height", "src", "width"]),
    ("ins", &["cite", "datetime"]),
    ("ol", &["start"]),
    ("q", &["cite"]),
    ("span", &["class"]),
    ("sup", &["class"]),
    ("table", &["align", "char", "charoff", "summary"]),
    ("tbody", &["align", "char", "charoff"]),
    (
        "td",
        &[
            "align",
            "char",
            "charoff",
            "colspan",
            "data-label",
            "headers",
            "rowspan",
            "style",
        ],
    ),
    ("tfoot", &["align", "char", "charoff"]),
    (
        "th",
        &[
            "align", "char", "charoff", "colspan", "headers", "rowspan", "scope", "style",
        ],
    ),
    ("thead", &["align", "char", "charoff"]),
    ("tr", &["align", "char", "charoff"]),
];

/// The only style property kept (pulldown-cmark aligns table cells with it):
/// anything else could move text over the page (`position: fixed`) or hide it.
const STYLE_PROPERTIES: &[&str] = &["text-align"];

/// Attributes whose value is a URL.
const URL_ATTRIBUTES: &[&str] = &["href", "src", "cite", "action", "formaction", "srcset"];

/// Tags whose whole content the cleaner drops, not just the tag.
const DROPPED_WITH_CONTENT: &[&str] = &["script", "style"];

/// Tags that run script or load other documents: refused, not just dropped.
const SCRIPTING_TAGS: &[&str] = &[
    "script", "iframe", "frame", "frameset", "object", "embed", "applet", "base", "link", "meta",
    "form", "svg", "math", "template", "noscript", "style",
];

/// Tags that have no end tag.
const VOID_TAGS: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr",
];

pub(super) static CLEANER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut builder = ammonia::Builder::default();
    builder
        .tags(TAGS.iter().copied().collect())
        .clean_content_tags(DROPPED_WITH_CONTENT.iter().copied().collect())
        .generic_attributes(GENERIC_ATTRIBUTES.iter().copied().collect())
        .tag_attributes(
            TAG_ATTRIBUTES
                .iter()
                .map(|(tag, attributes)| (*tag, attributes.iter().copied().collect()))
                .collect::<HashMap<&str, HashSet<&str>>>(),
        )
        .filter_style_properties(STYLE_PROPERTIES.iter().copied().collect())
        .url_schemes(SAFE_SCHEMES.iter().copied().collect())
        .link_rel(Some("noopener noreferrer"));
    builder
});

/// The scheme a browser would read in `url` (`JavaScript:` → `javascript`),
/// after dropping what browsers drop: leading spaces and control characters,
/// and tabs and line breaks anywhere.
fn scheme(url: &str) -> Option<String> {
    // Most addresses are paths: no colon, no scheme, nothing to build.
    if !url.contains(':') && !url.contains('&') {
        return None;
    }
    let cleaned: String = url
        .trim_start_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let (scheme, _) = cleaned.split_once(':')?;
    let mut chars = scheme.chars();
    let starts_with_letter = chars.next().is_some_and(|c| c.is_ascii_alphabetic());
    let rest_fits = chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    (starts_with_letter && rest_fits).then(|| scheme.to_ascii_lowercase())
}

/// Whether `url` may be a link or image address: a path, or one of [`SAFE_SCHEMES`].
pub fn is_safe_url(url: &str) -> bool {
    scheme(url).is_none_or(|scheme| SAFE_SCHEMES.contains(&scheme.as_str()))
}

/// One tag of raw HTML, as far as a lint needs it.
#[derive(Debug, PartialEq, Eq)]
struct RawTag<'a> {
    /// Byte offset of `<` in the scanned text.
    offset: usize,
    name: String,
    closing: bool,
    self_closing: bool,
    /// Name (lowercase), byte offset, value.
    attributes: Vec<(String, usize, &'a str)>,
}

/// The tags of a piece of raw HTML, in one pass. Comments are skipped. This
/// is not the guard (the cleaner parses HTML as browsers do); it tells the
/// clerk what the guard will drop.
fn raw_tags(html: &str) -> Vec<RawTag<'_>> {
    let bytes = html.as_bytes();
    let mut tags = Vec::new();
    let mut i = 0;
    while let Some(found) = html.get(i..).and_then(|rest| rest.find('<')) {
        let start = i + found;
        i = start + 1;
        if html[start..].starts_with("<!--") {
            // `<!-->` and `<!--->` are comments that end where they begin.
            let rest = &html[start + 4..];
            i = if rest.starts_with('>') {
                start + 5
            } else if rest.starts_with("->") {
                start + 6
            } else {
                rest.find("-->")
                    .map_or(html.len(), |end| start + 4 + end + 3)
            };
            continue;
        }
        let closing = bytes.get(i) == Some(&b'/');
        if closing {
            i += 1;
        }
        let name_start = i;
        while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'-') {
            i += 1;
        }
        if i == name_start || !bytes[name_start].is_ascii_alphabetic() {
            continue;
        }
        let mut tag = RawTag {
            offset: start,
            name: html[name_start..i].to_ascii_lowercase(),
            closing,
            self_closing: false,
            attributes: Vec::new(),
        };
        loop {
            while i < bytes.len() && (bytes[i].is_ascii_whitespace() || bytes[i] == b'/') {
                tag.self_closing = bytes[i] == b'/';
                i += 1;
            }
            if i >= bytes.len() || bytes[i] == b'>' {
                i += 1;
                break;
            }
            tag.self_closing = false;
            let attribute_start = i;
            while i < bytes.len() && !b" \t\n\r\x0c/>=".contains(&bytes[i]) {
                i += 1;
            }
            let name = html[attribute_start..i].to_ascii_lowercase();
            while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                i += 1;
            }
            let mut value = "";
            if bytes.get(i) == Some(&b'=') {
                i += 1;
                while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                    i += 1;
                }
                match bytes.get(i) {
                    Some(&quote @ (b'"' | b'\'')) => {
                        let end = html[i + 1..]
                            .find(quote as char)
                            .map_or(html.len(), |end| i + 1 + end);
                        value = &html[i + 1..end];
                        i = (end + 1).min(html.len());
                    }
                    _ => {
                        let value_start = i;
                        while i < bytes.len() && !bytes[i].is_ascii_whitespace() && bytes[i] != b'>'
                        {
                            i += 1;
                        }
                        value = &html[value_start..i];
                    }
                }
            }
            if !name.is_empty() {
                tag.attributes.push((name, attribute_start, value));
            }
        }
        tags.push(tag);
    }
    tags
}

/// The open-element depth of raw HTML after one more fragment.
#[derive(Debug, Default, Clone, Copy)]
struct Depth {
    open: usize,
}

impl Depth {
    /// Counts a fragment's tags; returns the offset of the first tag that
    /// went past [`MAX_HTML_DEPTH`], if any.
    fn add(&mut self, tags: &[RawTag]) -> Option<usize> {
        let mut too_deep = None;
        for tag in tags {
            if tag.closing {
                self.open = self.open.saturating_sub(1);
            } else if !tag.self_closing && !VOID_TAGS.contains(&tag.name.as_str()) {
                self.open += 1;
                if self.open > MAX_HTML_DEPTH && too_deep.is_none() {
                    too_deep = Some(tag.offset);
                }
            }
        }
        too_deep
    }
}

/// How deep Markdown's quotes, lists and footnotes are open.
#[derive(Debug, Default, Clone, Copy)]
struct Containers {
    open: usize,
}

impl Containers {
    /// Follows one event; true when it opened one container too many.
    fn step(&mut self, event: &Event) -> bool {
        match event {
            Event::Start(
                Tag::BlockQuote(_) | Tag::List(_) | Tag::Item | Tag::FootnoteDefinition(_),
            ) => {
                self.open += 1;
                self.open > MAX_MARKDOWN_DEPTH
            }
            Event::End(
                TagEnd::BlockQuote(_) | TagEnd::List(_) | TagEnd::Item | TagEnd::FootnoteDefinition,
            ) => {
                self.open = self.open.saturating_sub(1);
                false
            }
            _ => false,
        }
    }
}

/// Whether quotes and lists among `events` nest deeper than
/// [`MAX_MARKDOWN_DEPTH`].
pub fn markdown_too_deep(events: &[Event]) -> bool {
    let mut containers = Containers::default();
    events.iter().any(|event| containers.step(event))
}

/// Whether the raw HTML among `events` nests deeper than [`MAX_HTML_DEPTH`].
pub fn html_too_deep(events: &[Event]) -> bool {
    let mut depth = Depth::default();
    events.iter().any(|event| match event {
        Event::Html(html) | Event::InlineHtml(html) => depth.add(&raw_tags(html)).is_some(),
        _ => false,
    })
}

/// Something in a Markdown body that will not reach the page as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unsafe {
    /// A link or image address with a scheme that is not allowed.
    Scheme { url: String },
    /// `{onclick=…}` after a heading: only `{#id}` and `{.class}` are kept.
    HeadingAttribute { written: String },
    /// Raw HTML that runs script or loads another document.
    Script { written: String },
    /// Raw HTML the cleaner drops: a tag, an attribute, a style property.
    Dropped { written: String },
    /// Raw HTML nested deeper than [`MAX_HTML_DEPTH`]; shown as text.
    TooDeep,
    /// Quotes and lists nested deeper than [`MAX_MARKDOWN_DEPTH`]; the
    /// body is shown as text.
    MarkdownTooDeep,
}

/// What [`Review`] found, at a byte offset of the Markdown text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub offset: usize,
    pub what: Unsafe,
}

/// Goes through the events of a body (with their source ranges) and notes
/// everything the renderer will drop or neutralise.
#[derive(Debug)]
pub struct Review<'s> {
    source: &'s str,
    /// Whether raw HTML is cleaned (`sanitize_html`); when not, raw HTML is
    /// the author's own business and only Markdown syntax is reviewed.
    cleans_html: bool,
    depth: Depth,
    too_deep: bool,
    containers: Containers,
    markdown_too_deep: bool,
    pub findings: Vec<Finding>,
}

impl<'s> Review<'s> {
    pub fn new(source: &'s str, cleans_html: bool) -> Review<'s> {
        Review {
            source,
            cleans_html,
            depth: Depth::default(),
            too_deep: false,
            containers: Containers::default(),
            markdown_too_deep: false,
            findings: Vec::new(),
        }
    }

    fn note(&mut self, offset: usize, what: Unsafe) {
        self.findings.push(Finding { offset, what });
    }

    pub fn event(&mut self, event: &Event, range: Range<usize>) {
        if self.containers.step(event) && !self.markdown_too_deep {
            self.markdown_too_deep = true;
            self.note(range.start, Unsafe::MarkdownTooDeep);
        }
        match event {
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. })
                if !is_safe_url(dest_url) =>
            {
                let offset = self.source[range.clone()]
                    .find("](")
                    .map_or(range.start, |at| range.start + at + 2);
                self.note(
                    offset,
                    Unsafe::Scheme {
                        url: dest_url.to_string(),
                    },
                );
            }
            Event::Start(Tag::Heading { attrs, .. }) if !attrs.is_empty() => {
                let heading = &self.source[range.clone()];
                let offset = heading
                    .trim_end()
                    .rfind('{')
                    .map_or(range.start, |at| range.start + at);
                let written = attrs
                    .iter()
                    .map(|(name, value)| match value {
                        Some(value) => format!("{name}={value}"),
                        None => name.to_string(),
                    })
                    .collect::<Vec<_>>()
                    .join(" ");
                self.note(offset, Unsafe::HeadingAttribute { written });
            }
            Event::Html(html) | Event::InlineHtml(html) if self.cleans_html => {
                self.raw_html(html, range);
            }
            _ => {}
        }
    }

    fn raw_html(&mut self, html: &str, range: Range<usize>) {
        // The event text is the source text, but for indentation and quote
        // marks inside block HTML: found within the event's own span, to
        // report true offsets.
        let start = range.start;
        let base = self
            .source
            .get(range)
            .and_then(|span| span.find(html.trim_end()))
            .map_or(start, |at| start + at);
        let tags = raw_tags(html);
        if let Some(offset) = self.depth.add(&tags)
            && !self.too_deep
        {
            self.too_deep = true;
            self.note(base + offset, Unsafe::TooDeep);
        }
        for tag in tags {
            let at = base + tag.offset;
            let written = |text: &str| text.chars().take(40).collect::<String>();
            if tag.closing {
                continue;
            }
            if SCRIPTING_TAGS.contains(&tag.name.as_str()) {
                self.note(
                    at,
                    Unsafe::Script {
                        written: format!("<{}>", tag.name),
                    },
                );
                continue;
            }
            if !TAGS.contains(&tag.name.as_str()) {
                self.note(
                    at,
                    Unsafe::Dropped {
                        written: format!("<{}>", tag.name),
                    },
                );
                continue;
            }
            for (name, offset, value) in &tag.attributes {
                let at = base + offset;
                let shown = || written(&format!("{name}=\"{value}\""));
                if name.starts_with("on")
                    || (URL_ATTRIBUTES.contains(&name.as_str())
                        && !is_safe_url(&decode_references(value)))
                {
                    self.note(at, Unsafe::Script { written: shown() });
                } else if !attribute_kept(&tag.name, name)
                    || (name == "style" && !style_kept(value))
                {
                    self.note(at, Unsafe::Dropped { written: shown() });
                }
            }
        }
    }
}

/// An attribute value with its character references read (`&#x09;` →
/// tab, `&colon;` → `:`), as the browser reads it before the URL.
fn decode_references(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let run = |from: usize, digit: fn(&char) -> bool| {
            from + rest[from..]
                .chars()
                .take_while(digit)
                .map(char::len_utf8)
                .sum::<usize>()
        };
        let hex = rest[1..].starts_with("#x") || rest[1..].starts_with("#X");
        let (end, decoded) = if hex {
            let end = run(3, char::is_ascii_hexdigit);
            let code = u32::from_str_radix(&rest[3..end], 16).ok();
            (end, code.and_then(char::from_u32))
        } else if rest[1..].starts_with('#') {
            let end = run(2, char::is_ascii_digit);
            let code = rest[2..end].parse().ok();
            (end, code.and_then(char::from_u32))
        } else {
            let end = run(1, char::is_ascii_alphanumeric);
            let named = match &rest[1..end] {
                "Tab" => Some('\t'),
                "NewLine" => Some('\n'),
                "colon" => Some(':'),
                _ => None,
            };
            (end, named)
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = rest[end..].strip_prefix(';').unwrap_or(&rest[end..]);
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn attribute_kept(tag: &str, attribute: &str) -> bool {
    GENERIC_ATTRIBUTES.contains(&attribute)
        || TAG_ATTRIBUTES
            .iter()
            .any(|(name, kept)| *name == tag && kept.contains(&attribute))
}

/// Whether every property of a `style` value is kept.
fn style_kept(style: &str) -> bool {
    style
        .split(';')
        .filter_map(|declaration| declaration.split_once(':'))
        .all(|(property, _)| {
            STYLE_PROPERTIES.contains(&property.trim().to_ascii_lowercase().as_str())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemes_are_read_as_browsers_read_them() {
        for unsafe_url in [
            "javascript:alert(1)",
            "JavaScript:alert(1)",
            " javascript:alert(1)",
            "java\tscript:alert(1)",
            "\u{1}javascript:alert(1)",
            "data:text/html;base64,PHNjcmlwdD4=",
            "vbscript:msgbox",
            "file:///etc/passwd",
        ] {
            assert!(!is_safe_url(unsafe_url), "{unsafe_url:?}");
        }
        for safe in [
            "https://example.gov.cn/",
            "mailto:a@b.cn",
            "tel:12345",
            "fangan.pdf",
            "/pages/lianxi/",
            "#section",
            "a/b:c",
            "?q=javascript:",
            "",
        ] {
            assert!(is_safe_url(safe), "{safe:?}");
        }
    }

    #[test]
    fn references_are_read_before_the_scheme() {
        assert_eq!(
            decode_references("jav&#x09;ascript&colon;x"),
            "jav\tascript:x"
        );
        assert_eq!(decode_references("&#106avascript:x"), "javascript:x");
        assert_eq!(decode_references("a&b&amp;c"), "a&b&amp;c");
        assert!(!is_safe_url(&decode_references(
            "jav&#x09;ascript:alert(1)"
        )));
    }

    #[test]
    fn raw_tags_are_found_with_their_attributes() {
        let tags = raw_tags(r#"<!-- <script> --><div class="a" onclick='x()' hidden><br/></div>"#);
        let names: Vec<(&str, bool)> = tags.iter().map(|t| (t.name.as_str(), t.closing)).collect();
        assert_eq!(names, [("div", false), ("br", false), ("div", true)]);
        let attributes: Vec<&str> = tags[0].attributes.iter().map(|a| a.0.as_str()).collect();
        assert_eq!(attributes, ["class", "onclick", "hidden"]);
        assert!(tags[1].self_closing);
        // Cut off anywhere, in any script.
        for cut in [
            "<a href=x",
            "<a href=\"x",
            "<a ",
            "<",
            "<!--",
            "<a b=",
            "<中",
            "<a 中=文",
        ] {
            assert!(raw_tags(cut).len() <= 1, "{cut}");
        }
    }

    #[test]
    fn depth_counts_open_elements_but_not_void_ones() {
        let mut depth = Depth::default();
        assert_eq!(
            depth.add(&raw_tags(&"<div><br><img src=x>".repeat(MAX_HTML_DEPTH))),
            None
        );
        assert!(depth.add(&raw_tags("<p>")).is_some());
        let mut depth = Depth::default();
        assert_eq!(
            depth.add(&raw_tags(&"<div></div>".repeat(10 * MAX_HTML_DEPTH))),
            None
        );
    }
}
