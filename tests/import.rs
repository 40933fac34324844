//! `gongkai import` on the real samples (../shared/samples) and on variants
//! of our own: the bundles build, and the counts equal the notices' own.

mod common;

use std::path::{Path, PathBuf};

use common::Site;

fn sample(name: &str) -> Option<PathBuf> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/samples")
        .join(name);
    if path.is_file() {
        return Some(path);
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "{} is missing in CI",
        path.display()
    );
    eprintln!("{} not found: sample test skipped", path.display());
    None
}

/// Status, long_term and deadline lines of every issue file of a bundle.
fn issue_fields(folder: &Path) -> Vec<String> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(folder.join("issues"))
        .expect("issues")
        .map(|e| e.expect("entry").path())
        .collect();
    files.sort();
    files
        .iter()
        .map(|file| {
            let text = std::fs::read_to_string(file).expect("read");
            text.lines()
                .filter(|l| {
                    l.starts_with("status:")
                        || l.starts_with("long_term:")
                        || l.starts_with("deadline:")
                })
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

fn import(site: &Site, file: &Path, slug: &str) -> PathBuf {
    let run = site.run(&["import", file.to_str().expect("utf-8"), "--slug", slug]);
    run.assert_ok();
    site.path(&format!("content/notices/{slug}"))
}

#[test]
fn community_health_center_imports_with_its_own_counts() {
    let Some(file) = sample("community-health-center.txt") else {
        return;
    };
    let site = Site::new();
    let folder = import(&site, &file, "2025-xingcheng");
    let fields = issue_fields(&folder);
    assert_eq!(fields.len(), 31);
    let completed = fields
        .iter()
        .filter(|f| f.contains("status: completed"))
        .count();
    let long_term = fields
        .iter()
        .filter(|f| f.contains("long_term: true"))
        .count();
    let in_progress: Vec<&String> = fields
        .iter()
        .filter(|f| f.contains("status: in_progress"))
        .collect();
    assert_eq!((completed, long_term, in_progress.len()), (28, 11, 3));
    assert!(
        in_progress.iter().all(|f| f.contains("deadline: 2025-")),
        "{in_progress:?}"
    );
    let index = std::fs::read_to_string(folder.join("index.md")).expect("index");
    assert!(
        index.contains("declared:\n  aspects: 4\n  items: 11\n  problems: 31\n"),
        "{index}"
    );
    assert!(index.contains("body: 区委第四巡察组") && index.contains("feedback: 2025-03-18"));
    assert!(index.contains("phone: 0632-8671585") && index.contains("email: xcyybgs1@163.com"));
    assert!(index.contains("<!-- issues -->") && index.contains("## 三、今后整改工作打算"));
    // It builds; check names the item the text declares but never numbers.
    site.build().assert_ok();
    let check = site.run(&["check"]);
    assert!(
        check
            .stderr
            .contains("通报写明大项11个，问题文件实际有10个"),
        "{}",
        check.stderr
    );
    let home = site.html("public/notices/2025-xingcheng/index.html");
    assert_eq!(common::texts(&home, ".aspect-title").len(), 4);
    assert_eq!(common::text(&home, ".rate strong"), "28/31，90.3%");
}

#[test]
fn municipal_hospital_imports_a_flat_list() {
    let Some(file) = sample("hospital-municipal.txt") else {
        return;
    };
    let site = Site::new();
    let folder = import(&site, &file, "2025-zhongyiyuan");
    assert_eq!(issue_fields(&folder).len(), 13);
    let index = std::fs::read_to_string(folder.join("index.md")).expect("index");
    for expected in [
        "organization: 中共连云港市中医院委员会",
        "published: 2025-03-17",
        "written: 2025-02-25",
        "body: 市委第六巡察组",
        "start: 2024-05-27",
        "end: 2024-07-26",
        "feedback: 2024-10-15",
        "postcode: '222001'",
        "address: 连云港市海州区朝阳路160号连云港市中医院",
    ] {
        assert!(index.contains(expected), "{expected} in\n{index}");
    }
    let first = std::fs::read_to_string(folder.join("issues/01-ddldrhddldhx.md")).expect("issue");
    assert!(
        first.contains("title: 党的领导弱化,党的领导核心作用发挥不充分"),
        "{first}"
    );
    assert!(first.contains("一是严格落实“第一议题”制度"), "{first}");
    site.build().assert_ok();
}

#[test]
fn an_article_without_issues_imports_as_a_body() {
    let Some(file) = sample("hospital-group-party-building.txt") else {
        return;
    };
    let site = Site::new();
    let run = site.run(&[
        "import",
        file.to_str().expect("utf-8"),
        "--slug",
        "2022-dangjian",
    ]);
    run.assert_ok();
    assert!(
        run.stdout.contains("没有找到标题"),
        "the guess is reported: {}",
        run.stdout
    );
    let index = std::fs::read_to_string(site.path("content/notices/2022-dangjian/index.md"))
        .expect("index");
    assert!(index.contains("index_no: 002962430/2022-146522"), "{index}");
    assert!(
        index.contains("“双带头人”培育工程"),
        "nothing lost: {index}"
    );
    site.build().assert_ok();
}

const VARIANT: &str = "某某医院党委关于巡察整改进展情况的通报\r\n\r\n根据县委统一部署，县委第二巡察组于2024年3月1日至4月30日对我院开展了巡察，并于6月10日进行了反馈。\r\n\r\n一、整改工作组织情况\r\n\r\n成立领导小组，共4条问题中已完成整改2项，继续整改1项，基本完成1项。\r\n\r\n二、整改落实情况\r\n\r\n（一）“党的建设”方面\r\n\r\n1．关于“理论学习不深入”的问题\r\n\r\n整改措施：一是制定学习计划。\r\n\r\n整改完成情况：已整改完成。\r\n\r\n2．关于“支部建设不规范”的问题\r\n\r\n整改措施：一是规范支部设置。\r\n\r\n完成时间：2025年6月30日\r\n\r\n（二）“财务管理”方面\r\n\r\n3．关于“报销审核不严”的问题\r\n\r\n整改措施：一是修订报销办法。\r\n\r\n完成情况：基本完成\r\n\r\n4．关于“资产账实不符”的问题\r\n\r\n整改措施：一是开展资产清查。\r\n\r\n整改完成情况：立行立改，已完成。\r\n\r\n三、下一步工作打算\r\n\r\n继续抓好整改。\r\n\r\n欢迎监督。联系方式：电话0000-1234567；电子邮箱：office@example.cn。\r\n\r\n中共某某医院委员会\r\n\r\n2025年3月1日\r\n\r\n![]()\r\n关于我们 | 网站声明\r\n";

#[test]
fn full_width_punctuation_crlf_blank_lines_and_status_wordings() {
    let site = Site::new();
    site.write("tongbao.txt", VARIANT);
    let folder = import(&site, &site.path("tongbao.txt"), "2025-variant");
    let fields = issue_fields(&folder);
    assert_eq!(
        fields,
        [
            "status: completed",
            "status: in_progress deadline: 2025-06-30",
            "status: partial",
            "status: completed",
        ]
    );
    let issue = std::fs::read_to_string(folder.join("issues/03-bxshby.md")).expect("issue");
    assert!(issue.contains("aspect: 财务管理方面"), "{issue}");
    let index = std::fs::read_to_string(folder.join("index.md")).expect("index");
    assert!(
        index.contains("feedback: 2024-06-10") && index.contains("end: 2024-04-30"),
        "{index}"
    );
    assert!(
        !index.contains("网站声明") && !index.contains("![]()"),
        "page residue dropped"
    );
    site.build().assert_ok();
}

#[test]
fn gbk_files_and_standard_input_are_read() {
    let site = Site::new();
    let (gbk, _, _) = encoding_rs::GBK.encode(VARIANT);
    site.write("gbk.txt", gbk.as_ref());
    let run = site.run(&[
        "import",
        site.path("gbk.txt").to_str().expect("utf-8"),
        "--slug",
        "2025-gbk",
    ]);
    run.assert_ok();
    assert!(run.stdout.contains("GBK"), "{}", run.stdout);
    assert_eq!(
        issue_fields(&site.path("content/notices/2025-gbk")).len(),
        4
    );

    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .arg("--root")
        .arg(site.root())
        .args(["import", "-", "--slug", "2025-stdin", "--dry-run"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("import");
    use std::io::Write;
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(VARIANT.as_bytes())
        .expect("write");
    let output = child.wait_with_output().expect("wait");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}");
    assert!(
        stdout.contains("4 条问题") && stdout.contains("未写入"),
        "{stdout}"
    );
    assert!(
        !site.path("content/notices/2025-stdin").exists(),
        "dry run writes nothing"
    );
}

#[test]
fn an_existing_bundle_is_never_overwritten() {
    let site = Site::new();
    site.write("tongbao.txt", VARIANT);
    let run = site.run(&[
        "import",
        site.path("tongbao.txt").to_str().expect("utf-8"),
        "--slug",
        "2025-ceshi",
    ]);
    assert_eq!(run.code, Some(2));
    assert!(run.stderr.contains("已存在"), "{}", run.stderr);
}

#[test]
fn a_heading_without_its_number_is_placed_by_its_wording() {
    let site = Site::new();
    let text = VARIANT.replace(
        "2．关于“支部建设不规范”的问题",
        "关于“支部建设不规范”的问题",
    );
    site.write("tongbao.txt", text);
    let run = site.run(&[
        "import",
        site.path("tongbao.txt").to_str().expect("utf-8"),
        "--slug",
        "2025-nonumber",
    ]);
    run.assert_ok();
    assert!(
        run.stdout
            .contains("“关于“支部建设不规范”的问题”没有编号，按问题导入"),
        "{}",
        run.stdout
    );
    assert_eq!(
        issue_fields(&site.path("content/notices/2025-nonumber")).len(),
        4
    );
}

#[test]
fn statuses_given_in_a_later_summary_are_applied() {
    let site = Site::new();
    let text = "某某中心关于巡察整改进展情况的通报\n根据区委统一部署，区委第一巡察组于2024年3月1日至4月30日进行了巡察，6月10日反馈了意见。\n一、整改落实情况\n1.关于“学习不深入”的问题\n一是制定计划。\n2.关于“制度不健全”的问题\n一是修订制度。\n3.关于“报销不规范”的问题\n一是自查凭证。\n二、整改进展\n截至目前，第1、2项已整改完成；第3项继续整改，2025年12月底前完成。\n某某中心\n2025年1月10日\n";
    site.write("summary.txt", text);
    let folder = import(&site, &site.path("summary.txt"), "2025-summary");
    assert_eq!(
        issue_fields(&folder),
        [
            "status: completed",
            "status: completed",
            "status: in_progress deadline: 2025-12-31"
        ]
    );
    site.build().assert_ok();
}

/// A notice in another common layout: ideographic-space indents, problems
/// as （一） headings, 整改时限 and 整改进展 lines, signature indented.
#[test]
fn a_county_hospital_layout_imports_with_its_statuses() {
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/county-hospital.txt");
    let site = Site::new();
    let folder = import(&site, &file, "2025-county");
    assert_eq!(
        issue_fields(&folder),
        [
            "status: completed",
            "status: in_progress deadline: 2025-06-30",
            "status: completed long_term: true",
        ]
    );
    let index = std::fs::read_to_string(folder.join("index.md")).expect("index");
    for expected in [
        "organization: 中共某某县人民医院委员会",
        "feedback: 2024-12-20",
        "start: 2024-09-10",
        "end: 2024-11-10",
        "text: 欢迎广大干部群众对巡察整改工作进行监督。",
        "phone: 0123-4567890",
    ] {
        assert!(index.contains(expected), "{expected} in\n{index}");
    }
    site.build().assert_ok();
}

/// Aspects as top-level sections (一、关于…方面存在的问题), problems with their
/// text on the heading line, statuses only in the prose.
#[test]
fn sections_as_aspects_and_statuses_in_prose() {
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/aspect-sections.txt");
    let site = Site::new();
    let folder = import(&site, &file, "2024-cdc");
    assert_eq!(
        issue_fields(&folder),
        [
            "status: completed",
            "status: in_progress deadline: 2025-05-31",
            "status: completed",
            "status: completed long_term: true",
        ]
    );
    let first = std::fs::read_to_string(folder.join("issues/01-llxxbsr.md")).expect("issue");
    assert!(first.contains("title: 理论学习不深入"), "{first}");
    assert!(
        first.contains("aspect: 贯彻落实党中央决策部署方面"),
        "{first}"
    );
    assert!(first.contains("**整改情况：**制定年度学习计划"), "{first}");
    let index = std::fs::read_to_string(folder.join("index.md")).expect("index");
    assert!(index.contains("phone: 0000-7654321"), "{index}");
    site.build().assert_ok();
}

/// Dates that go with a status become the issue's completion date (a
/// completed problem) or the date its status stands at (another one); a
/// plan's date stays a deadline; a summary's dated clause counts too.
#[test]
fn dates_said_with_statuses_become_completed_and_updated() {
    let text = "某某区妇幼保健院党支部关于巡察整改进展情况的通报\n\n\
        根据区委统一部署，区委第一巡察组于2024年10月8日至12月6日对我院开展了巡察，并于2025年1月15日进行了反馈。\n\n\
        一、整改落实情况\n\n\
        1．关于“制度执行不到位”的问题\n\n整改措施：一是修订议事规则。\n\n整改完成情况：已于2025年3月12日完成整改。\n\n\
        2．关于“药品采购把关不严”的问题\n\n整改措施：一是建立遴选目录。\n\n整改进展：截至2025年6月底，正在推进，计划2025年12月底前完成。\n\n\
        3．关于“档案管理混乱”的问题\n\n整改措施：一是集中整理档案。\n\n整改完成情况：2025年4月已整改到位。\n\n\
        4．关于“宣传阵地管理薄弱”的问题\n\n整改措施：一是落实审核制度。\n\n\
        二、下一步工作打算\n\n第4项已于2025年5月8日整改完成。\n\n\
        中共某某区妇幼保健院支部委员会\n\n2025年7月2日\n";
    let site = Site::new();
    site.write("dated.txt", text);
    let folder = import(&site, &site.path("dated.txt"), "2025-dated");
    let fields = |name: &str| -> Vec<String> {
        let file = std::fs::read_dir(folder.join("issues"))
            .expect("issues")
            .map(|entry| entry.expect("entry").path())
            .find(|path| {
                path.file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with(name))
            })
            .expect("issue file");
        std::fs::read_to_string(file)
            .expect("issue")
            .lines()
            .filter(|line| {
                ["status:", "deadline:", "updated:", "completed:"]
                    .iter()
                    .any(|key| line.starts_with(key))
            })
            .map(str::to_owned)
            .collect()
    };
    assert_eq!(fields("01"), ["status: completed", "completed: 2025-03-12"]);
    assert_eq!(
        fields("02"),
        [
            "status: in_progress",
            "deadline: 2025-12-31",
            "updated: 2025-06-30"
        ]
    );
    assert_eq!(fields("03"), ["status: completed", "completed: 2025-04-30"]);
    assert_eq!(fields("04"), ["status: completed", "completed: 2025-05-08"]);
    site.build().assert_ok();
}
