//! The `gongkai` command: parses arguments and calls the library.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use gongkai::warn_line;

mod cmd;

use cmd::check::Format;

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
        /// 新建汇总网站（巡察办用）：不写通报，汇总各单位网站公开的数据
        #[arg(long)]
        aggregate: bool,
    },
    /// 新建通报或问题
    #[command(subcommand, help_template = HELP, subcommand_help_heading = "命令")]
    New(New),
    /// 导出整改台账（Excel、CSV 或 JSON），每条问题一行
    #[command(help_template = HELP, next_help_heading = "选项")]
    Export {
        /// 格式：xlsx（默认）、csv 或 json
        #[arg(long, value_name = "格式", value_enum)]
        format: Option<cmd::export::Format>,
        /// 只导出这篇通报（名称）
        #[arg(long, value_name = "通报")]
        notice: Option<String>,
        /// 写到哪个文件（- 表示标准输出；默认：整改台账.xlsx）
        #[arg(short = 'o', long, value_name = "文件")]
        output: Option<PathBuf>,
    },
    /// 把已发布的通报（文本、网页、Word）或整改台账（Excel、CSV）转换为通报文件夹；也可一次导入整个文件夹
    #[command(help_template = HELP, next_help_heading = "选项")]
    Import {
        /// 通报（.txt .html .docx）或整改台账（.xlsx .xls .ods .csv），或装有这些文件的文件夹；- 表示标准输入
        #[arg(value_name = "文件")]
        file: String,
        /// 把其中的问题加到这篇已有的通报（名称或文件夹），编号接在最后一条之后
        #[arg(long, value_name = "通报")]
        into: Option<String>,
        /// 新通报放到哪个文件夹下（默认 content/notices/）
        #[arg(long, value_name = "目录")]
        dir: Option<PathBuf>,
        /// 通报名称（默认：年份加发布机构的拼音首字母）
        #[arg(long, value_name = "名称")]
        slug: Option<String>,
        /// 只显示会生成什么，不写文件
        #[arg(long)]
        dry_run: bool,
        /// 报告的格式：human（默认）或 json
        #[arg(long, value_name = "格式", value_enum, default_value_t = Format::Human, hide_default_value = true)]
        report: Format,
    },
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
            return ExitCode::from(cmd::USAGE_ERROR);
        }
    };
    let root = cli.root;
    match cli.command {
        Command::Build {
            drafts,
            base_url,
            output,
            verbose,
        } => cmd::build::run(root, drafts, base_url, output, verbose),
        Command::Serve {
            port,
            bind,
            allowed_hosts,
            open,
            drafts,
        } => cmd::serve::run(gongkai::serve::ServeOptions {
            root,
            bind,
            port,
            allowed_hosts,
            open,
            drafts,
        }),
        Command::Check {
            drafts,
            strict,
            format,
        } => cmd::check::run(root, drafts, strict, format),
        Command::Init { dir, aggregate } => cmd::new::init(&root, dir, aggregate),
        Command::Export {
            format,
            notice,
            output,
        } => cmd::export::run(root, format, notice, output),
        Command::Import {
            file,
            into,
            dir,
            slug,
            dry_run,
            report,
        } => cmd::import::run(
            &root,
            &file,
            cmd::import::Target {
                into,
                dir,
                slug,
                json: matches!(report, Format::Json),
                dry_run,
            },
        ),
        Command::New(New::Notice { slug }) => cmd::new::notice(&root, &slug),
        Command::New(New::Issue { notice, slug }) => cmd::new::issue(&root, &notice, &slug),
    }
}

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
