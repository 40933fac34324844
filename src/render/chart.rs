//! The progress chart, drawn as SVG at build time so it needs no script.

use std::fmt::Write;

use crate::model::status::Status;
use crate::site::Counts;
use crate::site::completion::Completion;

/// A stacked bar: one segment per status, in proportion to its count, with a
/// text alternative that reads out every number.
pub fn progress_svg(counts: &Counts) -> String {
    const WIDTH: usize = 600;
    const HEIGHT: usize = 28;
    let description = Status::ALL
        .iter()
        .map(|&status| format!("{}{}项", status.label(), counts.count(status)))
        .collect::<Vec<_>>()
        .join("，");
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg class="progress-chart" viewBox="0 0 {WIDTH} {HEIGHT}" preserveAspectRatio="none" role="img" aria-label="共{}项：{description}" xmlns="http://www.w3.org/2000/svg">"#,
        counts.total
    );
    let _ = write!(
        svg,
        r#"<rect class="track" x="0" y="0" width="{WIDTH}" height="{HEIGHT}" rx="4"/>"#
    );
    {
        let mut x = 0;
        for status in Status::ALL {
            let count = counts.count(status);
            if count == 0 {
                continue;
            }
            // The last segment takes what rounding left over, so the bar is always full.
            let is_last = Status::ALL
                .iter()
                .skip_while(|&&s| s != status)
                .skip(1)
                .all(|&s| counts.count(s) == 0);
            let width = if is_last {
                WIDTH - x
            } else {
                (count * WIDTH).checked_div(counts.total).unwrap_or(0)
            };
            let _ = write!(
                svg,
                r#"<rect class="seg-{}" x="{x}" y="0" width="{width}" height="{HEIGHT}"><title>{}{}项</title></rect>"#,
                status.key(),
                status.label(),
                count
            );
            x += width;
        }
    }
    svg.push_str("</svg>");
    svg
}

/// How many bars the completion chart draws at most before it groups
/// months into quarters, then quarters into years.
const MAX_BARS: usize = 36;

/// One bar of the completion chart: a month, a quarter or a year.
struct Bar {
    /// The text under the bar (`3月`, `二季度`, `2025年`).
    label: String,
    /// The year written under the first bar and where a year begins.
    year: Option<i32>,
    /// The bar's period in full (`2025年3月`).
    period: String,
    cumulative: usize,
    added: usize,
}

/// Groups the months of `completion` into at most `MAX_BARS` bars, each
/// with the issues completed by its end.
fn bars(completion: &Completion) -> Vec<Bar> {
    const QUARTERS: [&str; 4] = ["一季度", "二季度", "三季度", "四季度"];
    let span = completion.from.span_to(completion.to);
    let months_per_bar = if span <= MAX_BARS {
        1
    } else if span.div_ceil(3) <= MAX_BARS {
        3
    } else {
        12
    };
    // A span of centuries (a mistyped year) still draws at most MAX_BARS
    // bars: several years to a bar.
    let (first_year, last_year) = (completion.from.year(), completion.to.year());
    let years = usize::try_from(last_year - first_year + 1).unwrap_or(1);
    let years_per_bar = i32::try_from(years.div_ceil(MAX_BARS)).unwrap_or(i32::MAX);
    let mut bars: Vec<Bar> = Vec::new();
    let mut counts = completion.months.iter().peekable();
    let mut cumulative = 0;
    let mut month = completion.from;
    let mut previous_key = None;
    while month <= completion.to {
        let mut added = 0;
        while let Some(count) = counts.next_if(|count| count.month <= month) {
            added += count.completed;
        }
        cumulative += added;
        let (year, number) = (month.year(), month.number());
        let key = if months_per_bar < 12 {
            (year, (number - 1) / months_per_bar)
        } else {
            (
                first_year + (year - first_year) / years_per_bar * years_per_bar,
                0,
            )
        };
        if previous_key == Some(key) {
            if let Some(bar) = bars.last_mut() {
                bar.cumulative = cumulative;
                bar.added += added;
            }
        } else {
            let (label, period) = match months_per_bar {
                1 => (format!("{number}月"), month.chinese()),
                3 => {
                    let quarter = QUARTERS[((number - 1) / 3) as usize];
                    (quarter.to_owned(), format!("{year}年{quarter}"))
                }
                _ if years_per_bar == 1 => (format!("{year}年"), format!("{year}年")),
                _ => {
                    let end = key.0.saturating_add(years_per_bar - 1).min(last_year);
                    let years = format!("{}–{end}年", key.0);
                    (years.clone(), years)
                }
            };
            let first_of_year = bars.is_empty() || key.1 == 0;
            bars.push(Bar {
                label,
                year: (months_per_bar < 12 && first_of_year).then_some(year),
                period,
                cumulative,
                added,
            });
        }
        previous_key = Some(key);
        month = month.next();
    }
    bars
}

/// Cumulative completed issues by month as SVG bars under a dashed line at
/// the total. Every bar has its figure as a tooltip, and the whole chart a
/// text alternative that reads out the series. Empty when no completion
/// has a date.
pub fn completion_svg(completion: &Completion) -> String {
    const WIDTH: f64 = 640.0;
    const HEIGHT: f64 = 220.0;
    const TOP: f64 = 26.0;
    const BOTTOM: f64 = 50.0;
    const SIDE: f64 = 6.0;
    if !completion.has_dates() {
        return String::new();
    }
    let bars = bars(completion);
    let plot_height = HEIGHT - TOP - BOTTOM;
    let baseline = HEIGHT - BOTTOM;
    let highest = bars.last().map_or(0, |bar| bar.cumulative);
    let scale = completion.total.max(highest).max(1) as f64;
    let slot = (WIDTH - 2.0 * SIDE) / bars.len() as f64;
    let bar_width = (slot * 0.64).max(1.0);
    let label_every = bars.len().div_ceil(12);
    // Numbers over the bars fit when the bars are wide enough; otherwise only
    // the last bar, the figure a reader looks for, carries its number.
    let number_every_bar = slot >= 28.0;

    let description = bars
        .iter()
        .map(|bar| format!("{}累计{}项", bar.period, bar.cumulative))
        .collect::<Vec<_>>()
        .join("，");
    let first = bars.first().map_or(String::new(), |bar| bar.period.clone());
    let last = bars.last().map_or(String::new(), |bar| bar.period.clone());
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg class="completion-chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="累计完成整改，{first}至{last}，共{total}项：{description}" xmlns="http://www.w3.org/2000/svg">"#,
        total = completion.total,
    );
    let target_y = baseline - plot_height * completion.total as f64 / scale;
    let _ = write!(
        svg,
        r#"<line class="target" x1="{SIDE}" x2="{x2}" y1="{target_y:.1}" y2="{target_y:.1}"/><text class="target-label" x="{x2}" y="{label_y:.1}" text-anchor="end">共{total}项</text>"#,
        x2 = WIDTH - SIDE,
        label_y = target_y - 6.0,
        total = completion.total,
    );
    let _ = write!(
        svg,
        r#"<line class="axis" x1="{SIDE}" x2="{x2}" y1="{baseline}" y2="{baseline}"/>"#,
        x2 = WIDTH - SIDE,
    );
    for (index, bar) in bars.iter().enumerate() {
        let center = SIDE + slot * (index as f64 + 0.5);
        let height = plot_height * bar.cumulative as f64 / scale;
        let _ = write!(
            svg,
            r#"<rect class="column" x="{x:.1}" y="{y:.1}" width="{bar_width:.1}" height="{height:.1}"><title>{period}：累计完成{cumulative}项（当期{added}项）</title></rect>"#,
            x = center - bar_width / 2.0,
            y = baseline - height,
            period = bar.period,
            cumulative = bar.cumulative,
            added = bar.added,
        );
        let is_last = index + 1 == bars.len();
        if (number_every_bar || is_last) && bar.cumulative > 0 {
            let _ = write!(
                svg,
                r#"<text class="value" x="{center:.1}" y="{y:.1}" text-anchor="middle">{}</text>"#,
                bar.cumulative,
                y = baseline - height - 4.0,
            );
        }
        if index % label_every == 0 || is_last {
            let _ = write!(
                svg,
                r#"<text class="tick" x="{center:.1}" y="{y}" text-anchor="middle">{}</text>"#,
                bar.label,
                y = baseline + 20.0,
            );
        }
        if let Some(year) = bar.year {
            let _ = write!(
                svg,
                r#"<text class="tick year" x="{x:.1}" y="{y}" text-anchor="start">{year}年</text>"#,
                x = center - slot / 2.0,
                y = baseline + 44.0,
            );
        }
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_fill_the_bar_in_proportion() {
        let counts = Counts {
            total: 31,
            completed: 28,
            partial: 0,
            in_progress: 3,
            ..Counts::default()
        };
        let svg = progress_svg(&counts);
        assert!(
            svg.contains(r#"aria-label="共31项：已完成28项，基本完成0项，整改中3项""#),
            "{svg}"
        );
        assert!(
            svg.contains(r#"class="seg-completed" x="0" y="0" width="541""#),
            "{svg}"
        );
        assert!(
            svg.contains(r#"class="seg-in_progress" x="541" y="0" width="59""#),
            "{svg}"
        );
        assert!(!svg.contains("seg-partial"));
    }

    #[test]
    fn an_empty_notice_draws_only_the_track() {
        let svg = progress_svg(&Counts::default());
        assert!(!svg.contains("seg-"));
        assert!(svg.contains("共0项"));
    }

    fn completion(from: &str, to: &str, months: &[(&str, usize)], total: usize) -> Completion {
        let month = |text: &str| serde_json::from_value(serde_json::json!(text)).expect("month");
        Completion {
            total,
            undated: 0,
            from: month(from),
            to: month(to),
            months: months
                .iter()
                .map(|&(m, completed)| crate::site::completion::MonthCount {
                    month: month(m),
                    completed,
                })
                .collect(),
        }
    }

    #[test]
    fn completion_bars_add_up_month_by_month_under_the_total() {
        let svg = completion_svg(&completion(
            "2024-11",
            "2025-04",
            &[("2025-01", 2), ("2025-03", 5)],
            10,
        ));
        assert_eq!(svg.matches(r#"<rect class="column""#).count(), 6, "{svg}");
        for expected in [
            "2024年11月：累计完成0项（当期0项）",
            "2025年1月：累计完成2项（当期2项）",
            "2025年2月：累计完成2项（当期0项）",
            "2025年4月：累计完成7项（当期0项）",
            ">共10项</text>",
            "2024年</text>",
            "2025年</text>",
            r#"aria-label="累计完成整改，2024年11月至2025年4月，共10项：2024年11月累计0项，"#,
        ] {
            assert!(svg.contains(expected), "{expected} in {svg}");
        }
        // The last bar reaches 7/10 of the height between the axis and the total line.
        assert!(
            svg.contains(r#"<line class="target" x1="6" x2="634" y1="26.0""#),
            "{svg}"
        );
        assert!(
            svg.contains(r#"y="69.2" width="67.0" height="100.8""#),
            "{svg}"
        );
    }

    #[test]
    fn long_spans_are_drawn_by_quarter_then_by_year() {
        let by_quarter = completion_svg(&completion(
            "2022-01",
            "2025-12",
            &[("2022-02", 1), ("2025-11", 3)],
            4,
        ));
        assert_eq!(by_quarter.matches(r#"<rect class="column""#).count(), 16);
        assert!(
            by_quarter.contains("2022年一季度：累计完成1项（当期1项）"),
            "{by_quarter}"
        );
        assert!(
            by_quarter.contains("2025年四季度：累计完成4项（当期3项）"),
            "{by_quarter}"
        );
        let by_decade = completion_svg(&completion("1000-01", "2025-12", &[("2025-02", 1)], 1));
        assert_eq!(
            by_decade.matches(r#"<rect class="column""#).count(),
            MAX_BARS,
            "{by_decade}"
        );
        assert!(
            by_decade.contains("1000–1028年：累计完成0项"),
            "{by_decade}"
        );
        assert!(
            by_decade.contains("2015–2025年：累计完成1项（当期1项）"),
            "{by_decade}"
        );
        let by_year = completion_svg(&completion("2015-06", "2025-12", &[("2016-02", 1)], 1));
        assert_eq!(by_year.matches(r#"<rect class="column""#).count(), 11);
        assert!(by_year.contains("2015年：累计完成0项"), "{by_year}");
        assert!(by_year.contains("2025年：累计完成1项"), "{by_year}");
    }

    #[test]
    fn no_dated_completion_draws_nothing() {
        assert_eq!(
            completion_svg(&completion("2025-01", "2025-06", &[], 8)),
            ""
        );
    }
}
