//! site.yaml → [`Config`].

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::diagnostic::{Diagnostic, Hint, Located, Location};
use crate::load::sources::{DEFAULT_MAX_FILE_MB, Sources};
use crate::model::date::Date;
use crate::model::source_file::SourceFile;
use crate::model::supervision::Supervision;
use crate::yaml::{Document, Position, Positions, Record, record};

pub const CONFIG_FILE: &str = "site.yaml";

pub type ConfigError = Located<ConfigErrorKind>;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigErrorKind {
    #[error("找不到站点配置文件 {CONFIG_FILE}")]
    Missing,
    #[error("字段「base_url」（网站地址）不是有效的网址：“{0}”")]
    BadBaseUrl(String),
    #[error("字段「theme」（主题）不是有效的主题名：“{0}”")]
    BadThemeName(String),
    #[error("字段「error_report」（纠错地址）不是 http(s) 网址：“{0}”")]
    BadErrorReportUrl(String),
}

impl Hint for ConfigErrorKind {
    fn code(&self) -> &'static str {
        match self {
            ConfigErrorKind::Missing => "GK0401",
            ConfigErrorKind::BadBaseUrl(..) => "GK0402",
            ConfigErrorKind::BadThemeName(..) => "GK0403",
            ConfigErrorKind::BadErrorReportUrl(..) => "GK0407",
        }
    }

    fn hint(&self) -> Option<String> {
        Some(match self {
            ConfigErrorKind::Missing => {
                "请在站点目录中运行，或用 --root 指定站点目录；新建站点可用 gongkai init <目录>"
                    .into()
            }
            ConfigErrorKind::BadBaseUrl(_) => {
                "应以 https:// 或 http:// 开头，例如 https://www.example.gov.cn/xcgz/".into()
            }
            ConfigErrorKind::BadThemeName(_) => {
                "主题名是 themes/ 下的文件夹名，只能含小写字母、数字和“-”".into()
            }
            ConfigErrorKind::BadErrorReportUrl(_) => {
                "应是完整的网址，例如政府网站找错平台给本网站的地址 https://zfwzgl.www.gov.cn/…"
                    .into()
            }
        })
    }
}

record! {
    /// The body that runs the site, shown in the footer.
    #[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize)]
    pub struct Owner at OwnerAt {
        /// 主办单位
        name: Option<String> = optional("主办单位"),
        /// 网站标识码
        site_code: Option<String> = optional("网站标识码"),
        /// ICP 备案号
        icp: Option<String> = optional("ICP备案号"),
        /// 公安机关备案号
        police: Option<String> = optional("公安机关备案号"),
        /// HTML of the 党政机关 / 事业单位 identity mark, issued per site.
        mark_html: Option<String> = optional("党政机关标识代码"),
        /// Where readers report an error of the site (我为政府网站找错).
        error_report: Option<String> = optional("纠错地址"),
    }
}

record! {
    /// A unit whose open data an aggregate portal reads (an item of `sources:`).
    #[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize)]
    pub struct DataSource at DataSourceAt {
        /// The name shown for the unit; its site's 主办单位 or title when absent.
        name: Option<String> = optional("单位"),
        /// Its `data/` folder: an `https://` (or `http://`) address, or a
        /// folder relative to the site.
        data: String = required("数据地址"),
    }
}

record! {
    /// site.yaml.
    #[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
    pub struct Config at ConfigAt {
        title: String = required("网站名称"),
        /// Absolute URL of the portal, always ending in `/` once read.
        base_url: String = or("网站地址", "/"),
        language: String = or("语言", "zh-CN"),
        theme: String = or("主题", "default"),
        description: Option<String> = optional("网站简介"),
        /// The date overdue is judged against; the build date when not set.
        as_of: Option<Date> = optional("统计截止日期"),
        /// An issue not completed whose latest date is this many days or
        /// more before `as_of` is marked as not updated (未更新).
        stale_after_days: u32 = or("未更新天数", 90_u32),
        /// Issue dates the front matter leaves out are taken from git: the
        /// last commit that changed the file, and the commits that changed
        /// its status (see `load::history`).
        dates_from_git: bool = default("从git取日期"),
        owner: Owner = section("主办单位信息"),
        supervision: Supervision = section("监督联系方式"),
        /// Raw HTML in Markdown is cleaned unless this is turned off.
        sanitize_html: bool = or("清理 HTML", true),
        /// The largest file read for output, in MB (attachments, static files).
        max_file_mb: u64 = or("单个文件大小上限（MB）", DEFAULT_MAX_FILE_MB),
        /// Other gongkai sites whose open data this one aggregates.
        sources: Vec<DataSource> = list("数据来源"),
        /// How long one request to a source may take, in seconds.
        source_timeout: u64 = or("数据来源超时（秒）", 20_u64),
        /// How many times a failed request is tried again.
        source_retries: u32 = or("数据来源重试次数", 2_u32),
        /// The largest data file read from a source, in MB.
        source_max_mb: u64 = or("数据来源大小上限（MB）", 200_u64),
    }
    also {
        /// Where each value is written in site.yaml, for diagnostics about
        /// values read here.
        #[serde(skip)]
        pub at: ConfigAt,
        #[serde(skip)]
        file: SourceFile,
        #[serde(skip)]
        source: String,
    }
}

impl Config {
    /// Reads `<root>/site.yaml`; every problem in it is returned, not only the first.
    pub fn load(root: &Path) -> Result<Config, Vec<Diagnostic>> {
        let path = root.join(CONFIG_FILE);
        if std::fs::symlink_metadata(&path).is_err() {
            return Err(vec![
                Located::new(Location::file_start(&path), ConfigErrorKind::Missing).into(),
            ]);
        }
        let sources = Sources::new(root, DEFAULT_MAX_FILE_MB);
        sources
            .check_file(&path)
            .map_err(|error| vec![error.into()])?;
        let source = sources.read_text(&path).map_err(|error| vec![error])?;
        Config::parse(&path, &source)
    }

    pub fn parse(path: &Path, source: &str) -> Result<Config, Vec<Diagnostic>> {
        let document = Document::parse(path, source, source, 1)
            .map_err(|error| vec![Diagnostic::from(*error)])?;
        let mut errors = Vec::new();
        let mut fields = document.fields(Config::FIELDS, &mut errors);
        let config = Config::read(&mut fields);
        fields.finish();
        let mut diagnostics: Vec<Diagnostic> = errors.into_iter().map(Diagnostic::from).collect();
        let Some(mut config) = config else {
            return Err(diagnostics);
        };
        config.at = Config::at(&Positions::of(&document));
        config.file = SourceFile(path.to_path_buf());
        config.source = source.to_owned();
        if !valid_base_url(&config.base_url) {
            diagnostics.push(
                Located::new(
                    config.location(config.at.base_url),
                    ConfigErrorKind::BadBaseUrl(config.base_url.clone()),
                )
                .into(),
            );
        }
        if let Some(url) = &config.owner.error_report
            && !valid_base_url(url)
        {
            diagnostics.push(
                Located::new(
                    config.location(config.at.owner.error_report),
                    ConfigErrorKind::BadErrorReportUrl(url.clone()),
                )
                .into(),
            );
        }
        if !crate::model::slug::is_valid_slug(&config.theme) {
            diagnostics.push(
                Located::new(
                    config.location(config.at.theme),
                    ConfigErrorKind::BadThemeName(config.theme.clone()),
                )
                .into(),
            );
        }
        if !diagnostics.is_empty() {
            return Err(diagnostics);
        }
        config.base_url = with_trailing_slash(std::mem::take(&mut config.base_url));
        Ok(config)
    }

    /// Replaces `base_url` with one given on the command line.
    pub fn override_base_url(&mut self, url: &str) -> Result<(), Diagnostic> {
        if !valid_base_url(url) {
            let kind = ConfigErrorKind::BadBaseUrl(url.to_owned());
            let mut error = Diagnostic::error(None, format!("--base-url 不是有效的网址：“{url}”"))
                .with_hint(kind.hint());
            error.code = crate::diagnostic::Code::parse(kind.code());
            return Err(error);
        }
        self.base_url = with_trailing_slash(url.to_owned());
        Ok(())
    }

    /// Where a value of site.yaml is written (one of [`Config::at`]); the
    /// start of the file for a field it does not write.
    pub fn location(&self, position: Option<Position>) -> Location {
        match position {
            Some(at) => Location::in_text(&self.file, &self.source, at.line, at.column),
            None => Location::file_start(&self.file),
        }
    }

    /// Where the theme's files are, relative to the site root.
    pub fn theme_dir(&self, root: &Path) -> PathBuf {
        root.join("themes").join(&self.theme)
    }

    /// The host of `base_url` (`example.gov.cn`), empty for a path-only base URL.
    pub fn domain(&self) -> &str {
        self.base_url
            .split_once("://")
            .map_or("", |(_, rest)| rest.split('/').next().unwrap_or_default())
    }

    /// The path part of `base_url` (`/xcgz/` for `https://example.gov.cn/xcgz/`).
    pub fn base_path(&self) -> &str {
        match self.base_url.split_once("://") {
            Some((_, rest)) => rest.find('/').map_or("/", |slash| &rest[slash..]),
            None => &self.base_url,
        }
    }
}

fn valid_base_url(url: &str) -> bool {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    match rest {
        Some(rest) => {
            let host = rest.split('/').next().unwrap_or_default();
            !host.is_empty() && !url.chars().any(|c| c.is_whitespace() || c == '\\')
        }
        None => url.starts_with('/') && !url.contains(' '),
    }
}

fn with_trailing_slash(mut url: String) -> String {
    if !url.ends_with('/') {
        url.push('/');
    }
    url
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(yaml: &str) -> Result<Config, Vec<Diagnostic>> {
        Config::parse(Path::new("site.yaml"), yaml)
    }

    #[test]
    fn minimal_config_gets_defaults() {
        let config = parse("title: 某某市卫生健康委员会 巡察整改公开\n").expect("valid");
        assert_eq!(config.base_url, "/");
        assert_eq!(config.theme, "default");
        assert!(config.sanitize_html);
    }

    #[test]
    fn base_path_is_the_path_of_the_base_url() {
        let config = parse("title: t\nbase_url: https://example.gov.cn/xcgz\n").expect("valid");
        assert_eq!(config.base_url, "https://example.gov.cn/xcgz/");
        assert_eq!(config.base_path(), "/xcgz/");
    }

    #[test]
    fn bad_values_are_located() {
        let errors =
            parse("title: t\nbase_url: example.gov.cn\nas_of: 2025-02-30\nowner: { nmae: 某 }\n")
                .expect_err("three errors");
        let positions: Vec<String> = errors
            .iter()
            .filter_map(|d| {
                d.location
                    .as_ref()
                    .map(|l| format!("{}:{}", l.line, l.column))
            })
            .collect();
        assert_eq!(errors.len(), 3, "{errors:?}");
        assert!(positions.contains(&"2:11".to_owned()), "{positions:?}");
        assert!(positions.contains(&"3:8".to_owned()), "{positions:?}");
        assert!(positions.contains(&"4:10".to_owned()), "{positions:?}");
    }

    #[test]
    fn supervision_override_is_field_by_field() {
        let site = Supervision {
            phone: Some("0000-1".into()),
            email: Some("a@b.cn".into()),
            ..Supervision::default()
        };
        let notice = Supervision {
            phone: Some("0518-2".into()),
            ..Supervision::default()
        };
        let merged = site.overridden_by(&notice);
        assert_eq!(merged.phone.as_deref(), Some("0518-2"));
        assert_eq!(merged.email.as_deref(), Some("a@b.cn"));
    }
}
