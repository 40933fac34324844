//! `gongkai import`: a notice (text, web page, Word document) or a ledger
//! (spreadsheet, CSV) into a notice folder; a whole folder of them at once.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use rayon::prelude::*;

use gongkai::import::{Imported, Read};
use gongkai::{say, say_part, warn_line};

use super::USAGE_ERROR;

/// Where the imported problems go, and how the import reports.
pub struct Target {
    /// An existing notice (its name, or its folder) to add them to.
    pub into: Option<String>,
    /// The folder a new notice goes under (content/notices/).
    pub dir: Option<PathBuf>,
    /// The new notice's name.
    pub slug: Option<String>,
    /// The report as JSON on standard output instead of text.
    pub json: bool,
    /// Only say what would be written.
    pub dry_run: bool,
}

pub fn run(root: &Path, file: &str, target: Target) -> ExitCode {
    if file != "-" && Path::new(file).is_dir() {
        return run_folder(root, Path::new(file), &target);
    }
    let read = read_file(file);
    let Read { imported, encoding } = match read {
        Ok(read) => read,
        Err(message) => {
            warn_line!("错误：{message}");
            return ExitCode::from(USAGE_ERROR);
        }
    };
    if let Some(encoding) = encoding.filter(|_| !target.json) {
        say!("文件是 {encoding} 编码，已按 {encoding} 读取。");
    }
    let notices = target
        .dir
        .clone()
        .unwrap_or_else(|| root.join("content").join("notices"));
    if target.into.is_none()
        && let Some(provenance) = &imported.provenance
        && let Some(earlier) = gongkai::import::already_imported(
            &gongkai::import::imported_notices(&notices),
            provenance,
        )
    {
        say!("这个文件已导入过（{}），没有再次导入", earlier.display());
        return ExitCode::SUCCESS;
    }
    if target.json {
        say!("{}", gongkai::import::report_json(&imported));
    } else {
        say_part!("{}", gongkai::import::report(&imported));
    }
    match &target.into {
        Some(notice) => add_to_notice(root, notice, &imported, &target),
        None => {
            let slug = match target.slug.clone() {
                Some(slug) => slug,
                None => gongkai::import::default_slug(&imported),
            };
            if !gongkai::load::content::is_valid_slug(&slug) {
                warn_line!(
                    "错误：名称“{slug}”不能用作网址；可改用 --slug {}",
                    gongkai::load::content::suggest_slug(&slug)
                );
                return ExitCode::from(USAGE_ERROR);
            }
            write_notice(&notices.join(&slug), &imported, &target)
        }
    }
}

/// Reads and imports one file (or standard input, `-`).
fn read_file(file: &str) -> Result<Read, String> {
    let (bytes, name) = if file == "-" {
        (
            read_for_import(std::io::stdin(), "标准输入")?,
            "导入的通报".to_owned(),
        )
    } else {
        // Opened without waiting and checked: a named pipe would never end,
        // a device never stop.
        let opened = match gongkai::load::sources::open_regular(Path::new(file)) {
            Ok((opened, _)) => opened,
            Err(gongkai::load::sources::Opened::Special(_)) => {
                return Err(format!("{file} 不是普通文件，无法导入"));
            }
            Err(gongkai::load::sources::Opened::Failed(error)) => {
                return Err(format!(
                    "无法读取 {file}：{}",
                    gongkai::diagnostic::io_message(&error)
                ));
            }
        };
        let stem = Path::new(file).file_stem().map_or_else(
            || "导入的通报".to_owned(),
            |s| s.to_string_lossy().into_owned(),
        );
        (read_for_import(opened, file)?, stem)
    };
    let mut read = gongkai::import::read(Path::new(file), &bytes, &name)?;
    if file != "-" {
        let file_name = Path::new(file)
            .file_name()
            .map_or_else(|| file.to_owned(), |n| n.to_string_lossy().into_owned());
        read.imported.provenance = Some(gongkai::import::provenance(&file_name, &bytes));
    }
    Ok(read)
}

/// A new notice bundle in `folder`.
fn write_notice(folder: &Path, imported: &Imported, target: &Target) -> ExitCode {
    if target.dry_run {
        if !target.json {
            say!("将生成（未写入）：");
            for (path, _) in gongkai::import::files(imported) {
                say!("  {}", folder.join(path).display());
            }
        }
        return ExitCode::SUCCESS;
    }
    match gongkai::import::write(folder, imported) {
        Ok(written) => {
            if !target.json {
                say!("已写入 {} 个文件到 {}", written.len(), folder.display());
                say!("请用 gongkai check 核对，并按上面列出的推断逐项确认。");
            }
            ExitCode::SUCCESS
        }
        Err(error) => {
            warn_line!("错误：{error}");
            warn_line!("  提示：换一个 --slug，或先移走已有的文件夹");
            ExitCode::from(USAGE_ERROR)
        }
    }
}

/// The problems added to an existing notice, after its last issue.
fn add_to_notice(root: &Path, notice: &str, imported: &Imported, target: &Target) -> ExitCode {
    let named = root.join("content").join("notices").join(notice);
    let folder = if named.join("index.md").is_file() {
        named
    } else {
        PathBuf::from(notice)
    };
    if target.dry_run {
        say!("将加到 {}（未写入）：", folder.display());
        for (path, _) in gongkai::import::files_to_add(&folder, imported) {
            say!("  {}", folder.join(path).display());
        }
        return ExitCode::SUCCESS;
    }
    match gongkai::import::add_to(&folder, imported) {
        Ok(written) if written.is_empty() => {
            say!(
                "这些问题 {} 中都已有（标题相同），没有加入新的问题",
                folder.display()
            );
            ExitCode::SUCCESS
        }
        Ok(written) => {
            let skipped = imported.issues.len() - written.len();
            say!("已把 {} 条问题加到 {}", written.len(), folder.display());
            if skipped > 0 {
                say!("另有 {skipped} 条问题通报中已有（标题相同），没有重复加入");
            }
            say!("请用 gongkai check 核对，并按上面列出的推断逐项确认。");
            ExitCode::SUCCESS
        }
        Err(error) => {
            warn_line!("错误：{error}");
            warn_line!("  提示：--into 后写 content/notices/ 下已有通报的名称，或它的文件夹");
            ExitCode::from(USAGE_ERROR)
        }
    }
}

/// What became of one file of a folder import.
struct Outcome {
    file: PathBuf,
    result: Result<(String, Imported), String>,
    earlier: Option<PathBuf>,
}

/// Every file of `folder` (and its subfolders) that import reads, each
/// into a notice of its own; files imported before are recognised by
/// their bytes and skipped. One summary line per file.
fn run_folder(root: &Path, folder: &Path, target: &Target) -> ExitCode {
    if target.into.is_some() || target.slug.is_some() {
        warn_line!("错误：导入整个文件夹时不能用 --into 或 --slug：每个文件各成一篇通报");
        return ExitCode::from(USAGE_ERROR);
    }
    let notices = target
        .dir
        .clone()
        .unwrap_or_else(|| root.join("content").join("notices"));
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(folder)
        .follow_links(false)
        .into_iter()
        .flatten()
        .filter(|entry| entry.file_type().is_file())
        .map(|entry| entry.into_path())
        .filter(|path| gongkai::import::Format::importable(path))
        .collect();
    files.sort();
    let before = gongkai::import::imported_notices(&notices);
    let mut outcomes: Vec<Outcome> = files
        .par_iter()
        .map(|file| {
            let result = read_file(&file.to_string_lossy()).map(|read| read.imported);
            let earlier = result.as_ref().ok().and_then(|imported| {
                let provenance = imported.provenance.as_deref()?;
                gongkai::import::already_imported(&before, provenance).cloned()
            });
            Outcome {
                file: file.clone(),
                result: result.map(|imported| (String::new(), imported)),
                earlier,
            }
        })
        .collect();
    // Names are given in file order, each new one unused.
    let mut taken: Vec<String> = Vec::new();
    for outcome in &mut outcomes {
        if outcome.earlier.is_some() {
            continue;
        }
        if let Ok((slug, imported)) = &mut outcome.result {
            *slug = free_slug(&notices, &gongkai::import::default_slug(imported), &taken);
            taken.push(slug.clone());
        }
    }
    let mut written = 0;
    let mut failed = 0;
    let mut summary = Vec::new();
    for outcome in &outcomes {
        let shown = outcome
            .file
            .strip_prefix(folder)
            .unwrap_or(&outcome.file)
            .display()
            .to_string();
        let line = match (&outcome.result, &outcome.earlier) {
            (Err(error), _) => {
                failed += 1;
                serde_json::json!({"file": shown, "error": error})
            }
            (Ok(_), Some(earlier)) => {
                serde_json::json!({"file": shown, "skipped": earlier.display().to_string()})
            }
            (Ok((slug, imported)), None) => {
                let bundle = notices.join(slug);
                let mut report = gongkai::import::report_json(imported);
                report["file"] = shown.clone().into();
                report["notice"] = slug.clone().into();
                if !target.dry_run {
                    match gongkai::import::write(&bundle, imported) {
                        Ok(_) => written += 1,
                        Err(error) => {
                            failed += 1;
                            report["error"] = error.to_string().into();
                        }
                    }
                }
                report
            }
        };
        summary.push(line);
    }
    if target.json {
        say!("{}", serde_json::Value::Array(summary));
    } else {
        print_summary_table(&summary);
        let skipped = outcomes.iter().filter(|o| o.earlier.is_some()).count();
        if target.dry_run {
            say!("共 {} 个文件（未写入）", outcomes.len());
        } else if written == 0 && failed == 0 && skipped > 0 {
            say!("这 {skipped} 个文件都已导入过，没有导入新的通报");
        } else {
            say!(
                "共 {} 个文件：导入 {written} 篇通报，已导入过 {skipped} 个，出错 {failed} 个",
                outcomes.len()
            );
            if written > 0 {
                say!("请用 gongkai check 核对，草稿会逐篇列出。");
            }
        }
    }
    if failed > 0 {
        ExitCode::from(USAGE_ERROR)
    } else {
        ExitCode::SUCCESS
    }
}

/// `wanted`, or `wanted-2`, `wanted-3` …, whichever is not yet a notice.
fn free_slug(notices: &Path, wanted: &str, taken: &[String]) -> String {
    (1..)
        .map(|n| match n {
            1 => wanted.to_owned(),
            n => format!("{wanted}-{n}"),
        })
        .find(|slug| !taken.contains(slug) && !notices.join(slug).exists())
        .unwrap_or_else(|| wanted.to_owned())
}

/// One line per file: the notice it became, its problems by status, the
/// guesses to check, or why it was skipped or failed.
fn print_summary_table(summary: &[serde_json::Value]) {
    say!("文件 → 通报：问题（已完成/基本完成/整改中）、待核对的推断");
    for line in summary {
        let file = line["file"].as_str().unwrap_or_default();
        if let Some(error) = line["error"].as_str() {
            say!("  {file} → 出错：{error}");
        } else if let Some(earlier) = line["skipped"].as_str() {
            say!("  {file} → 已导入过（{earlier}），跳过");
        } else {
            let statuses = &line["statuses"];
            say!(
                "  {file} → {}：{} 条（{}/{}/{}）、推断 {} 条{}",
                line["notice"].as_str().unwrap_or_default(),
                line["problems"],
                statuses["completed"],
                statuses["partial"],
                statuses["in_progress"],
                line["guesses"].as_array().map_or(0, Vec::len),
                if line["draft"].as_bool() == Some(true) {
                    "，草稿"
                } else {
                    ""
                }
            );
        }
    }
}

/// Everything `reader` gives, up to the size a site may hold in one file.
fn read_for_import(reader: impl std::io::Read, what: &str) -> Result<Vec<u8>, String> {
    use std::io::Read;
    let limit = gongkai::load::sources::DEFAULT_MAX_FILE_MB * 1024 * 1024;
    let mut bytes = Vec::new();
    reader
        .take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|error| {
            format!(
                "无法读取 {what}：{}",
                gongkai::diagnostic::io_message(&error)
            )
        })?;
    if bytes.len() as u64 > limit {
        return Err(format!(
            "{what} 超过 {} MB，不像是一篇通报",
            gongkai::load::sources::DEFAULT_MAX_FILE_MB
        ));
    }
    Ok(bytes)
}
