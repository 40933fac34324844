//! The lines of a notice as it was written, also when the page it was
//! copied from lost its line breaks: a paragraph holding the whole notice is
//! cut again before every numbered heading, labelled line and signature.

use super::text::{chinese_date, marker, normalize};

/// Labels that begin a line of their own in the notices surveyed.
const LINE_LABELS: &[&str] = &[
    "整改情况",
    "整改落实情况",
    "整改措施",
    "整改状态",
    "整改进展",
    "整改完成情况",
    "完成情况",
    "完成时限",
    "整改时限",
    "责任单位",
    "责任部门",
    "责任领导",
];

/// The non-empty lines of `source`, trimmed, with run-together paragraphs
/// cut where a line of their own would begin.
pub fn logical_lines(source: &str) -> Vec<String> {
    let lines: Vec<String> = source
        .replace("\r\n", "\n")
        .replace('\r', "\n")
        .trim_start_matches('\u{feff}')
        .lines()
        .map(|line| line.trim().trim_end_matches('|').trim())
        .filter(|line| !line.is_empty())
        .flat_map(|line| {
            if line.chars().count() > 200 {
                cut_run_together(line)
            } else {
                vec![line.to_owned()]
            }
        })
        .collect();
    join_labels_with_values(lines)
}

/// `• 发布日期：` on one line and its value on the next, as one line.
fn join_labels_with_values(lines: Vec<String>) -> Vec<String> {
    let mut joined: Vec<String> = Vec::with_capacity(lines.len());
    let mut pending: Option<String> = None;
    for line in lines {
        if let Some(label) = pending.take() {
            if is_bare_label(&line) {
                joined.push(label);
            } else {
                joined.push(format!("{label}{line}"));
                continue;
            }
        }
        if is_bare_label(&line) {
            pending = Some(line);
        } else {
            joined.push(line);
        }
    }
    joined.extend(pending);
    joined
}

/// A line that is only a label whose value is on the next line:
/// `• 文件名称：`, `- 发布日期:`. A counter (`浏览次数：`) is often left empty.
fn is_bare_label(line: &str) -> bool {
    const COUNTERS: &[&str] = &["浏览", "阅读", "访问", "点击"];
    let bare = line.trim_start_matches(['-', '•', '·', '*', ' ']);
    bare.strip_suffix([':', '：']).is_some_and(|label| {
        let count = label.chars().filter(|c| !c.is_whitespace()).count();
        (2..=6).contains(&count)
            && !label.contains(['。', '，', ','])
            && !COUNTERS.iter().any(|counter| label.contains(counter))
    })
}

/// A paragraph cut before each part that begins a line in a notice: a
/// numbered heading or a label after the end of a sentence (or a space),
/// the title before the first space, the signature at the end.
pub fn cut_run_together(paragraph: &str) -> Vec<String> {
    let chars: Vec<(usize, char)> = paragraph.char_indices().collect();
    let mut cuts = Vec::new();
    for (index, &(at, c)) in chars.iter().enumerate() {
        let after_break = index > 0 && matches!(chars[index - 1].1, '。' | ' ' | '　' | '；');
        if !after_break || c == ' ' || c == '　' {
            continue;
        }
        let rest = &paragraph[at..];
        let numbered = marker(rest).is_some();
        let normal_head = normalize(&rest.chars().take(8).collect::<String>());
        let labelled = LINE_LABELS
            .iter()
            .any(|label| normal_head.starts_with(&format!("{label}:")));
        // The closing (欢迎广大干部群众监督…) and a summary of the list
        // (上述问题中，第1、3项…).
        let closing = ["欢迎", "如对", "如有意见", "上述", "以上"]
            .iter()
            .any(|word| rest.starts_with(word));
        if numbered || labelled || closing {
            cuts.push(at);
        }
        // `一、整改工作组织情况 院党委…`: a heading, then its text.
        if numbered
            && let Some(space) = rest.find([' ', '　'])
            && rest[..space].chars().count() <= 30
            && !rest[..space].contains(['。', '，', ','])
        {
            cuts.push(at + space);
        }
    }
    // The title: the first stretch between spaces that reads as one (a
    // line of page facts may come before it).
    let spaces: Vec<usize> = paragraph
        .match_indices([' ', '　'])
        .map(|(at, _)| at)
        .collect();
    let starts = std::iter::once(0).chain(spaces.iter().copied());
    let stretches: Vec<(usize, usize)> = starts.zip(spaces.iter().copied()).collect();
    let reads_as_title = |stretch: &str| {
        ["通报", "报告", "公示", "公告"]
            .iter()
            .any(|end| stretch.ends_with(end))
            && (8..=80).contains(&stretch.chars().count())
            && ["关于", "巡察", "巡视", "整改"]
                .iter()
                .any(|word| stretch.contains(word))
            && !stretch.contains(['。', '：', ':'])
    };
    if let Some(at) = stretches
        .iter()
        .position(|&(start, end)| reads_as_title(paragraph[start..end].trim()))
    {
        let (mut start, end) = stretches[at];
        // 中共某某委员会 关于…的通报: the issuing body on its own stretch.
        if paragraph[start..end].trim().starts_with("关于")
            && let Some(&(before, _)) = at.checked_sub(1).and_then(|i| stretches.get(i))
            && paragraph[before..start].trim().chars().count() <= 30
            && !paragraph[before..start].contains(['。', '，', ':', '：'])
        {
            start = before;
        }
        cuts.push(start);
        cuts.push(end);
    }
    // The signature: a body and a date after the last sentence.
    if let Some(last_stop) = paragraph.rfind('。') {
        let after = last_stop + '。'.len_utf8();
        let tail_at = after + (paragraph[after..].len() - paragraph[after..].trim_start().len());
        let tail = paragraph[tail_at..].trim_end();
        if let Some(space) = tail.rfind([' ', '　']) {
            let date = tail[space..].trim_start();
            if chinese_date(date).is_some() && tail[..space].trim().chars().count() <= 40 {
                cuts.push(tail_at);
                cuts.push(tail_at + tail.len() - date.len());
            }
        }
    }
    cuts.sort_unstable();
    cuts.dedup();
    let mut lines = Vec::new();
    let mut start = 0;
    for cut in cuts.into_iter().chain([paragraph.len()]) {
        if cut <= start || !paragraph.is_char_boundary(cut) {
            continue;
        }
        let piece = paragraph[start..cut].trim();
        if !piece.is_empty() {
            lines.push(piece.to_owned());
        }
        start = cut;
    }
    let piece = paragraph[start..].trim();
    if !piece.is_empty() {
        lines.push(piece.to_owned());
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_notice_in_one_paragraph_is_cut_into_its_lines() {
        let text = "某某医院党委关于巡察整改进展情况的通报 根据区委统一部署，2024年3月1日至4月30日，区委第一巡察组对医院党委开展了巡察。一、整改工作组织情况 院党委成立领导小组，制定整改方案，明确分工，逐项推进，按月调度。二、反馈问题整改情况 （一）党的建设方面 1.议事规则执行不严。整改情况：修订议事规则。整改状态：已完成。2.警示教育不够。整改情况：开展警示教育。整改状态：正在整改。欢迎监督，联系电话：010-1234567。某某医院党委 2024年6月1日";
        let lines = logical_lines(text);
        assert_eq!(
            lines,
            [
                "某某医院党委关于巡察整改进展情况的通报",
                "根据区委统一部署，2024年3月1日至4月30日，区委第一巡察组对医院党委开展了巡察。",
                "一、整改工作组织情况",
                "院党委成立领导小组，制定整改方案，明确分工，逐项推进，按月调度。",
                "二、反馈问题整改情况",
                "（一）党的建设方面",
                "1.议事规则执行不严。",
                "整改情况：修订议事规则。",
                "整改状态：已完成。",
                "2.警示教育不够。",
                "整改情况：开展警示教育。",
                "整改状态：正在整改。",
                "欢迎监督，联系电话：010-1234567。",
                "某某医院党委",
                "2024年6月1日",
            ]
        );
    }

    #[test]
    fn ordinary_lines_are_kept_as_they_are() {
        let text = "一、整改情况\r\n\r\n  1.问题一。  \n整改情况：已完成 |\n";
        assert_eq!(
            logical_lines(text),
            ["一、整改情况", "1.问题一。", "整改情况：已完成"]
        );
    }
}
