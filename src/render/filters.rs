//! Tera filters for Chinese official documents.

use tera::{Kwargs, State, Tera, TeraResult, Value};

pub use crate::markdown::link;
use crate::model::date::Date;
use crate::model::status::Status;
use crate::site::Counts;
use crate::site::completion::Completion;

use super::chart;

pub fn register(tera: &mut Tera) {
    tera.register_filter("cn_date", cn_date);
    tera.register_filter("status_label", status_label);
    tera.register_filter("cn_ordinal", cn_ordinal);
    tera.register_filter("url", url);
    tera.register_filter("percent", percent);
    tera.register_filter("digits", digits);
    tera.register_filter("tel", tel);
    tera.register_filter("progress_chart", progress_chart);
    tera.register_filter("completion_chart", completion_chart);
    tera.register_filter("json", json);
}

/// A value as JSON that is safe inside `<script>` (for schema.org JSON-LD).
/// Keys are sorted: a map written in a template has no order of its own, and
/// the same site must give the same bytes on every build.
fn json(value: Value, _: Kwargs, _: &State) -> TeraResult<Value> {
    let sorted = serde_json::to_value(&value).map_err(|e| tera::Error::message(e.to_string()))?;
    let text =
        crate::escape::script_json(&sorted).map_err(|e| tera::Error::message(e.to_string()))?;
    Ok(Value::safe_string(&text))
}

/// `2025-03-17` → `2025年3月17日`; text that is not a date is left as it is.
fn cn_date(value: &str, _: Kwargs, _: &State) -> String {
    Date::parse(value).map_or_else(|_| value.to_owned(), Date::chinese)
}

/// `completed` → `已完成`.
fn status_label(value: &str, _: Kwargs, _: &State) -> String {
    Status::from_key(value).map_or_else(|| value.to_owned(), |status| status.label().to_owned())
}

/// A number in the numbering of Chinese official documents, by level:
/// 1 → `一、`, 2 → `（一）`, 3 → `1.`, 4 → `（1）`.
fn cn_ordinal(value: u64, kwargs: Kwargs, _: &State) -> TeraResult<String> {
    let level = kwargs.get::<u64>("level")?.unwrap_or(1);
    Ok(ordinal(value, level))
}

pub fn ordinal(number: u64, level: u64) -> String {
    match level {
        1 => format!("{}、", chinese_number(number)),
        2 => format!("（{}）", chinese_number(number)),
        3 => format!("{number}."),
        _ => format!("（{number}）"),
    }
}

/// 1 → 一, 10 → 十, 11 → 十一, 20 → 二十, 105 → 一百零五.
pub fn chinese_number(number: u64) -> String {
    const DIGITS: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    let digit = |n: u64| DIGITS[(n % 10) as usize];
    match number {
        0..=9 => digit(number).to_owned(),
        10..=19 => format!("十{}", if number == 10 { "" } else { digit(number) }),
        20..=99 => format!(
            "{}十{}",
            digit(number / 10),
            if number % 10 == 0 { "" } else { digit(number) }
        ),
        100..=999 => {
            let rest = number % 100;
            let tail = match rest {
                0 => String::new(),
                1..=9 => format!("零{}", digit(rest)),
                10..=19 => format!("一{}", chinese_number(rest)),
                _ => chinese_number(rest),
            };
            format!("{}百{tail}", digit(number / 100))
        }
        _ => number.to_string(),
    }
}

/// A root-relative path (`notices/a/`) as a link from the current page
/// (see [`link`]).
fn url(path: &str, _: Kwargs, state: &State) -> TeraResult<String> {
    let root = state.get::<String>("root")?.unwrap_or_default();
    Ok(link(&root, path))
}

/// `28 | percent(of=31)` → `90.3%`, rounded to tenths; `0%` when `of` is 0.
fn percent(value: u64, kwargs: Kwargs, _: &State) -> TeraResult<String> {
    let of = kwargs.must_get::<u64>("of")?;
    Ok(percent_text(value, of))
}

pub fn percent_text(part: u64, whole: u64) -> String {
    if whole == 0 {
        return "0%".into();
    }
    let permille = (part * 1000 + whole / 2) / whole;
    if permille % 10 == 0 {
        format!("{}%", permille / 10)
    } else {
        format!("{}.{}%", permille / 10, permille % 10)
    }
}

/// The digits of a text: `某公网安备 37040302000123号` → `37040302000123`.
fn digits(value: &str, _: Kwargs, _: &State) -> String {
    value.chars().filter(char::is_ascii_digit).collect()
}

/// A `tel:` address for `value` when it is one telephone number
/// (`0870-3000000`, `(0870) 300 0000`, `+86 870 3000000`, `12388`); empty
/// for anything else, such as two numbers or a number with words, which is
/// then shown as text.
fn tel(value: &str, _: Kwargs, _: &State) -> String {
    telephone(value).unwrap_or_default()
}

pub fn telephone(text: &str) -> Option<String> {
    let text = text.trim();
    let digits = |number: &str| -> String { number.chars().filter(char::is_ascii_digit).collect() };
    if let Some(international) = text.strip_prefix('+') {
        // Outside China's numbering: any number of up to 15 digits (E.164).
        let allowed = |c: char| c.is_ascii_digit() || matches!(c, '-' | ' ' | '(' | ')');
        let digits = digits(international);
        return (international.chars().all(allowed) && (3..=15).contains(&digits.len()))
            .then(|| format!("tel:+{digits}"));
    }
    // One number as `check` accepts a contact's number, without an
    // extension, which a `tel:` address cannot dial.
    (!text.contains('转') && crate::check::valid_phone(text))
        .then(|| format!("tel:{}", digits(text)))
}

/// An SVG bar of the counts of one notice or of the whole portal.
fn progress_chart(value: Value, _: Kwargs, _: &State) -> TeraResult<Value> {
    let number = |key: &'static str| {
        value
            .as_map()
            .and_then(|map| map.get(&key.into()))
            .and_then(Value::as_i128)
            .and_then(|n| usize::try_from(n).ok())
            .unwrap_or(0)
    };
    let counts = Counts {
        total: number("total"),
        completed: number("completed"),
        partial: number("partial"),
        in_progress: number("in_progress"),
        long_term: number("long_term"),
        overdue: number("overdue"),
        stale: number("stale"),
    };
    Ok(Value::safe_string(&chart::progress_svg(&counts)))
}

/// An SVG chart of `notice.completion` or `site.completion`: issues completed
/// by the end of each month. Empty when no completion has a date.
fn completion_chart(value: Value, _: Kwargs, _: &State) -> TeraResult<Value> {
    let completion: Completion = serde_json::to_value(&value)
        .and_then(serde_json::from_value)
        .map_err(|e| tera::Error::message(format!("completion_chart 需要 completion 变量：{e}")))?;
    Ok(Value::safe_string(&chart::completion_svg(&completion)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_telephone_number_becomes_a_tel_address_anything_else_stays_text() {
        for (text, address) in [
            ("0870-3000000", Some("tel:08703000000")),
            ("(0870) 300 0000", Some("tel:08703000000")),
            ("（0870）3000000", Some("tel:08703000000")),
            ("+86 870 3000000", Some("tel:+868703000000")),
            ("12388", Some("tel:12388")),
            ("0870-3000000、12388", None),
            ("0870-3000000（工作日）", None),
            ("请致电", None),
            ("", None),
            ("12", None),
        ] {
            assert_eq!(telephone(text).as_deref(), address, "{text}");
        }
    }

    #[test]
    fn chinese_numbers() {
        let shown: Vec<String> = [1, 10, 11, 20, 31, 100, 105, 110, 999]
            .map(chinese_number)
            .to_vec();
        assert_eq!(
            shown,
            [
                "一",
                "十",
                "十一",
                "二十",
                "三十一",
                "一百",
                "一百零五",
                "一百一十",
                "九百九十九"
            ]
        );
    }

    #[test]
    fn ordinals_follow_official_document_levels() {
        assert_eq!(ordinal(2, 1), "二、");
        assert_eq!(ordinal(3, 2), "（三）");
        assert_eq!(ordinal(4, 3), "4.");
        assert_eq!(ordinal(12, 4), "（12）");
    }

    #[test]
    fn percent_rounds_to_tenths() {
        assert_eq!(percent_text(28, 31), "90.3%");
        assert_eq!(percent_text(3, 3), "100%");
        assert_eq!(percent_text(0, 0), "0%");
    }

    #[test]
    fn links_spell_out_index_html() {
        assert_eq!(link("../../", "notices/a/"), "../../notices/a/index.html");
        assert_eq!(link("", ""), "index.html");
        assert_eq!(link("../", "style.css"), "../style.css");
        assert_eq!(link("../", "notices/a/#x"), "../notices/a/index.html#x");
    }
}
