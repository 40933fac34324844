//! Finding a theme's templates and static files, with the site's own
//! `templates/` and `static/` searched first.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use include_dir::{Dir, include_dir};

use crate::diagnostic::{Diagnostic, Hint, Located};
use crate::load::config::Config;
use crate::load::content::is_ignored;
use crate::load::sources::Sources;

/// The default theme, built into the binary so `init` and a site without a
/// `themes/` folder still work.
pub static DEFAULT_THEME: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");
pub const DEFAULT_THEME_NAME: &str = "default";

pub type TemplateError = Located<TemplateErrorKind>;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TemplateErrorKind {
    #[error("找不到主题“{name}”")]
    ThemeMissing { name: String },
    #[error("模板语法错误：{message}")]
    Syntax { message: String },
    #[error("模板错误：{message}")]
    Structure { message: String },
    #[error("模板出错：{message}")]
    Render { message: String },
    #[error("模板互相{how}，形成了循环：{chain}")]
    Cycle { how: &'static str, chain: String },
}

impl Hint for TemplateErrorKind {
    fn code(&self) -> &'static str {
        match self {
            TemplateErrorKind::ThemeMissing { .. } => "GK0601",
            TemplateErrorKind::Syntax { .. } => "GK0602",
            TemplateErrorKind::Structure { .. } => "GK0603",
            TemplateErrorKind::Render { .. } => "GK0604",
            TemplateErrorKind::Cycle { .. } => "GK0605",
        }
    }

    fn hint(&self) -> Option<String> {
        match self {
            TemplateErrorKind::ThemeMissing { .. } => Some(
                "主题放在 themes/<主题名>/ 下；不写 theme 字段时使用内置的 default 主题".into(),
            ),
            TemplateErrorKind::Syntax { .. } => {
                Some("检查 {{ }}、{% %} 是否成对，标签名是否拼写正确".into())
            }
            TemplateErrorKind::Structure { .. } => {
                Some("模板按名称查找：先找站点的 templates/，再找主题的 templates/".into())
            }
            TemplateErrorKind::Cycle { .. } => Some(
                "一个模板不能（直接或间接）包含或继承它自己：删去所示这一行的 include / extends"
                    .into(),
            ),
            _ => None,
        }
    }
}

/// One template: its name for Tera, and where it came from for errors.
#[derive(Debug, Clone)]
pub struct TemplateSource {
    pub name: String,
    pub file: PathBuf,
    pub text: String,
}

#[derive(Debug, Clone)]
pub enum StaticSource {
    Disk(PathBuf),
    Embedded(&'static [u8]),
}

/// The merged template and static file sets of a site and its theme.
#[derive(Debug, Default)]
pub struct ThemeFiles {
    pub templates: BTreeMap<String, TemplateSource>,
    /// Output path relative to the output root → where the bytes come from.
    pub statics: BTreeMap<PathBuf, StaticSource>,
}

impl ThemeFiles {
    pub fn load(root: &Path, config: &Config) -> Result<ThemeFiles, Vec<Diagnostic>> {
        let mut files = ThemeFiles::default();
        let mut errors = Vec::new();
        let sources = Sources::new(root, config.max_file_mb);
        let theme_dir = config.theme_dir(root);
        if theme_dir.is_dir() {
            files.add_disk(&sources, &theme_dir, &mut errors);
        } else if config.theme == DEFAULT_THEME_NAME {
            files.add_embedded(&DEFAULT_THEME);
        } else {
            errors.push(
                Located::new(
                    config.location(config.at.theme),
                    TemplateErrorKind::ThemeMissing {
                        name: config.theme.clone(),
                    },
                )
                .into(),
            );
        }
        files.add_disk(&sources, root, &mut errors);
        if errors.is_empty() {
            Ok(files)
        } else {
            Err(errors)
        }
    }

    /// Adds `dir/templates/**` and `dir/static/**`, replacing what is there by name.
    fn add_disk(&mut self, sources: &Sources, dir: &Path, errors: &mut Vec<Diagnostic>) {
        for (kind, base) in [
            ("templates", dir.join("templates")),
            ("static", dir.join("static")),
        ] {
            if !base.is_dir() {
                continue;
            }
            for walked in sources.walk(&base, &is_ignored) {
                let walked = match walked {
                    Ok(walked) if !walked.is_dir => walked,
                    Ok(_) => continue,
                    Err(error) => {
                        errors.push(error.into());
                        continue;
                    }
                };
                let Ok(relative) = walked.path.strip_prefix(&base) else {
                    continue;
                };
                if relative.iter().any(|part| part.to_str().is_none()) {
                    continue;
                }
                if kind == "static" {
                    match sources.check_file(&walked.path) {
                        Ok(_) => {
                            self.statics
                                .insert(relative.to_path_buf(), StaticSource::Disk(walked.path));
                        }
                        Err(error) => errors.push(error.into()),
                    }
                    continue;
                }
                let name = template_name(relative);
                match sources.read_text(&walked.path) {
                    Ok(text) => {
                        self.templates.insert(
                            name.clone(),
                            TemplateSource {
                                name,
                                file: walked.path,
                                text,
                            },
                        );
                    }
                    Err(error) => errors.push(error),
                }
            }
        }
    }

    fn add_embedded(&mut self, theme: &'static Dir<'static>) {
        let mut stack = vec![theme];
        while let Some(dir) = stack.pop() {
            stack.extend(dir.dirs());
            for file in dir.files() {
                let path = file.path();
                if let Ok(relative) = path.strip_prefix("templates") {
                    if let Some(text) = file.contents_utf8() {
                        let name = template_name(relative);
                        self.templates.insert(
                            name.clone(),
                            TemplateSource {
                                name,
                                file: Path::new("themes/default").join(path),
                                text: text.to_owned(),
                            },
                        );
                    }
                } else if let Ok(relative) = path.strip_prefix("static") {
                    self.statics.insert(
                        relative.to_path_buf(),
                        StaticSource::Embedded(file.contents()),
                    );
                }
            }
        }
    }
}

fn template_name(relative: &Path) -> String {
    relative
        .iter()
        .map(|part| part.to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Writes the built-in default theme into `dir` (used by `init`).
pub fn write_default_theme(dir: &Path) -> std::io::Result<()> {
    let mut stack = vec![&DEFAULT_THEME];
    while let Some(current) = stack.pop() {
        stack.extend(current.dirs());
        for file in current.files() {
            let target = dir.join(file.path());
            if let Some(parent) = target.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::write(target, file.contents())?;
        }
    }
    Ok(())
}
