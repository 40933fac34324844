//! The commands of the `gongkai` program, one file each; `main` only parses
//! the command line. What they share: exit codes and how a report, its
//! warnings and a failure are printed.

pub mod build;
pub mod check;
pub mod export;
pub mod import;
pub mod new;
pub mod serve;

use std::process::ExitCode;

use gongkai::diagnostic::{self, Diagnostic, Hint, Severity};
use gongkai::{Report, say, scaffold, warn_line, warn_part};

/// The content has errors (or, with `--strict`, warnings).
pub const CONTENT_ERROR: u8 = 1;
/// The command line, or a file it names, is wrong.
pub const USAGE_ERROR: u8 = 2;

/// Warnings only: notes (such as overdue issues) are for `check`.
fn print_warnings(problems: &[Diagnostic]) {
    for warning in problems.iter().filter(|p| p.severity == Severity::Warning) {
        warn_part!("{warning}");
    }
}

fn print_summary(report: &Report) {
    let t = &report.totals;
    let units = report
        .units
        .map_or(String::new(), |units| format!("单位 {units} 个，"));
    say!(
        "  {units}通报 {} 篇，问题 {} 条：已完成 {}，基本完成 {}，整改中 {}；长期坚持 {}，逾期 {}",
        report.notices,
        t.total,
        t.completed,
        t.partial,
        t.in_progress,
        t.long_term,
        t.overdue
    );
    if report.units.is_none() {
        let (files, bytes) = report.search_index;
        say!("  搜索索引 {:.1} KB，{files} 个文件", bytes as f64 / 1024.0);
    }
}

/// The files in the output gongkai did not write: counted, or listed.
fn print_kept(report: &Report, list: bool) {
    let shown = |path: &std::path::Path| diagnostic::printable(&path.to_string_lossy());
    if !report.rescued.is_empty() {
        warn_line!(
            "生成期间有 {} 个文件放进了输出目录，已移入新的输出目录：",
            report.rescued.len()
        );
        for path in &report.rescued {
            warn_line!("    {}", shown(path));
        }
    }
    if report.kept.is_empty() {
        return;
    }
    if !list {
        say!(
            "  输出目录中有 {} 个文件不是 gongkai 生成的，已原样保留（加 -v 列出）",
            report.kept.len()
        );
        return;
    }
    say!(
        "  输出目录中不是 gongkai 生成的文件，原样保留（{} 个）：",
        report.kept.len()
    );
    for path in &report.kept {
        say!("    {}", shown(path));
    }
}

fn fail(problems: &[Diagnostic], headline: &str) -> ExitCode {
    for problem in problems.iter().filter(|p| p.severity != Severity::Note) {
        warn_part!("{problem}");
    }
    let errors = problems.iter().filter(|p| p.is_error()).count();
    warn_line!("{headline}：共 {errors} 个错误。");
    ExitCode::from(CONTENT_ERROR)
}

fn usage_failure(error: &scaffold::ScaffoldError) -> ExitCode {
    warn_part!(
        "{}",
        Diagnostic::error(None, error.to_string()).with_hint(error.hint())
    );
    ExitCode::from(USAGE_ERROR)
}
