//! `gongkai init`, `gongkai new notice`, `gongkai new issue`: files a clerk
//! starts from.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use gongkai::{say, scaffold};

use super::usage_failure;

pub fn init(root: &Path, dir: PathBuf, aggregate: bool) -> ExitCode {
    let dir = if dir.is_absolute() {
        dir
    } else {
        root.join(dir)
    };
    let made = if aggregate {
        scaffold::init_aggregate(&dir)
    } else {
        scaffold::init(&dir)
    };
    match made {
        Ok(_) if aggregate => {
            say!("已创建汇总网站 {}", dir.display());
            say!(
                "它先汇总一个示例单位；在 site.yaml 的 sources 中列出各单位网站的 data/ 地址，再删去示例单位"
            );
            say!("下一步：cd {} && gongkai build", dir.display());
            ExitCode::SUCCESS
        }
        Ok(_) => {
            say!("已创建站点 {}", dir.display());
            say!("下一步：cd {} && gongkai build", dir.display());
            ExitCode::SUCCESS
        }
        Err(error) => usage_failure(&error),
    }
}

pub fn notice(root: &Path, slug: &str) -> ExitCode {
    match scaffold::new_notice(root, slug, gongkai::model::date::Date::today()) {
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

pub fn issue(root: &Path, notice: &str, slug: &str) -> ExitCode {
    match scaffold::new_issue(root, notice, slug, gongkai::model::date::Date::today()) {
        Ok(path) => {
            say!("已创建问题 {}", path.display());
            ExitCode::SUCCESS
        }
        Err(error) => usage_failure(&error),
    }
}
