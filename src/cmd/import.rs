//! `gongkai import`: a notice published as text into a notice folder.

use std::path::PathBuf;
use std::process::ExitCode;

use gongkai::{say, say_part, warn_line};

use super::USAGE_ERROR;

/// Where the imported problems go.
pub struct Target {
    /// An existing notice (its name, or its folder) to add them to.
    pub into: Option<String>,
    /// The folder a new notice goes under (content/notices/).
    pub dir: Option<PathBuf>,
    /// The new notice's name.
    pub slug: Option<String>,
}

pub fn run(root: &std::path::Path, file: &str, target: Target, dry_run: bool) -> ExitCode {
    let read = if file == "-" {
        read_for_import(std::io::stdin(), "标准输入").map(|bytes| (bytes, "导入的通报".to_owned()))
    } else {
        // Opened without waiting and checked: a named pipe would never end,
        // a device never stop.
        match gongkai::load::sources::open_regular(std::path::Path::new(file)) {
            Ok((opened, _)) => read_for_import(opened, file).map(|bytes| {
                let stem = std::path::Path::new(file).file_stem().map_or_else(
                    || "导入的通报".to_owned(),
                    |s| s.to_string_lossy().into_owned(),
                );
                (bytes, stem)
            }),
            Err(gongkai::load::sources::Opened::Special(_)) => {
                Err(format!("{file} 不是普通文件，无法导入"))
            }
            Err(gongkai::load::sources::Opened::Failed(error)) => Err(format!(
                "无法读取 {file}：{}",
                gongkai::diagnostic::io_message(&error)
            )),
        }
    };
    let read = read
        .and_then(|(bytes, name)| gongkai::import::read(std::path::Path::new(file), &bytes, &name));
    let gongkai::import::Read { imported, encoding } = match read {
        Ok(read) => read,
        Err(message) => {
            warn_line!("错误：{message}");
            return ExitCode::from(USAGE_ERROR);
        }
    };
    if let Some(encoding) = encoding {
        say!("文件是 {encoding} 编码，已按 {encoding} 读取。");
    }
    match &target.into {
        Some(notice) => add_to_notice(root, notice, &imported, dry_run),
        None => write_notice(root, target, &imported, dry_run),
    }
}

/// A new notice bundle.
fn write_notice(
    root: &std::path::Path,
    target: Target,
    imported: &gongkai::import::Imported,
    dry_run: bool,
) -> ExitCode {
    let slug = target
        .slug
        .unwrap_or_else(|| gongkai::import::default_slug(imported));
    if !gongkai::load::content::is_valid_slug(&slug) {
        warn_line!(
            "错误：名称“{slug}”不能用作网址；可改用 --slug {}",
            gongkai::load::content::suggest_slug(&slug)
        );
        return ExitCode::from(USAGE_ERROR);
    }
    let folder = target
        .dir
        .unwrap_or_else(|| root.join("content").join("notices"))
        .join(&slug);
    say_part!("{}", gongkai::import::report(imported));
    if dry_run {
        say!("将生成（未写入）：");
        for (path, _) in gongkai::import::files(imported) {
            say!("  {}", folder.join(path).display());
        }
        return ExitCode::SUCCESS;
    }
    match gongkai::import::write(&folder, imported) {
        Ok(written) => {
            say!("已写入 {} 个文件到 {}", written.len(), folder.display());
            say!("请用 gongkai check 核对，并按上面列出的推断逐项确认。");
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
fn add_to_notice(
    root: &std::path::Path,
    notice: &str,
    imported: &gongkai::import::Imported,
    dry_run: bool,
) -> ExitCode {
    let named = root.join("content").join("notices").join(notice);
    let folder = if named.join("index.md").is_file() {
        named
    } else {
        PathBuf::from(notice)
    };
    say_part!("{}", gongkai::import::report(imported));
    if dry_run {
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
