//! Reading the pieces of a plain-text notice: numbering, dates, the
//! inspection round, counts, status sentences, contact details.

use crate::load::text::number_before;
use crate::model::date::Date;
use crate::model::status::Status;

use crate::load::content::Declared;
use crate::model::supervision::Supervision;

/// Full-width punctuation and digits as their ASCII forms, so that patterns
/// match both ways of writing; Chinese quotes are kept.
pub fn normalize(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '：' => ':',
            '，' => ',',
            '（' => '(',
            '）' => ')',
            '；' => ';',
            '．' => '.',
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            c => c,
        })
        .collect()
}

/// A numbering at the start of a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Marker {
    /// 一、
    Section(u32),
    /// （一）
    Paren(u32),
    /// 1.
    Number(u32),
    /// （1）
    ParenNumber(u32),
    /// 问题1：, 问题二、 — a problem named by a label and its number.
    Labelled(u32),
}

const NUMERALS: &str = "一二三四五六七八九十百零";

fn chinese_value(text: &str) -> Option<u32> {
    let digit = |c: char| "零一二三四五六七八九".find(c).map(|i| (i / 3) as u32);
    let chars: Vec<char> = text.chars().collect();
    match chars.as_slice() {
        [] => None,
        ['十'] => Some(10),
        ['十', one] => Some(10 + digit(*one)?),
        [tens, '十'] => Some(digit(*tens)? * 10),
        [tens, '十', one] => Some(digit(*tens)? * 10 + digit(*one)?),
        [one] => digit(*one),
        _ => None,
    }
}

pub fn marker(line: &str) -> Option<Marker> {
    let normal = normalize(line);
    let text = normal.trim_start();
    if let Some(rest) = text.strip_prefix("问题") {
        let number: String = rest
            .chars()
            .take_while(|c| c.is_ascii_digit() || NUMERALS.contains(*c))
            .collect();
        let value = number.parse().ok().or_else(|| chinese_value(&number));
        if let Some(value) = value
            && rest[number.len()..].starts_with([':', '、', '.', ' '])
        {
            return Some(Marker::Labelled(value));
        }
    }
    if let Some(rest) = text.strip_prefix('(') {
        let inner: String = rest.chars().take_while(|&c| c != ')').collect();
        if rest.len() > inner.len() {
            if let Ok(number) = inner.parse::<u32>() {
                return Some(Marker::ParenNumber(number));
            }
            if let Some(number) = chinese_value(&inner) {
                return Some(Marker::Paren(number));
            }
        }
        return None;
    }
    let numerals: String = text.chars().take_while(|&c| NUMERALS.contains(c)).collect();
    if !numerals.is_empty() && text[numerals.len()..].starts_with('、') {
        return chinese_value(&numerals).map(Marker::Section);
    }
    let digits: String = text.chars().take_while(char::is_ascii_digit).collect();
    if !digits.is_empty() && digits.len() <= 3 {
        let rest = &text[digits.len()..];
        let after = rest.chars().nth(1);
        if (rest.starts_with('.') && !after.is_some_and(|c| c.is_ascii_digit()))
            || rest.starts_with('、')
        {
            return digits.parse().ok().map(Marker::Number);
        }
    }
    None
}

/// The text after a line's numbering.
pub fn strip_marker(line: &str) -> String {
    let text = line.trim_start();
    let normal = normalize(text);
    let skip = if matches!(marker(text), Some(Marker::Labelled(_))) {
        normal
            .char_indices()
            .find(|&(_, c)| matches!(c, ':' | '、' | '.' | ' '))
            .map(|(at, _)| normal[..at].chars().count() + 1)
    } else if normal.starts_with('(') {
        normal.find(')').map(|at| normal[..=at].chars().count())
    } else {
        normal
            .char_indices()
            .find(|&(_, c)| c == '、' || c == '.')
            .map(|(at, _)| normal[..at].chars().count() + 1)
    };
    text.chars()
        .skip(skip.unwrap_or(0))
        .collect::<String>()
        .trim()
        .to_owned()
}

/// The text between a line's first opening quote and its last closing one.
pub fn quoted(text: &str) -> Option<String> {
    let open = text.find(['“', '"'])?;
    let close = text.rfind(['”', '"'])?;
    let inner_start = open + text[open..].chars().next()?.len_utf8();
    (close > inner_start).then(|| text[inner_start..close].to_owned())
}

/// A problem's title from its heading: `针对“理论学习不主动”问题。` →
/// `理论学习不主动`; headings without quotes lose only their end punctuation.
pub fn clean_title(text: &str) -> String {
    let formulaic = ["关于", "针对"].iter().any(|p| text.starts_with(p));
    match quoted(text) {
        Some(inner) if formulaic => inner,
        _ => text
            .trim_end_matches(['。', '.', ':', '：', ';', '；'])
            .to_owned(),
    }
}

/// Dates written `2025-03-17`, `2025.3.17`, `2025/3/17` or `2025年3月17日`;
/// `default_year` fills in `3月17日`.
pub fn dates(text: &str, default_year: Option<i32>) -> Vec<(usize, Date)> {
    let normal = normalize(text);
    let chars: Vec<(usize, char)> = normal.char_indices().collect();
    let mut found = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let (start, c) = chars[i];
        if !c.is_ascii_digit() || (i > 0 && chars[i - 1].1.is_ascii_digit()) {
            i += 1;
            continue;
        }
        let numbers_from = |mut j: usize| {
            let mut parts: Vec<(u32, char)> = Vec::new();
            while j < chars.len() && parts.len() < 3 {
                let digits: String = chars[j..]
                    .iter()
                    .map(|&(_, c)| c)
                    .take_while(char::is_ascii_digit)
                    .collect();
                if digits.is_empty() || digits.len() > 4 {
                    break;
                }
                j += digits.len();
                let separator = chars.get(j).map_or(' ', |&(_, c)| c);
                parts.push((digits.parse().unwrap_or(0), separator));
                if matches!(separator, '-' | '.' | '/' | '年' | '月') {
                    j += 1;
                } else {
                    if separator == '日' {
                        j += 1;
                    }
                    break;
                }
            }
            (parts, j)
        };
        let (parts, next) = numbers_from(i);
        let written = match parts.as_slice() {
            [(y, s1), (m, s2), (d, _)]
                if *y >= 1900 && s1 == s2 || (*s1 == '年' && *s2 == '月') =>
            {
                Date::new(*y as i32, *m, *d).map(|date| (date, next))
            }
            [(m, '月'), (d, '日')] => default_year
                .and_then(|y| Date::new(y, *m, *d))
                .map(|date| (date, next)),
            _ => None,
        };
        let date = written.or_else(|| lost_characters(&chars, i, default_year));
        if let Some((date, next)) = date {
            found.push((start, date));
            i = next.max(i + 1);
        } else {
            i += 1;
        }
    }
    found
}

/// A date whose 年 and 月 a web page lost: `2024819日` (2024年8月19日), or with
/// `default_year`, `1018日` (10月18日). Of two readings the one with a
/// two-digit month is taken; a day never starts with 0.
fn lost_characters(
    chars: &[(usize, char)],
    from: usize,
    default_year: Option<i32>,
) -> Option<(Date, usize)> {
    let digits: String = chars[from..]
        .iter()
        .map(|&(_, c)| c)
        .take_while(char::is_ascii_digit)
        .collect();
    let end = from + digits.len();
    if chars.get(end).map(|&(_, c)| c) != Some('日') {
        return None;
    }
    let (year, month_day) = match digits.len() {
        5..=8 => (digits[..4].parse().ok()?, &digits[4..]),
        3 | 4 => (default_year?, &digits[..]),
        _ => return None,
    };
    if !(1900..=2100).contains(&year) {
        return None;
    }
    let readings = [2, 1].into_iter().filter_map(|month_len| {
        let (month, day) = month_day.split_at_checked(month_len)?;
        if day.is_empty() || day.len() > 2 || day.starts_with('0') || month.starts_with('0') {
            return None;
        }
        Date::new(year, month.parse().ok()?, day.parse().ok()?)
    });
    readings.into_iter().next().map(|date| (date, end + 1))
}

pub fn first_date(text: &str, default_year: Option<i32>) -> Option<Date> {
    dates(text, default_year).first().map(|&(_, date)| date)
}

/// A line that is only a date (a signature date).
pub fn chinese_date(line: &str) -> Option<Date> {
    let date = first_date(line, None)?;
    let rest: String = normalize(line)
        .chars()
        .filter(|c| !c.is_ascii_digit() && !"年月日-./ ".contains(*c))
        .collect();
    rest.is_empty().then_some(date)
}

/// `市委第六巡察组`, `区委第四巡察组`, `省委第二巡视组`.
pub fn inspection_body(text: &str) -> Option<String> {
    let end = text
        .find("巡察组")
        .map(|at| at + "巡察组".len())
        .or_else(|| text.find("巡视组").map(|at| at + "巡视组".len()))?;
    let before: Vec<(usize, char)> = text[..end].char_indices().collect();
    let start = before
        .iter()
        .rev()
        .take(12)
        .find(|&&(_, c)| "市区县省州".contains(c))
        .map(|&(at, _)| at)?;
    let body = &text[start..end];
    body.contains('第').then(|| body.to_owned())
}

/// The unit inspected, as the introduction names it: `…对区疾控中心党总支
/// 开展了常规巡察` → `区疾控中心党总支`.
pub fn inspected_unit(text: &str) -> Option<String> {
    let end = ["开展了", "进行了", "开展", "进行"]
        .iter()
        .filter_map(|word| text.find(word))
        .min()?;
    let start = text[..end].rfind('对')? + '对'.len_utf8();
    let unit = text[start..end].trim();
    let count = unit.chars().count();
    ((2..=30).contains(&count) && !unit.contains([',', '，', '。'])).then(|| unit.to_owned())
}

/// `2024年5月27日至2024年7月26日` (the second year may be left out).
pub fn period(text: &str) -> Option<(Date, Date)> {
    let to = text.find('至')?;
    let start = dates(&text[..to], None).last().map(|&(_, d)| d)?;
    let end = dates(&text[to..], Some(start.year()))
        .first()
        .map(|&(_, d)| d)?;
    (end >= start).then_some((start, end))
}

/// The date of the feedback (反馈): the last date before the word, in the
/// year of the inspection's end (or the first year the sentence names), or
/// the next when the month comes earlier.
pub fn feedback(text: &str, end: Option<Date>) -> Option<Date> {
    let at = text.find("反馈")?;
    let window_start = text[..at]
        .char_indices()
        .rev()
        .nth(60)
        .map_or(0, |(i, _)| i);
    let window = &text[window_start..at];
    // Without the inspection's end, the year the sentence names first.
    let year = end.map(Date::year).or_else(|| {
        let year_at = text[..at].find('年')?;
        number_before(text, year_at)
            .filter(|year| (1900..=2100).contains(year))
            .map(|year| year as i32)
    });
    let found = dates(window, year).last().map(|&(_, d)| d)?;
    // `…至6月13日，…对…开展了巡察，并反馈了巡察意见`: that is the end of the
    // inspection, and the feedback has no date.
    if Some(found) == end {
        return None;
    }
    match end {
        Some(end) if found < end => Date::new(
            found.year() + 1,
            found.naive().format("%m").to_string().parse().ok()?,
            found.naive().format("%d").to_string().parse().ok()?,
        ),
        _ => Some(found),
    }
}

/// The number written just before `end`, in digits or in Chinese numerals
/// (`四个方面`).
fn count_before(text: &str, end: usize) -> Option<u32> {
    number_before(text, end).or_else(|| {
        let numerals: String = text[..end]
            .chars()
            .rev()
            .take_while(|c| NUMERALS.contains(*c) || *c == '两')
            .map(|c| if c == '两' { '二' } else { c })
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        chinese_value(&numerals)
    })
}

/// `4个方面、11个大项、31条问题` → aspects, items, problems.
pub fn declared(text: &str) -> Declared {
    let mut counts = [None, None, None];
    for (slot, words) in [
        (0, &["个方面"][..]),
        (1, &["个大项"]),
        (2, &["条问题", "项问题", "个问题", "具体问题", "条具体问题"]),
    ] {
        for word in words {
            if let Some(at) = text.find(word)
                && let Some(n) = count_before(text, at)
            {
                counts[slot] = Some(n);
                break;
            }
        }
    }
    // 指出问题5个, 共反馈问题12条.
    if counts[2].is_none()
        && let Some(at) = text.find("问题")
    {
        let after = &text[at + "问题".len()..];
        let digits: String = after.chars().take_while(char::is_ascii_digit).collect();
        if !digits.is_empty() && after[digits.len()..].starts_with(['个', '条', '项']) {
            counts[2] = digits.parse().ok();
        }
    }
    let [aspects, items, problems] = counts;
    Declared {
        aspects,
        items,
        problems,
    }
}

/// What a status sentence (`整改完成情况：已整改完成。`) says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusLine {
    pub status: Status,
    pub long_term: bool,
    pub deadline: Option<Date>,
    /// The date the status is said at: when a completed problem was
    /// completed, or how late the report on another one runs.
    pub dated: Option<Date>,
    /// Whether the status was only inferred from a bare date under a
    /// deadline label (`完成时限：2024年8月底前`): a status said beside it wins.
    pub from_deadline_only: bool,
}

const STATUS_LABELS: &[&str] = &[
    "整改完成情况",
    "完成情况",
    "整改进展情况",
    "整改进展",
    "进展情况",
    "整改进度",
    "整改状态",
    "完成时间",
    "完成时限",
    "整改时限",
];

pub fn status_line(line: &str) -> Option<StatusLine> {
    let normal = normalize(line);
    let (label, rest) = normal.split_once(':')?;
    let label = label.trim();
    if !STATUS_LABELS.contains(&label) {
        return None;
    }
    let deadline = deadline(rest);
    let in_progress = Status::InProgress.said_in(rest);
    let long_term = Status::long_term_said_in(rest);
    let partial = Status::Partial.said_in(rest);
    let completed = Status::Completed.said_in(rest);
    let from_deadline_only = !(in_progress || partial || completed || long_term);
    let status = if in_progress {
        Status::InProgress
    } else if partial && !long_term {
        Status::Partial
    } else if completed || long_term {
        Status::Completed
    } else if label.starts_with("完成时") || label.ends_with("时限") {
        // Only a date: done by then, or still to do.
        if rest.contains('已') {
            Status::Completed
        } else {
            Status::InProgress
        }
    } else {
        return None;
    };
    let dated = if label.ends_with("时限") {
        // A deadline column says when, not how far.
        None
    } else if label == "完成时间" && status == Status::Completed {
        deadline
    } else {
        status_date(rest, status)
    };
    Some(StatusLine {
        status,
        long_term,
        deadline: if status == Status::Completed && label.starts_with("整改完成") {
            None
        } else {
            deadline
        },
        dated,
        from_deadline_only,
    })
}

/// The date that goes with a status: `截至2025年6月底` (the status as of
/// then), and for a completed problem `已于2025年4月15日完成整改` or
/// `2025年3月已整改到位` (when it was completed). A month stands for its
/// last day. A plan (`计划2025年12月底前完成`) is not such a date.
pub fn status_date(text: &str, status: Status) -> Option<Date> {
    const PLANNED: &[&str] = &["前", "计划", "预计", "力争", "确保", "将于", "拟"];
    const DONE: &[&str] = &["到位", "完毕", "办结", "销号", "完成"];
    let normal = normalize(text);
    for clause in clauses(&normal) {
        if PLANNED.iter().any(|cue| clause.contains(cue)) {
            continue;
        }
        let Some(date) = date_or_month_end(clause) else {
            continue;
        };
        let as_of = clause.contains("截至") || clause.contains("截止");
        let done = status == Status::Completed
            && (Status::Completed.said_in(clause) || DONE.iter().any(|cue| clause.contains(cue)));
        if as_of || done {
            return Some(date);
        }
    }
    None
}

/// A status said in the measures themselves (`目前已完成整改`, `正在征求意见，
/// 计划2025年5月底前完成`), for problems without a status line.
pub fn status_in_prose(body: &str) -> Option<StatusLine> {
    let normal = normalize(body);
    // Beyond the status phrases, measures still under way say so by
    // what is being or is to be done.
    let in_progress = Status::InProgress.said_in(&normal)
        || ["正在", "计划"].iter().any(|cue| normal.contains(cue));
    let completed = Status::Completed.said_in(&normal);
    let long_term = Status::long_term_said_in(&normal);
    let status = if in_progress && !completed {
        Status::InProgress
    } else if completed {
        Status::Completed
    } else {
        return None;
    };
    let deadline = (status == Status::InProgress)
        .then(|| deadline(&normal))
        .flatten();
    Some(StatusLine {
        status,
        long_term,
        deadline,
        dated: status_date(&normal, status),
        from_deadline_only: false,
    })
}

/// The clauses of a sentence, where a date and what it means go together.
fn clauses(text: &str) -> impl Iterator<Item = &str> {
    text.split(['，', ',', '。', '；', ';', '（', '）', '(', ')', '、'])
}

/// `2025年12月前`, `2025年7月完成`, `2025年12月31日前` → the last day meant;
/// a date the status is reported at (`截至2025年6月底`) is no deadline.
pub fn deadline(text: &str) -> Option<Date> {
    let as_of = |clause: &str| {
        (clause.contains("截至") || clause.contains("截止")) && !clause.contains('前')
    };
    let text = normalize(text);
    clauses(&text)
        .filter(|clause| !as_of(clause))
        .find_map(date_or_month_end)
}

/// The first date of `text`, or the last day of the first month named.
fn date_or_month_end(text: &str) -> Option<Date> {
    if let Some(date) = first_date(text, None) {
        return Some(date);
    }
    let year_at = text.find('年')?;
    let year = number_before(text, year_at)? as i32;
    let rest = &text[year_at + '年'.len_utf8()..];
    let month_at = rest.find('月')?;
    let month = number_before(rest, month_at)?;
    (28..=31).rev().find_map(|day| Date::new(year, month, day))
}

/// Problem numbers a summary names: `第5、9项`, `第3条`, `(14)(20)`.
pub fn problem_numbers(clause: &str) -> Vec<usize> {
    let mut numbers = Vec::new();
    let mut rest = clause;
    while let Some(at) = rest.find('第') {
        let after = &rest[at + '第'.len_utf8()..];
        let list: String = after
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == '、' || *c == ',')
            .collect();
        let tail = &after[list.len()..];
        if tail.starts_with('项') || tail.starts_with('条') || tail.starts_with('个') {
            numbers.extend(
                list.split(['、', ','])
                    .filter_map(|n| n.parse::<usize>().ok()),
            );
        }
        rest = after;
    }
    let mut rest = clause;
    while let Some(at) = rest.find('(') {
        let after = &rest[at + 1..];
        let digits: String = after.chars().take_while(char::is_ascii_digit).collect();
        if !digits.is_empty() && after[digits.len()..].starts_with(')') {
            numbers.extend(digits.parse::<usize>().ok());
        }
        rest = after;
    }
    numbers.sort_unstable();
    numbers.dedup();
    numbers
}

/// `整改情况:一是…` → `**整改情况：**一是…`.
pub fn bold_label(line: &str) -> String {
    let split = line.char_indices().find(|&(_, c)| c == ':' || c == '：');
    match split {
        Some((at, colon))
            if line[..at].chars().count() <= 8
                && [
                    "情况", "措施", "时限", "进展", "单位", "领导", "科室", "时间", "成效",
                ]
                .iter()
                .any(|end| line[..at].ends_with(end)) =>
        {
            format!("**{}：**{}", &line[..at], &line[at + colon.len_utf8()..])
        }
        _ => line.to_owned(),
    }
}

/// Contact details from the closing paragraph.
pub fn supervision(line: &str, contact: &mut Supervision) {
    let normal = normalize(line);
    let text_end = ["联系方式", "联系电话", "电话", "电子邮箱", "邮箱"]
        .iter()
        .filter_map(|word| normal.find(word))
        .min()
        .unwrap_or(normal.len());
    let text = normal[..text_end]
        .trim()
        .trim_end_matches([',', ';'])
        .trim();
    if !text.is_empty() {
        contact.text = Some(text.to_owned());
    }
    let value_after = |word: &str| -> Option<String> {
        let at = normal.find(word)? + word.len();
        let rest = normal[at..].trim_start_matches([')', ':', ' ']);
        let end = rest.find([';', ',', '。', ' ']).unwrap_or(rest.len());
        let value = rest[..end].trim().to_owned();
        (!value.is_empty()).then_some(value)
    };
    if let Some(phone) = value_after("电话") {
        let phone: String = phone
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == '-')
            .collect();
        if !phone.is_empty() {
            contact.phone = Some(phone);
        }
    }
    for word in ["通信地址", "邮政信箱", "地址"] {
        if let Some(value) = value_after(word)
            && !value.contains('@')
            && contact.address.is_none()
        {
            contact.address = Some(value);
        }
    }
    if let Some(code) = value_after("邮编").or_else(|| value_after("邮政编码")) {
        let code: String = code.chars().take_while(char::is_ascii_digit).collect();
        if code.len() == 6 {
            contact.postcode = Some(code);
        }
    }
    if let Some(at) = normal.find('@') {
        let start = normal[..at]
            .char_indices()
            .rev()
            .take_while(|&(_, c)| c.is_ascii_alphanumeric() || "._-".contains(c))
            .last()
            .map_or(at, |(i, _)| i);
        let end = normal[at..]
            .char_indices()
            .skip(1)
            .find(|&(_, c)| !(c.is_ascii_alphanumeric() || ".-".contains(c)))
            .map_or(normal.len(), |(i, _)| at + i);
        let email = normal[start..end].trim_end_matches('.');
        if email.len() > at - start + 1 {
            contact.email = Some(email.to_owned());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbering_in_both_widths() {
        assert_eq!(marker("一、整改工作组织情况"), Some(Marker::Section(1)));
        assert_eq!(marker("十二、其他"), Some(Marker::Section(12)));
        assert_eq!(marker("(三)细化任务分工"), Some(Marker::Paren(3)));
        assert_eq!(marker("（三）细化任务分工"), Some(Marker::Paren(3)));
        assert_eq!(marker("1. 关于“x”的问题"), Some(Marker::Number(1)));
        assert_eq!(marker("13.关于“x”问题的整改。"), Some(Marker::Number(13)));
        assert_eq!(marker("(31)关于“x”问题"), Some(Marker::ParenNumber(31)));
        assert_eq!(marker("2025年2月25日"), None);
        assert_eq!(marker("3.5万元"), None);
        assert_eq!(
            strip_marker("(1)针对“理论学习不主动”问题。"),
            "针对“理论学习不主动”问题。"
        );
        assert_eq!(strip_marker("1. 关于“x”的问题"), "关于“x”的问题");
    }

    #[test]
    fn titles_drop_the_formula_around_the_quote() {
        assert_eq!(clean_title("针对“理论学习不主动”问题。"), "理论学习不主动");
        assert_eq!(
            clean_title("针对““第一议题”制度执行不到位”问题。"),
            "“第一议题”制度执行不到位"
        );
        assert_eq!(
            clean_title("关于“党的领导弱化,党的领导核心作用发挥不充分”问题的整改。"),
            "党的领导弱化,党的领导核心作用发挥不充分"
        );
        assert_eq!(clean_title("财务报销不规范。"), "财务报销不规范");
    }

    #[test]
    fn dates_periods_and_feedback() {
        let d = |y, m, day| Date::new(y, m, day);
        assert_eq!(first_date("2025.3.17", None), d(2025, 3, 17));
        assert_eq!(first_date("成文时间:2025年09月26日", None), d(2025, 9, 26));
        let intro = normalize(
            "根据市委统一部署,市委第六巡察组于2024年5月27日至2024年7月26日对我院党委开展了巡察,并于10月15日进行了反馈",
        );
        assert_eq!(period(&intro), d(2024, 5, 27).zip(d(2024, 7, 26)));
        assert_eq!(inspection_body(&intro).as_deref(), Some("市委第六巡察组"));
        assert_eq!(feedback(&intro, d(2024, 7, 26)), d(2024, 10, 15));
        let intro = normalize(
            "2024年11月20日至2025年1月20日,区委第四巡察组对兴城社区卫生服务中心开展了常规巡察。3月18日,区委巡察组向兴城社区卫生服务中心反馈了巡察意见。",
        );
        assert_eq!(period(&intro), d(2024, 11, 20).zip(d(2025, 1, 20)));
        assert_eq!(feedback(&intro, d(2025, 1, 20)), d(2025, 3, 18));
        assert_eq!(chinese_date("2025年2月25日"), d(2025, 2, 25));
        assert_eq!(chinese_date("2025年2月25日召开会议"), None);
    }

    #[test]
    fn declared_counts() {
        let counts = |aspects, items, problems| Declared {
            aspects: Some(aspects),
            items: Some(items),
            problems: Some(problems),
        };
        assert_eq!(
            declared("反馈意见中指出4个方面、11个大项、31条问题"),
            counts(4, 11, 31)
        );
        assert_eq!(
            declared("对照巡察反馈的3个方面、9个大项、27具体问题"),
            counts(3, 9, 27)
        );
    }

    #[test]
    fn status_sentences() {
        let s = |line: &str| {
            status_line(line).map(|s| (s.status, s.long_term, s.deadline.map(|d| d.to_string())))
        };
        assert_eq!(
            s("整改完成情况:已整改完成。"),
            Some((Status::Completed, false, None))
        );
        assert_eq!(
            s("整改完成情况：长期任务取得阶段性成效并长期坚持。"),
            Some((Status::Completed, true, None))
        );
        assert_eq!(
            s("整改完成情况:即知即改并已整改完成"),
            Some((Status::Completed, false, None))
        );
        assert_eq!(
            s("整改完成情况:继续整改、2025年12月前整改完成;部分已整改完成。"),
            Some((Status::InProgress, false, Some("2025-12-31".into())))
        );
        assert_eq!(
            s("整改完成情况:已整改完成。医德医风培训继续整改,2025年7月完成."),
            Some((Status::InProgress, false, Some("2025-07-31".into())))
        );
        assert_eq!(
            s("完成时间：2025年6月30日"),
            Some((Status::InProgress, false, Some("2025-06-30".into())))
        );
        assert_eq!(
            s("完成情况：基本完成"),
            Some((Status::Partial, false, None))
        );
        assert_eq!(
            s("整改进展情况：截至2025年9月30日，正在推进，计划2025年12月底前完成。"),
            Some((Status::InProgress, false, Some("2025-12-31".into())))
        );
        assert_eq!(s("整改情况:一是……"), None);
        let dated = |line: &str| {
            status_line(line)
                .and_then(|s| s.dated)
                .map(|d| d.to_string())
        };
        for (line, expected) in [
            ("整改进展：截至2025年6月底已完成。", Some("2025-06-30")),
            (
                "整改完成情况：已于2025年4月15日完成整改。",
                Some("2025-04-15"),
            ),
            ("整改完成情况：2025年3月已整改到位。", Some("2025-03-31")),
            (
                "整改进展情况：截至2025年9月30日，正在推进，计划2025年12月底前完成。",
                Some("2025-09-30"),
            ),
            ("完成情况：基本完成（截至2025年8月）。", Some("2025-08-31")),
            ("完成时间：2025年6月30日（已完成）", Some("2025-06-30")),
            // A plan, a deadline column, a status with no date.
            ("整改完成情况：继续整改，2025年12月前整改完成。", None),
            ("完成时限：2025年6月30日（已完成）", None),
            ("整改完成情况：已整改完成。", None),
            ("整改进展：2025年7月完成方案初稿，正在征求意见。", None),
        ] {
            assert_eq!(dated(line).as_deref(), expected, "{line}");
        }
        // Every in-progress phrase of status.rs, and what front matter accepts.
        for phrase in Status::InProgress.phrases() {
            let read = s(&format!("整改完成情况：{phrase}"));
            assert_eq!(read.map(|r| r.0), Some(Status::InProgress), "{phrase}");
            assert_eq!(Status::parse(phrase).ok(), Some(Status::InProgress));
        }
    }

    #[test]
    fn a_status_said_in_the_measures() {
        let s = |body: &str| {
            status_in_prose(body).map(|s| (s.status, s.deadline.map(|d| d.to_string())))
        };
        assert_eq!(
            s("一是修订制度。目前已完成整改。"),
            Some((Status::Completed, None))
        );
        assert_eq!(
            s("正在征求意见，计划2025年5月底前完成。"),
            Some((Status::InProgress, Some("2025-05-31".into())))
        );
        assert_eq!(
            s("持续整改，按季度通报进展。").map(|r| r.0),
            Some(Status::InProgress)
        );
        assert_eq!(s("一是修订制度；二是加强学习。"), None);
        let dated = |body: &str| {
            status_in_prose(body)
                .and_then(|s| s.dated)
                .map(|d| d.to_string())
        };
        assert_eq!(
            dated("一是修订制度。该问题已于2025年5月20日整改完成。").as_deref(),
            Some("2025-05-20")
        );
        assert_eq!(
            dated("截至2025年6月30日，正在整改，计划年底前完成。").as_deref(),
            Some("2025-06-30")
        );
    }

    #[test]
    fn closing_paragraph_contacts() {
        let mut m = Supervision::default();
        supervision(
            "欢迎广大干部群众对巡察整改落实情况进行监督。如有意见建议，请及时向我们反映。联系方式：电话0000-12345678；邮政信箱：云溪市溪东区清河路8号云溪市第二人民医院，邮编：000123；电子邮箱：ydrmyy_dzb@example.cn。",
            &mut m,
        );
        assert_eq!(m.phone.as_deref(), Some("0000-12345678"));
        assert_eq!(
            m.address.as_deref(),
            Some("云溪市溪东区清河路8号云溪市第二人民医院")
        );
        assert_eq!(m.postcode.as_deref(), Some("000123"));
        assert_eq!(m.email.as_deref(), Some("ydrmyy_dzb@example.cn"));
        assert_eq!(
            m.text.as_deref(),
            Some("欢迎广大干部群众对巡察整改落实情况进行监督。如有意见建议,请及时向我们反映。")
        );
        let mut m = Supervision::default();
        supervision(
            "欢迎监督。如有意见建议,请及时向我们反映。联系方式(电话):0000-7654321;邮政信箱:qhjd-jjw@example.cn。",
            &mut m,
        );
        assert_eq!(m.phone.as_deref(), Some("0000-7654321"));
        assert_eq!(m.email.as_deref(), Some("qhjd-jjw@example.cn"));
        assert_eq!(m.address, None);
    }

    #[test]
    fn summaries_name_problems_by_number() {
        assert_eq!(
            problem_numbers("第5、9项继续整改,2025年12月底前完成"),
            [5, 9]
        );
        assert_eq!(problem_numbers("(14)(20)项已整改完成"), [14, 20]);
        assert_eq!(problem_numbers("第3条已完成"), [3]);
        assert!(problem_numbers("已完成整改28项").is_empty());
    }

    #[test]
    fn labels_become_bold() {
        assert_eq!(bold_label("整改情况:一是修订"), "**整改情况：**一是修订");
        assert_eq!(bold_label("一是修订制度:明确分工"), "一是修订制度:明确分工");
    }
}
