//! A small site in a temporary folder, built with the real `gongkai` binary.
#![allow(dead_code)]

pub mod browser;
pub mod kills;
pub mod server;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use scraper::{Html, Selector};

pub const SITE_YAML: &str = "title: 测试市卫生健康委员会 巡察整改公开
base_url: https://example.gov.cn/xcgz/
as_of: 2025-10-01
owner: { name: 测试市卫生健康委员会, site_code: \"1234000001\", icp: 测ICP备00000000号, police: 测公网安备 12345678901234号 }
supervision:
  phone: 0000-00000000
  email: office@example.gov.cn
  address: 测试市某某路1号
  postcode: \"000000\"
";

pub const NOTICE: &str = "---
title: 中共测试医院委员会关于市委巡察整改进展情况的通报
organization: 中共测试医院委员会
published: 2025-03-17
written: 2025年2月25日
index_no: 370403/2025-02453
doc_no: 无
category: 巡察整改
validity: 有效
inspection: { body: 市委第六巡察组, start: 2024-05-27, end: 2024-07-26, feedback: 2024-10-15 }
declared: { aspects: 2, items: 3, problems: 4 }
supervision: { phone: 0518-11111111 }
---

前言。

## 一、整改工作组织情况

成立领导小组。

## 二、整改落实情况

<!-- issues -->

## 三、下一步工作打算

继续整改。
";

/// Issue files of the fixture notice: two aspects, three items, four problems.
pub const ISSUES: [(&str, &str); 4] = [
    (
        "01-lingdao.md",
        "---\ntitle: 党的领导作用发挥不充分\naspect: 党的领导方面\nitem: 党的领导弱化\nstatus: completed\nlong_term: true\ndepartment: 党委办公室\nlead: 党委书记\ncompleted: 2025-01-20\n---\n\n**整改情况：**一是修订制度；二是加强学习。\n",
    ),
    (
        "02-xuexi.md",
        "---\ntitle: 理论学习不深入\naspect: 党的领导方面\nitem: 党的领导弱化\nstatus: 基本完成\ndeadline: 2025-06-30\n---\n\n一是制定计划。\n",
    ),
    (
        "03-caiwu.md",
        "---\ntitle: 财务报销不规范\naspect: 全面从严治党方面\nitem: 财务管理\nstatus: 整改中\ndeadline: 2025-12-31\ndepartment: 财务科\n---\n\n一是自查凭证。\n",
    ),
    (
        "04-zichan.md",
        "---\ntitle: 固定资产账实不符\naspect: 全面从严治党方面\nitem: 资产管理\nstatus: in_progress\ndeadline: 2025年9月1日\n---\n\n一是盘点资产。\n",
    ),
];

pub struct Site {
    pub dir: tempfile::TempDir,
}

impl Site {
    /// A valid site: site.yaml, one notice with four issues, one page.
    pub fn new() -> Site {
        let site = Site {
            dir: tempfile::tempdir().expect("temp dir"),
        };
        site.write("site.yaml", SITE_YAML);
        site.write("content/notices/2025-ceshi/index.md", NOTICE);
        for (name, text) in ISSUES {
            site.write(&format!("content/notices/2025-ceshi/issues/{name}"), text);
        }
        site.write(
            "content/pages/lianxi.md",
            "---\ntitle: 联系我们\n---\n\n电话：0000-00000000\n",
        );
        site
    }

    /// A copy of the example portal in the repository (site.yaml and
    /// content/; the built-in default theme).
    pub fn example() -> Site {
        let site = Site {
            dir: tempfile::tempdir().expect("temp dir"),
        };
        let repository = Path::new(env!("CARGO_MANIFEST_DIR"));
        fs::copy(repository.join("site.yaml"), site.path("site.yaml")).expect("site.yaml");
        for entry in walkdir::WalkDir::new(repository.join("content"))
            .into_iter()
            .filter_map(Result::ok)
            .filter(|entry| entry.file_type().is_file())
        {
            let relative = entry.path().strip_prefix(repository).expect("inside");
            let to = site.path(&relative.to_string_lossy());
            fs::create_dir_all(to.parent().expect("parent")).expect("folder");
            fs::copy(entry.path(), to).expect("copy");
        }
        site
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn path(&self, relative: &str) -> PathBuf {
        self.root().join(relative)
    }

    pub fn write(&self, relative: &str, text: impl AsRef<[u8]>) {
        let path = self.path(relative);
        fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        fs::write(path, text).expect("write");
    }

    /// Replaces the first `from` in the site's file `relative` with `to`,
    /// as a clerk's edit would; `from` must be there.
    pub fn replace(&self, relative: &str, from: &str, to: &str) {
        let text = fs::read_to_string(self.path(relative)).expect("read");
        assert!(text.contains(from), "{from:?} not in {relative}:\n{text}");
        self.write(relative, text.replacen(from, to, 1));
    }

    pub fn remove(&self, relative: &str) {
        fs::remove_file(self.path(relative)).expect("remove");
    }

    pub fn run(&self, args: &[&str]) -> Run {
        run_in(self.root(), args)
    }

    pub fn build(&self) -> Run {
        self.run(&["build"])
    }

    pub fn html(&self, relative: &str) -> Html {
        let text =
            fs::read_to_string(self.path(relative)).unwrap_or_else(|e| panic!("{relative}: {e}"));
        Html::parse_document(&text)
    }
}

pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn assert_ok(&self) -> &Self {
        assert_eq!(
            self.code,
            Some(0),
            "stdout:\n{}\nstderr:\n{}",
            self.stdout,
            self.stderr
        );
        self
    }
}

pub fn run_in(root: &Path, args: &[&str]) -> Run {
    let mut command = Command::new(env!("CARGO_BIN_EXE_gongkai"));
    command.arg("--root").arg(root).args(args);
    let Output {
        status,
        stdout,
        stderr,
    } = command.output().expect("run gongkai");
    Run {
        code: status.code(),
        stdout: String::from_utf8_lossy(&stdout).into_owned(),
        stderr: String::from_utf8_lossy(&stderr).into_owned(),
    }
}

/// Every file under `dir` with its bytes, to compare an output before and after.
pub fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let bytes = fs::read(e.path()).expect("read");
            (
                e.path().strip_prefix(dir).expect("inside").to_path_buf(),
                bytes,
            )
        })
        .collect()
}

pub fn select<'a>(html: &'a Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    let selector = Selector::parse(css).unwrap_or_else(|e| panic!("{css}: {e:?}"));
    html.select(&selector).collect()
}

pub fn texts(html: &Html, css: &str) -> Vec<String> {
    select(html, css)
        .iter()
        .map(|e| {
            e.text()
                .collect::<String>()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

pub fn text(html: &Html, css: &str) -> String {
    texts(html, css).join(" ")
}
