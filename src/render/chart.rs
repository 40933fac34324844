//! The progress chart, drawn as SVG at build time so it needs no script.

use std::fmt::Write;

use crate::model::status::Status;
use crate::site::Counts;

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
}
