//! The `gongkai` command: parses arguments and calls the library.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand};
use gongkai::diagnostic::{self, Diagnostic, Hint, Severity};
use gongkai::{Options, Report, say, say_part, scaffold, warn_line, warn_part};

const HELP: &str = "{about-with-newline}\n用法：{usage}\n\n{all-args}{after-help}";

/// gongkai（公开）：巡察整改进展情况公开网站生成器
#[derive(Parser)]
#[command(
    name = "gongkai",
    version,
    about = "gongkai（公开）：巡察整改进展情况公开网站生成器",
    long_about = None,
    help_template = HELP,
    subcommand_help_heading = "命令",
    next_help_heading = "选项",
    disable_help_flag = true,
    disable_version_flag = true,
    disable_help_subcommand = true
)]
struct Cli {
    /// 站点目录（默认：当前目录）
    #[arg(
        long,
        global = true,
        value_name = "目录",
        default_value = ".",
        hide_default_value = true
    )]
    root: PathBuf,
    /// 显示帮助
    #[arg(short, long, global = true, action = clap::ArgAction::Help)]
    help: Option<bool>,
    /// 显示版本
    #[arg(short = 'V', long, action = clap::ArgAction::Version)]
    version: Option<bool>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
#[command(help_template = HELP, next_help_heading = "选项")]
enum Command {
    /// 生成网站到输出目录（默认 public/）
    #[command(help_template = HELP, next_help_heading = "选项")]
    Build {
        /// 包括草稿（draft: true）
        #[arg(long)]
        drafts: bool,
        /// 覆盖 site.yaml 中的 base_url
        #[arg(long, value_name = "网址")]
        base_url: Option<String>,
        /// 输出目录
        #[arg(short, long, value_name = "目录")]
        output: Option<PathBuf>,
        /// 列出输出目录中保留的、不是 gongkai 生成的文件
        #[arg(short, long)]
        verbose: bool,
    },
    /// 本地预览：生成到内存并提供网页，修改文件后自动刷新浏览器
    #[command(help_template = HELP, next_help_heading = "选项")]
    Serve {
        /// 端口（默认 1111）
        #[arg(
            long,
            default_value_t = 1111,
            value_name = "端口",
            hide_default_value = true
        )]
        port: u16,
        /// 监听地址（默认 127.0.0.1，只允许本机访问）
        #[arg(
            long,
            default_value = "127.0.0.1",
            value_name = "地址",
            hide_default_value = true
        )]
        bind: std::net::IpAddr,
        /// 另外允许的主机名（可写多次），例如用局域网域名访问预览时
        #[arg(long = "allowed-host", value_name = "主机名")]
        allowed_hosts: Vec<String>,
        /// 启动后打开浏览器
        #[arg(long)]
        open: bool,
        /// 包括草稿（draft: true）
        #[arg(long)]
        drafts: bool,
    },
    /// 检查全部内容，不生成文件
    #[command(help_template = HELP, next_help_heading = "选项")]
    Check {
        /// 包括草稿（draft: true）
        #[arg(long)]
        drafts: bool,
        /// 有警告也算不通过（退出码 1）
        #[arg(long)]
        strict: bool,
        /// 输出格式：human（默认，按文件分组）或 json
        #[arg(long, value_enum, default_value_t = Format::Human, hide_default_value = true)]
        format: Format,
    },
    /// 新建一个站点，含默认主题和一篇示例通报
    #[command(help_template = HELP, next_help_heading = "选项")]
    Init {
        /// 新站点的目录
        #[arg(value_name = "目录")]
        dir: PathBuf,
    },
    /// 新建通报或问题
    #[command(subcommand, help_template = HELP, subcommand_help_heading = "命令")]
    New(New),
    /// 把已发布的纯文本通报转换为通报文件夹（- 表示从标准输入读取）
    #[command(help_template = HELP, next_help_heading = "选项")]
    Import {
        /// 纯文本通报文件，或 -
        #[arg(value_name = "文件")]
        file: String,
        /// 放到哪个文件夹下（默认 content/notices/）
        #[arg(long, value_name = "目录")]
        into: Option<PathBuf>,
        /// 通报名称（默认：年份加发布机构的拼音首字母）
        #[arg(long, value_name = "名称")]
        slug: Option<String>,
        /// 只显示会生成什么，不写文件
        #[arg(long)]
        dry_run: bool,
    },
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Format {
    Human,
    Json,
}

#[derive(Subcommand)]
enum New {
    /// 新建一篇通报：content/notices/<名称>/index.md
    #[command(help_template = HELP, next_help_heading = "选项")]
    Notice {
        /// 通报名称（小写字母、数字和“-”），即网址中的一段
        #[arg(value_name = "名称")]
        slug: String,
    },
    /// 新建一条问题，编号排在最后一条之后
    #[command(help_template = HELP, next_help_heading = "选项")]
    Issue {
        /// 所属通报的名称
        #[arg(value_name = "通报")]
        notice: String,
        /// 问题名称（小写字母、数字和“-”）
        #[arg(value_name = "名称")]
        slug: String,
    },
}

const CONTENT_ERROR: u8 = 1;
const USAGE_ERROR: u8 = 2;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            use clap::error::ErrorKind;
            if matches!(
                error.kind(),
                ErrorKind::DisplayHelp | ErrorKind::DisplayVersion
            ) {
                let _ = error.print();
                return ExitCode::SUCCESS;
            }
            warn_line!("命令用法有误（运行 gongkai --help 查看用法）：");
            let _ = error.print();
            return ExitCode::from(USAGE_ERROR);
        }
    };
    let root = cli.root;
    match cli.command {
        Command::Build {
            drafts,
            base_url,
            output,
            verbose,
        } => {
            let options = Options {
                output: output.clone(),
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
                    say!("已生成 {} 个页面 → {}", report.pages, shown.display());
                    print_summary(&report);
                    print_kept(&report, verbose);
                    say!("用时 {:.2} 秒", started.elapsed().as_secs_f64());
                    ExitCode::SUCCESS
                }
                Err(problems) => fail(&problems, "生成失败，原有输出目录未改动"),
            }
        }
        Command::Serve {
            port,
            bind,
            allowed_hosts,
            open,
            drafts,
        } => {
            let options = gongkai::serve::ServeOptions {
                root,
                bind,
                port,
                allowed_hosts,
                open,
                drafts,
            };
            match gongkai::serve::run(options) {
                Ok(()) => ExitCode::SUCCESS,
                Err(error) => {
                    warn_part!(
                        "{}",
                        Diagnostic::error(None, error.to_string()).with_hint(error.hint())
                    );
                    ExitCode::from(CONTENT_ERROR)
                }
            }
        }
        Command::Check {
            drafts,
            strict,
            format,
        } => {
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
        Command::Init { dir } => {
            let dir = if dir.is_absolute() {
                dir
            } else {
                root.join(dir)
            };
            match scaffold::init(&dir) {
                Ok(_) => {
                    say!("已创建站点 {}", dir.display());
                    say!("下一步：cd {} && gongkai build", dir.display());
                    ExitCode::SUCCESS
                }
                Err(error) => usage_failure(&error),
            }
        }
        Command::Import {
            file,
            into,
            slug,
            dry_run,
        } => import(&root, &file, into, slug, dry_run),
        Command::New(New::Notice { slug }) => {
            match scaffold::new_notice(&root, &slug, gongkai::date::Date::today()) {
                Ok(path) => {
                    say!(
                        "已创建通报 {}（draft: true，改为 false 后发布）",
                        path.display()
                    );
                    ExitCode::SUCCESS
                }
                Err(error) => usage_failure(&error),
            }
        }
        Command::New(New::Issue { notice, slug }) => {
            match scaffold::new_issue(&root, &notice, &slug) {
                Ok(path) => {
                    say!("已创建问题 {}", path.display());
                    ExitCode::SUCCESS
                }
                Err(error) => usage_failure(&error),
            }
        }
    }
}

/// Warnings only: notes (such as overdue issues) are for `check`.
fn print_warnings(problems: &[Diagnostic]) {
    for warning in problems.iter().filter(|p| p.severity == Severity::Warning) {
        warn_part!("{warning}");
    }
}

fn print_summary(report: &Report) {
    let t = &report.totals;
    say!(
        "  通报 {} 篇，问题 {} 条：已完成 {}，基本完成 {}，整改中 {}；长期坚持 {}，逾期 {}",
        report.notices,
        t.total,
        t.completed,
        t.partial,
        t.in_progress,
        t.long_term,
        t.overdue
    );
    say!("  搜索索引 {:.1} KB", report.search_index as f64 / 1024.0);
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

fn import(
    root: &std::path::Path,
    file: &str,
    into: Option<PathBuf>,
    slug: Option<String>,
    dry_run: bool,
) -> ExitCode {
    let read = if file == "-" {
        read_for_import(std::io::stdin(), "标准输入").map(|bytes| (bytes, "导入的通报".to_owned()))
    } else {
        // Opened without waiting and checked: a named pipe would never end,
        // a device never stop.
        match gongkai::sources::open_regular(std::path::Path::new(file)) {
            Ok((opened, _)) => read_for_import(opened, file).map(|bytes| {
                let stem = std::path::Path::new(file).file_stem().map_or_else(
                    || "导入的通报".to_owned(),
                    |s| s.to_string_lossy().into_owned(),
                );
                (bytes, stem)
            }),
            Err(gongkai::sources::Opened::Special(_)) => {
                Err(format!("{file} 不是普通文件，无法导入"))
            }
            Err(gongkai::sources::Opened::Failed(error)) => Err(format!(
                "无法读取 {file}：{}",
                gongkai::diagnostic::io_message(&error)
            )),
        }
    };
    let (bytes, name) = match read {
        Ok(read) => read,
        Err(message) => {
            warn_line!("错误：{message}");
            return ExitCode::from(USAGE_ERROR);
        }
    };
    // Text saved from Word or a Windows notepad is often GBK or UTF-16.
    let (text, encoding) = gongkai::text::decode_pasted(&bytes);
    let imported = gongkai::import::parse(&text, &name);
    let slug = slug.unwrap_or_else(|| gongkai::import::default_slug(&imported));
    if !gongkai::content::is_valid_slug(&slug) {
        warn_line!(
            "错误：名称“{slug}”不能用作网址；可改用 --slug {}",
            gongkai::content::suggest_slug(&slug)
        );
        return ExitCode::from(USAGE_ERROR);
    }
    let folder = into
        .unwrap_or_else(|| root.join("content").join("notices"))
        .join(&slug);
    if let Some(encoding) = encoding {
        say!("文件是 {encoding} 编码，已按 {encoding} 读取。");
    }
    say_part!("{}", gongkai::import::report(&imported));
    if dry_run {
        say!("将生成（未写入）：");
        for (path, _) in gongkai::import::files(&imported) {
            say!("  {}", folder.join(path).display());
        }
        return ExitCode::SUCCESS;
    }
    match gongkai::import::write(&folder, &imported) {
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

/// Everything `reader` gives, up to the size a site may hold in one file.
fn read_for_import(reader: impl std::io::Read, what: &str) -> Result<Vec<u8>, String> {
    use std::io::Read;
    let limit = gongkai::sources::DEFAULT_MAX_FILE_MB * 1024 * 1024;
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
            gongkai::sources::DEFAULT_MAX_FILE_MB
        ));
    }
    Ok(bytes)
}

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
