//! The `gongkai` command: parses arguments and calls the library.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand};
use gongkai::diagnostic::{self, Diagnostic, Hint, Severity};
use gongkai::{Options, Report, scaffold};

/// gongkai（公开）：巡察整改进展情况公开网站生成器
#[derive(Parser)]
#[command(name = "gongkai", version, about, long_about = None)]
struct Cli {
    /// 站点目录（默认：当前目录）
    #[arg(long, global = true, value_name = "目录", default_value = ".")]
    root: PathBuf,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// 生成网站到输出目录（默认 public/）
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
    },
    /// 本地预览：生成到内存并提供网页，修改文件后自动刷新浏览器
    Serve {
        /// 端口
        #[arg(long, default_value_t = 1111, value_name = "端口")]
        port: u16,
        /// 监听地址（默认只允许本机访问）
        #[arg(long, default_value = "127.0.0.1", value_name = "地址")]
        bind: std::net::IpAddr,
        /// 启动后打开浏览器
        #[arg(long)]
        open: bool,
        /// 包括草稿（draft: true）
        #[arg(long)]
        drafts: bool,
    },
    /// 检查全部内容，不生成文件
    Check {
        /// 包括草稿（draft: true）
        #[arg(long)]
        drafts: bool,
        /// 有警告也算不通过（退出码 1）
        #[arg(long)]
        strict: bool,
        /// 输出格式：human（默认，按文件分组）或 json
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// 新建一个站点，含默认主题和一篇示例通报
    Init {
        /// 新站点的目录
        #[arg(value_name = "目录")]
        dir: PathBuf,
    },
    /// 新建通报或问题
    #[command(subcommand)]
    New(New),
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Format {
    Human,
    Json,
}

#[derive(Subcommand)]
enum New {
    /// 新建一篇通报：content/notices/<名称>/index.md
    Notice {
        /// 通报名称（小写字母、数字和“-”），即网址中的一段
        #[arg(value_name = "名称")]
        slug: String,
    },
    /// 新建一条问题，编号排在最后一条之后
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
            eprintln!("命令用法有误（运行 gongkai --help 查看用法）：");
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
        } => {
            let options = Options {
                output: output.clone(),
                root,
                drafts,
                base_url,
                as_of: None,
            };
            let started = Instant::now();
            match gongkai::build(&options) {
                Ok(report) => {
                    print_warnings(&report.warnings);
                    let out = options.output_dir();
                    let shown = out.strip_prefix(".").unwrap_or(&out);
                    println!("已生成 {} 个页面 → {}", report.pages, shown.display());
                    print_summary(&report);
                    println!("用时 {:.2} 秒", started.elapsed().as_secs_f64());
                    ExitCode::SUCCESS
                }
                Err(problems) => fail(&problems, "生成失败，原有输出目录未改动"),
            }
        }
        Command::Serve {
            port,
            bind,
            open,
            drafts,
        } => {
            let options = gongkai::serve::ServeOptions {
                root,
                bind,
                port,
                open,
                drafts,
            };
            match gongkai::serve::run(options) {
                Ok(()) => ExitCode::SUCCESS,
                Err(error) => {
                    eprint!(
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
                Format::Json => println!("{}", diagnostic::to_json(&problems)),
                Format::Human => {
                    eprint!("{}", diagnostic::grouped(&problems));
                    if let Some(report) = &report {
                        println!("检查完成：{errors} 个错误，{warnings} 个警告");
                        print_summary(report);
                    } else {
                        eprintln!("检查未通过：{errors} 个错误，{warnings} 个警告");
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
                    println!("已创建站点 {}", dir.display());
                    println!("下一步：cd {} && gongkai build", dir.display());
                    ExitCode::SUCCESS
                }
                Err(error) => usage_failure(&error),
            }
        }
        Command::New(New::Notice { slug }) => {
            match scaffold::new_notice(&root, &slug, gongkai::date::Date::today()) {
                Ok(path) => {
                    println!(
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
                    println!("已创建问题 {}", path.display());
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
        eprint!("{warning}");
    }
}

fn print_summary(report: &Report) {
    let t = &report.totals;
    println!(
        "  通报 {} 篇，问题 {} 条：已完成 {}，基本完成 {}，整改中 {}；长期坚持 {}，逾期 {}",
        report.notices, t.total, t.completed, t.partial, t.in_progress, t.long_term, t.overdue
    );
    println!("  搜索索引 {:.1} KB", report.search_index as f64 / 1024.0);
}

fn fail(problems: &[Diagnostic], headline: &str) -> ExitCode {
    for problem in problems.iter().filter(|p| p.severity != Severity::Note) {
        eprint!("{problem}");
    }
    let errors = problems.iter().filter(|p| p.is_error()).count();
    eprintln!("{headline}：共 {errors} 个错误。");
    ExitCode::from(CONTENT_ERROR)
}

fn usage_failure(error: &scaffold::ScaffoldError) -> ExitCode {
    eprint!(
        "{}",
        Diagnostic::error(None, error.to_string()).with_hint(error.hint())
    );
    ExitCode::from(USAGE_ERROR)
}
