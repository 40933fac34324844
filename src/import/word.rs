//! A notice kept as a Word document (`.docx`): its paragraphs as lines,
//! its tables as tab-separated rows (a ledger table reads as one), and the
//! numbers Word draws from a list definition (numbering.xml) written back
//! in front of their paragraphs — 一、（一）1.（1） are often not in the
//! text at all, and without them the hierarchy of the notice is lost.

use std::collections::HashMap;
use std::io::Read;

use quick_xml::events::{BytesStart, Event};
use quick_xml::reader::Reader;

/// The text of a Word document, a line per paragraph.
pub fn text_of(bytes: &[u8]) -> Result<String, String> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|_| "不是有效的 Word 文档（.docx）".to_owned())?;
    let mut part = |name: &str| -> Option<String> {
        let mut file = archive.by_name(name).ok()?;
        let mut text = String::new();
        file.read_to_string(&mut text).ok()?;
        Some(text)
    };
    let document = part("word/document.xml")
        .ok_or_else(|| "文档中没有正文（word/document.xml）".to_owned())?;
    let numbering = part("word/numbering.xml")
        .map(|xml| Numbering::parse(&xml))
        .unwrap_or_default();
    let styles = part("word/styles.xml")
        .map(|xml| style_numbering(&xml))
        .unwrap_or_default();
    Ok(paragraphs(&document, &numbering, &styles))
}

/// One level of a list definition: how its number is drawn.
#[derive(Debug, Clone, Default)]
struct Level {
    format: String,
    text: String,
    start: u32,
}

/// The list definitions of a document: each list (numId) by its abstract
/// definition's levels.
#[derive(Debug, Default)]
struct Numbering {
    abstracts: HashMap<String, HashMap<u32, Level>>,
    lists: HashMap<String, String>,
}

fn attribute(element: &BytesStart<'_>, name: &[u8]) -> Option<String> {
    element
        .attributes()
        .flatten()
        .find(|attribute| attribute.key.as_ref() == name)
        .map(|attribute| {
            let raw = String::from_utf8_lossy(&attribute.value).into_owned();
            quick_xml::escape::unescape(&raw).map_or(raw.clone(), |value| value.into_owned())
        })
}

impl Numbering {
    fn parse(xml: &str) -> Numbering {
        let mut numbering = Numbering::default();
        let mut reader = Reader::from_str(xml);
        let mut abstract_id: Option<String> = None;
        let mut level: Option<(u32, Level)> = None;
        let mut num_id: Option<String> = None;
        loop {
            match reader.read_event() {
                Ok(Event::Start(element) | Event::Empty(element)) => {
                    match element.name().as_ref() {
                        b"w:abstractNum" => abstract_id = attribute(&element, b"w:abstractNumId"),
                        b"w:lvl" => {
                            let ilvl = attribute(&element, b"w:ilvl")
                                .and_then(|v| v.parse().ok())
                                .unwrap_or(0);
                            level = Some((
                                ilvl,
                                Level {
                                    start: 1,
                                    ..Level::default()
                                },
                            ));
                        }
                        b"w:start" => {
                            if let Some((_, level)) = level.as_mut() {
                                level.start = attribute(&element, b"w:val")
                                    .and_then(|v| v.parse().ok())
                                    .unwrap_or(1);
                            }
                        }
                        b"w:numFmt" => {
                            if let Some((_, level)) = level.as_mut() {
                                level.format = attribute(&element, b"w:val").unwrap_or_default();
                            }
                        }
                        b"w:lvlText" => {
                            if let Some((_, level)) = level.as_mut() {
                                level.text = attribute(&element, b"w:val").unwrap_or_default();
                            }
                        }
                        b"w:num" => num_id = attribute(&element, b"w:numId"),
                        b"w:abstractNumId" => {
                            if let (Some(num), Some(value)) =
                                (num_id.clone(), attribute(&element, b"w:val"))
                            {
                                numbering.lists.insert(num, value);
                            }
                        }
                        _ => {}
                    }
                }
                Ok(Event::End(element)) => match element.name().as_ref() {
                    b"w:lvl" => {
                        if let (Some(id), Some((ilvl, done))) = (&abstract_id, level.take()) {
                            numbering
                                .abstracts
                                .entry(id.clone())
                                .or_default()
                                .insert(ilvl, done);
                        }
                    }
                    b"w:num" => num_id = None,
                    _ => {}
                },
                Ok(Event::Eof) | Err(_) => break,
                _ => {}
            }
        }
        numbering
    }

    fn level(&self, num_id: &str, ilvl: u32) -> Option<&Level> {
        self.abstracts.get(self.lists.get(num_id)?)?.get(&ilvl)
    }
}

/// The list (numId, level) each paragraph style numbers its paragraphs
/// with, for headings numbered through their style.
fn style_numbering(xml: &str) -> HashMap<String, (String, u32)> {
    let mut styles = HashMap::new();
    let mut reader = Reader::from_str(xml);
    let mut style: Option<String> = None;
    let mut num: (Option<String>, u32) = (None, 0);
    loop {
        match reader.read_event() {
            Ok(Event::Start(element) | Event::Empty(element)) => match element.name().as_ref() {
                b"w:style" => {
                    style = attribute(&element, b"w:styleId");
                    num = (None, 0);
                }
                b"w:numId" => num.0 = attribute(&element, b"w:val"),
                b"w:ilvl" => {
                    num.1 = attribute(&element, b"w:val")
                        .and_then(|v| v.parse().ok())
                        .unwrap_or(0)
                }
                _ => {}
            },
            Ok(Event::End(element)) if element.name().as_ref() == b"w:style" => {
                if let (Some(id), (Some(num_id), ilvl)) = (style.take(), num.clone()) {
                    styles.insert(id, (num_id, ilvl));
                }
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    styles
}

/// `n` drawn in a list level's number format.
fn drawn(n: u32, format: &str) -> String {
    const DIGITS: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    let chinese = |n: u32| -> String {
        match n {
            0..=9 => DIGITS[n as usize].to_owned(),
            10..=19 => format!(
                "十{}",
                if n == 10 {
                    ""
                } else {
                    DIGITS[(n % 10) as usize]
                }
            ),
            20..=99 => format!(
                "{}十{}",
                DIGITS[(n / 10) as usize],
                if n % 10 == 0 {
                    ""
                } else {
                    DIGITS[(n % 10) as usize]
                }
            ),
            _ => n.to_string(),
        }
    };
    match format {
        "chineseCounting"
        | "chineseCountingThousand"
        | "chineseLegalSimplified"
        | "ideographTraditional"
        | "taiwaneseCounting"
        | "taiwaneseCountingThousand" => chinese(n),
        "decimalEnclosedCircle" | "decimalEnclosedCircleChinese" if (1..=20).contains(&n) => {
            char::from_u32(0x2460 + n - 1).map_or_else(|| n.to_string(), String::from)
        }
        "lowerLetter" => {
            char::from_u32('a' as u32 + (n - 1) % 26).map_or_else(String::new, String::from)
        }
        "upperLetter" => {
            char::from_u32('A' as u32 + (n - 1) % 26).map_or_else(String::new, String::from)
        }
        "bullet" | "none" => String::new(),
        _ => n.to_string(),
    }
}

/// The paragraphs and table rows of document.xml, as lines, each numbered
/// paragraph with its number in front.
fn paragraphs(xml: &str, numbering: &Numbering, styles: &HashMap<String, (String, u32)>) -> String {
    let mut out = String::new();
    let mut reader = Reader::from_str(xml);
    // Counters per list and level, as Word keeps them.
    let mut counters: HashMap<String, Vec<u32>> = HashMap::new();
    let mut paragraph = String::new();
    let mut num: (Option<String>, Option<u32>) = (None, None);
    let mut style: Option<String> = None;
    let mut in_text = false;
    let mut table_depth = 0;
    let mut cell = String::new();
    let mut row: Vec<String> = Vec::new();
    loop {
        match reader.read_event() {
            Ok(Event::Start(element)) => match element.name().as_ref() {
                b"w:p" => {
                    paragraph.clear();
                    num = (None, None);
                    style = None;
                }
                b"w:t" => in_text = true,
                b"w:tbl" => table_depth += 1,
                b"w:tr" => row.clear(),
                b"w:tc" => cell.clear(),
                _ => {}
            },
            Ok(Event::Empty(element)) => match element.name().as_ref() {
                b"w:numId" => num.0 = attribute(&element, b"w:val"),
                b"w:ilvl" => num.1 = attribute(&element, b"w:val").and_then(|v| v.parse().ok()),
                b"w:pStyle" => style = attribute(&element, b"w:val"),
                b"w:tab" => paragraph.push('\t'),
                b"w:br" | b"w:cr" => paragraph.push('\n'),
                _ => {}
            },
            Ok(Event::Text(text)) if in_text => {
                if let Ok(text) = text.xml10_content() {
                    paragraph.push_str(&text);
                }
            }
            Ok(Event::GeneralRef(reference)) if in_text => {
                if let Ok(Some(c)) = reference.resolve_char_ref() {
                    paragraph.push(c);
                } else {
                    let name = String::from_utf8_lossy(&reference);
                    paragraph.push_str(match name.as_ref() {
                        "amp" => "&",
                        "lt" => "<",
                        "gt" => ">",
                        "quot" => "\"",
                        "apos" => "'",
                        _ => "",
                    });
                }
            }
            Ok(Event::End(element)) => match element.name().as_ref() {
                b"w:t" => in_text = false,
                b"w:p" => {
                    let by_style = style.as_ref().and_then(|s| styles.get(s)).cloned();
                    let list = num
                        .0
                        .clone()
                        .map(|id| (id, num.1.unwrap_or(0)))
                        .or(by_style.map(|(id, ilvl)| (id, num.1.unwrap_or(ilvl))));
                    let number = list
                        .filter(|(id, _)| id != "0")
                        .map(|(id, ilvl)| number_of(&id, ilvl, numbering, &mut counters))
                        .unwrap_or_default();
                    let line = format!("{number}{}", paragraph.trim());
                    if table_depth > 0 {
                        if !cell.is_empty() {
                            cell.push(' ');
                        }
                        cell.push_str(line.trim());
                    } else if !line.trim().is_empty() {
                        out.push_str(line.trim());
                        out.push('\n');
                    }
                }
                b"w:tc" => row.push(cell.replace('\t', " ")),
                b"w:tr" => {
                    out.push_str(&row.join("\t"));
                    out.push('\n');
                }
                b"w:tbl" => table_depth -= 1,
                _ => {}
            },
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    out
}

/// The number of the next paragraph of list `num_id` at level `ilvl`:
/// its level counts on, the levels below start again.
fn number_of(
    num_id: &str,
    ilvl: u32,
    numbering: &Numbering,
    counters: &mut HashMap<String, Vec<u32>>,
) -> String {
    let Some(level) = numbering.level(num_id, ilvl) else {
        return String::new();
    };
    let counts = counters.entry(num_id.to_owned()).or_default();
    let depth = ilvl as usize;
    if counts.len() <= depth {
        counts.resize(depth + 1, 0);
    }
    counts[depth] = if counts[depth] == 0 {
        level.start.max(1)
    } else {
        counts[depth] + 1
    };
    counts.truncate(depth + 1);
    let mut text = level.text.clone();
    for (at, count) in counts.iter().enumerate() {
        let format = numbering
            .level(num_id, at as u32)
            .map_or("decimal", |level| level.format.as_str());
        text = text.replace(&format!("%{}", at + 1), &drawn(*count, format));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_counting_draws_the_numbers_notices_use() {
        assert_eq!(drawn(1, "chineseCounting"), "一");
        assert_eq!(drawn(10, "chineseCountingThousand"), "十");
        assert_eq!(drawn(12, "chineseCounting"), "十二");
        assert_eq!(drawn(31, "chineseCounting"), "三十一");
        assert_eq!(drawn(3, "decimal"), "3");
        assert_eq!(drawn(2, "decimalEnclosedCircle"), "②");
    }
}
