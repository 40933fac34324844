//! `gongkai check`: every lint, nothing written.

use std::path::PathBuf;
use std::process::ExitCode;

use gongkai::diagnostic::{self, Severity};
use gongkai::{Options, say, warn_line, warn_part};

use super::{CONTENT_ERROR, print_kept, print_summary};

/// How `check` prints what it found.
#[derive(Clone, Copy, clap::ValueEnum)]
pub enum Format {
    Human,
    Json,
}

pub fn run(root: PathBuf, drafts: bool, strict: bool, format: Format) -> ExitCode {
    let options = Options {
        root,
        drafts,
        ..Options::default()
    };
    let (report, problems) = match gongkai::check(&options) {
        Ok(report) => {
            let problems = report.warnings.clone();
            (Some(report), problems)
        }
        Err(problems) => (None, problems),
    };
    let errors = problems.iter().filter(|p| p.is_error()).count();
    let warnings = problems
        .iter()
        .filter(|p| p.severity == Severity::Warning)
        .count();
    match format {
        Format::Json => say!("{}", diagnostic::to_json(&problems)),
        Format::Human => {
            warn_part!("{}", diagnostic::grouped(&problems));
            if let Some(report) = &report {
                say!("检查完成：{errors} 个错误，{warnings} 个警告");
                print_summary(report);
                print_kept(report, true);
            } else {
                warn_line!("检查未通过：{errors} 个错误，{warnings} 个警告");
            }
        }
    }
    if report.is_none() || (strict && warnings > 0) {
        ExitCode::from(CONTENT_ERROR)
    } else {
        ExitCode::SUCCESS
    }
}
