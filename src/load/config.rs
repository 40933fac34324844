//! site.yaml → [`Config`].

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::diagnostic::{Diagnostic, Hint, Located, Location};
use crate::load::sources::{DEFAULT_MAX_FILE_MB, Sources};
use crate::model::date::Date;
use crate::model::supervision::{SUPERVISION_FIELDS, Supervision};
use crate::yaml::{Document, Field, field};

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
}

impl Hint for ConfigErrorKind {
    fn code(&self) -> &'static str {
        match self {
            ConfigErrorKind::Missing => "GK0401",
            ConfigErrorKind::BadBaseUrl(..) => "GK0402",
            ConfigErrorKind::BadThemeName(..) => "GK0403",
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
        })
    }
}

/// The body that runs the site, shown in the footer.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Owner {
    /// 主办单位
    pub name: Option<String>,
    /// 网站标识码
    pub site_code: Option<String>,
    /// ICP 备案号
    pub icp: Option<String>,
    /// 公安机关备案号
    pub police: Option<String>,
    /// HTML of the 党政机关 / 事业单位 identity mark, issued per site.
    pub mark_html: Option<String>,
}

const OWNER_FIELDS: &[Field] = &[
    field("name", "主办单位"),
    field("site_code", "网站标识码"),
    field("icp", "ICP备案号"),
    field("police", "公安机关备案号"),
    field("mark_html", "党政机关标识代码"),
];

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Config {
    pub title: String,
    /// Absolute URL of the portal, always ending in `/`.
    pub base_url: String,
    pub language: String,
    pub theme: String,
    pub description: Option<String>,
    /// The date overdue is judged against; the build date when not set.
    pub as_of: Option<Date>,
    pub owner: Owner,
    pub supervision: Supervision,
    /// Raw HTML in Markdown is cleaned unless this is turned off.
    pub sanitize_html: bool,
    /// The largest file read for output, in MB (attachments, static files).
    pub max_file_mb: u64,
    /// Where each value is written in site.yaml (`supervision.phone` …),
    /// for diagnostics about values read here.
    #[serde(skip)]
    locations: std::collections::BTreeMap<String, Location>,
    #[serde(skip)]
    file: PathBuf,
}

const CONFIG_FIELDS: &[Field] = &[
    field("title", "网站名称"),
    field("base_url", "网站地址"),
    field("language", "语言"),
    field("theme", "主题"),
    field("description", "网站简介"),
    field("as_of", "统计截止日期"),
    field("owner", "主办单位信息"),
    field("supervision", "监督联系方式"),
    field("sanitize_html", "清理 HTML"),
    field("max_file_mb", "单个文件大小上限（MB）"),
];

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
        let mut fields = document.fields(CONFIG_FIELDS, &mut errors);
        let title = fields.required::<String>("title");
        let base_url = fields.optional::<String>("base_url");
        let language = fields
            .optional("language")
            .unwrap_or_else(|| "zh-CN".to_owned());
        let theme = fields
            .optional("theme")
            .unwrap_or_else(|| "default".to_owned());
        let description = fields.optional("description");
        let as_of = fields.optional("as_of");
        let owner = fields.section("owner", OWNER_FIELDS, |owner| Owner {
            name: owner.optional("name"),
            site_code: owner.optional("site_code"),
            icp: owner.optional("icp"),
            police: owner.optional("police"),
            mark_html: owner.optional("mark_html"),
        });
        let supervision = fields.section("supervision", SUPERVISION_FIELDS, Supervision::read);
        let sanitize_html = fields.optional("sanitize_html").unwrap_or(true);
        let max_file_mb = fields
            .optional::<u32>("max_file_mb")
            .map_or(DEFAULT_MAX_FILE_MB, u64::from);
        fields.finish();

        let positions = document.value_positions();
        let value_location = |key: &str| match positions.get(key) {
            Some(&(line, column)) => Location::in_text(path, source, line, column),
            None => Location::file_start(path),
        };
        let mut diagnostics: Vec<Diagnostic> = errors.into_iter().map(Diagnostic::from).collect();
        let base_url = base_url.unwrap_or_else(|| "/".to_owned());
        if !valid_base_url(&base_url) {
            diagnostics.push(
                Located::new(
                    value_location("base_url"),
                    ConfigErrorKind::BadBaseUrl(base_url.clone()),
                )
                .into(),
            );
        }
        if !crate::model::slug::is_valid_slug(&theme) {
            diagnostics.push(
                Located::new(
                    value_location("theme"),
                    ConfigErrorKind::BadThemeName(theme.clone()),
                )
                .into(),
            );
        }
        match title {
            Some(title) if diagnostics.is_empty() => Ok(Config {
                title,
                base_url: with_trailing_slash(base_url),
                language,
                theme,
                description,
                as_of,
                owner: owner.unwrap_or_default(),
                supervision: supervision.unwrap_or_default(),
                sanitize_html,
                max_file_mb,
                locations: positions
                    .iter()
                    .map(|(key, &(line, column))| {
                        (key.clone(), Location::in_text(path, source, line, column))
                    })
                    .collect(),
                file: path.to_path_buf(),
            }),
            _ => Err(diagnostics),
        }
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

    /// Where the value of a (dotted) field is written in site.yaml, for lints.
    /// Where the value of a (dotted) field is written in site.yaml, for
    /// lints; the start of the file for a field it does not write.
    pub fn field_location(&self, field: &str) -> Location {
        self.locations
            .get(field)
            .cloned()
            .unwrap_or_else(|| Location::file_start(&self.file))
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
