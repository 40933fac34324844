//! `gongkai export`: the rectification ledger as Excel, CSV or JSON.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use gongkai::{Options, say, warn_line};

use super::{CONTENT_ERROR, USAGE_ERROR, fail};

/// What `export` writes.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Xlsx,
    Csv,
    Json,
}

impl Format {
    fn extension(self) -> &'static str {
        match self {
            Format::Xlsx => "xlsx",
            Format::Csv => "csv",
            Format::Json => "json",
        }
    }
}

pub fn run(
    root: PathBuf,
    format: Option<Format>,
    notice: Option<String>,
    output: Option<PathBuf>,
) -> ExitCode {
    let format = format
        .or_else(|| {
            let extension = output
                .as_ref()?
                .extension()?
                .to_string_lossy()
                .to_lowercase();
            [Format::Xlsx, Format::Csv, Format::Json]
                .into_iter()
                .find(|f| f.extension() == extension)
        })
        .unwrap_or(Format::Xlsx);
    let options = Options {
        root,
        ..Options::default()
    };
    let prepared = match gongkai::prepare(&options) {
        Ok(prepared) => prepared,
        Err(problems) => return fail(&problems, "无法导出：网站内容有错误"),
    };
    let site = &prepared.site;
    let notices = gongkai::export::notices(site, notice.as_deref());
    if let Some(slug) = &notice
        && notices.is_empty()
    {
        warn_line!("错误：没有名为“{slug}”的通报");
        return ExitCode::from(USAGE_ERROR);
    }
    let bytes = match format {
        Format::Xlsx => match gongkai::export::xlsx(site, &notices) {
            Ok(bytes) => bytes,
            Err(error) => {
                warn_line!("错误：无法生成 Excel 文件：{error}");
                return ExitCode::from(CONTENT_ERROR);
            }
        },
        Format::Csv => gongkai::export::csv(&gongkai::export::rows(site, &notices)),
        Format::Json => gongkai::export::json(&gongkai::export::rows(site, &notices)).into_bytes(),
    };
    let output = output.unwrap_or_else(|| {
        let name = notice.as_deref().unwrap_or("整改台账");
        PathBuf::from(format!("{name}.{}", format.extension()))
    });
    write(
        &output,
        &bytes,
        notices.iter().map(|n| n.issues.len()).sum(),
    )
}

fn write(output: &Path, bytes: &[u8], rows: usize) -> ExitCode {
    if output == Path::new("-") {
        use std::io::Write;
        return match std::io::stdout().write_all(bytes) {
            Ok(()) => ExitCode::SUCCESS,
            Err(_) => ExitCode::from(USAGE_ERROR),
        };
    }
    match std::fs::write(output, bytes) {
        Ok(()) => {
            say!("已导出整改台账 {rows} 行 → {}", output.display());
            ExitCode::SUCCESS
        }
        Err(error) => {
            warn_line!(
                "错误：无法写入 {}：{}",
                output.display(),
                gongkai::diagnostic::io_message(&error)
            );
            ExitCode::from(USAGE_ERROR)
        }
    }
}
