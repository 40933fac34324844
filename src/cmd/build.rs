//! `gongkai build`: the site into the output folder, with a progress bar.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use gongkai::{Options, say};

use super::{fail, print_kept, print_summary, print_warnings};

pub fn run(
    root: PathBuf,
    drafts: bool,
    base_url: Option<String>,
    output: Option<PathBuf>,
    verbose: bool,
) -> ExitCode {
    let options = Options {
        output,
        root,
        drafts,
        base_url,
        as_of: None,
    };
    let started = Instant::now();
    let progress = gongkai::console::BuildProgress::new();
    let built = gongkai::build_with(&options, &progress);
    progress.finish();
    match built {
        Ok(report) => {
            print_warnings(&report.warnings);
            let out = options.output_dir();
            let shown = out.strip_prefix(".").unwrap_or(&out);
            if report.kept_pages > 0 {
                say!(
                    "已生成 {} 个页面 → {}（其中 {} 个页面所示内容未变，沿用上次生成的文件）",
                    report.pages,
                    shown.display(),
                    report.kept_pages
                );
            } else {
                say!("已生成 {} 个页面 → {}", report.pages, shown.display());
            }
            print_summary(&report);
            print_kept(&report, verbose);
            say!("用时 {:.2} 秒", started.elapsed().as_secs_f64());
            ExitCode::SUCCESS
        }
        Err(problems) => fail(&problems, "生成失败，原有输出目录未改动"),
    }
}
