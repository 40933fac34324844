//! What a notice copied from a web page carries besides the notice: the
//! breadcrumb, the line of page facts (发布时间 … 信息来源 … 浏览次数), reading
//! widgets (字号 大 中 小, 我要打印), links to the neighbouring articles, and
//! the site's footer (版权所有, ICP 备案号). Such lines are dropped and
//! listed in the report; the publication date they carry is kept.

use super::text::{first_date, normalize};
use crate::model::date::Date;

/// Labels of the page-facts line; the first ones date the page.
const DATE_LABELS: &[&str] = &[
    "发布时间",
    "发布日期",
    "信息时间",
    "發布時間",
    "日期",
    "时间",
];
const FACT_LABELS: &[&str] = &[
    "信息来源",
    "来源",
    "浏览次数",
    "阅读次数",
    "访问量",
    "浏览量",
    "点击数",
    "点击量",
    "作者",
    "字体大小",
    "字号",
    "字体",
    "保护视力色",
    "色调调节",
    "分享到",
    "分享",
    "我要打印",
    "打印",
    "关闭",
    "朗读",
    "责任编辑",
    "编辑",
];
/// Words that make a short line part of the page's frame wherever it is.
const FRAME_WORDS: &[&str] = &[
    "版权所有",
    "ICP备",
    "ICP证",
    "备案号",
    "公网安备",
    "网站标识码",
    "主办单位",
    "承办单位",
    "技术支持",
    "扫一扫",
    "关怀版",
    "无障碍",
    "返回首页",
    "网站声明",
    "网站地图",
    "关于我们",
    "【打印】",
    "【关闭】",
    "打印本页",
    "关闭窗口",
    "保护视力色",
];

/// A line that is page residue, and the date it gives the page, if any.
pub struct Residue {
    pub published: Option<Date>,
}

/// Whether `line` is residue of the page the notice was copied from.
pub fn residue(line: &str) -> Option<Residue> {
    let bare = line.trim_start_matches(['-', '•', '·', '*', ' ']).trim();
    let normal = normalize(bare);
    is_residue(bare, &normal).then(|| Residue {
        published: DATE_LABELS.iter().find_map(|label| {
            normal
                .match_indices(label)
                .map(|(at, _)| at + label.len())
                .find(|&end| labelled_at(&normal, end))
                .and_then(|end| first_date(&normal[end..], None))
        }),
    })
}

fn is_residue(bare: &str, normal: &str) -> bool {
    let short = bare.chars().count() <= 120 && !bare.contains('。');
    if bare.starts_with("![") || bare.is_empty() {
        return true;
    }
    if ["上一篇", "下一篇", "上一条", "下一条"]
        .iter()
        .any(|word| bare.starts_with(word))
        && bare.chars().count() <= 80
    {
        return true;
    }
    let breadcrumb = ["当前位置", "您当前的位置", "您的位置", "所在位置"]
        .iter()
        .any(|word| bare.starts_with(word))
        || (bare.starts_with("首页") && bare.contains(['>', '»', '＞']));
    if short && (breadcrumb || FRAME_WORDS.iter().any(|word| bare.contains(word))) {
        return true;
    }
    // 发布日期:2025-02-14信息来源:… — labels glued, a colon after each.
    let labels = DATE_LABELS
        .iter()
        .chain(FACT_LABELS)
        .filter(|label| {
            normal
                .match_indices(*label)
                .any(|(at, _)| labelled_at(normal, at + label.len()))
        })
        .count();
    let starts_labelled = DATE_LABELS.iter().chain(FACT_LABELS).any(|label| {
        let text = normal.trim_start_matches(['【', '[']);
        text.starts_with(label) && labelled_at(text, label.len())
    });
    short && starts_labelled && (labels >= 2 || bare.chars().count() <= 40)
}

/// Whether a label ending at `end` is followed by its colon (or, in the
/// widgets `【字号 】`, a space or bracket).
fn labelled_at(text: &str, end: usize) -> bool {
    text[end..]
        .chars()
        .next()
        .is_none_or(|c| matches!(c, ':' | ' ' | '】' | ']' | '：'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_facts_widgets_and_frames_are_residue_and_the_page_date_is_kept() {
        for (line, date) in [
            (
                "发布时间：2025-04-08 信息来源：院党委办公室 浏览次数：",
                Some("2025-04-08"),
            ),
            (
                "发布日期:2025-02-14信息来源:区卫生健康委浏览次数:",
                Some("2025-02-14"),
            ),
            (
                "日期：2025-06-20  来源：中心办公室  阅读次数：0",
                Some("2025-06-20"),
            ),
            (
                "【信息来源: 院办 【信息时间:2025-03-21 阅读次数: 】【字号 大 中 小】【我要打印】【关闭】",
                Some("2025-03-21"),
            ),
            ("- 信息来源：市卫生健康委", None),
            ("当前位置：首页 > 信息公开 > 巡察整改", None),
            ("首页 > 信息公开 > 通知公告", None),
            ("字体大小：大 中 小 保护视力色：", None),
            ("上一篇：关于开展义诊活动的通知", None),
            ("版权所有：澄江市第二人民医院 滇ICP备12345678号-1", None),
            ("扫一扫在手机打开当前页", None),
        ] {
            let found = residue(line).unwrap_or_else(|| panic!("not residue: {line}"));
            assert_eq!(
                found.published.map(|d| d.to_string()).as_deref(),
                date,
                "{line}"
            );
        }
    }

    #[test]
    fn sentences_of_the_notice_are_not_residue() {
        for line in [
            "根据市委统一部署，2024年9月9日至11月8日，市委第三巡察组对医院党委开展了常规巡察。",
            "整改情况：修订中心组学习制度，全年安排专题学习12次。",
            "整改时限：2025年5月31日",
            "来源于群众反映的问题已全部办结",
            "关于“信息来源不明的药品采购”问题的整改",
        ] {
            assert!(residue(line).is_none(), "{line}");
        }
    }
}
