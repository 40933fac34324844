//! Broken sites: every one exits 1, names file, line and column, explains in
//! Chinese, never panics, and leaves the previous output as it was.

mod common;

use common::{Site, snapshot};

const ISSUE: &str = "content/notices/2025-ceshi/issues/03-caiwu.md";
const NOTICE: &str = "content/notices/2025-ceshi/index.md";

/// Builds `site` once cleanly, breaks it with `break_it`, builds again, and
/// checks the failure; returns stderr for case-specific checks.
fn fails(break_it: impl FnOnce(&Site), location: &str, message: &str) -> String {
    let site = Site::new();
    site.build().assert_ok();
    let before = snapshot(&site.path("public"));
    break_it(&site);
    let run = site.build();
    assert_eq!(
        run.code,
        Some(1),
        "stdout: {}\nstderr: {}",
        run.stdout,
        run.stderr
    );
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    assert!(
        run.stderr.contains(location),
        "expected {location} in:\n{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(message),
        "expected {message} in:\n{}",
        run.stderr
    );
    assert!(run.stderr.contains("原有输出目录未改动"), "{}", run.stderr);
    assert_eq!(
        before,
        snapshot(&site.path("public")),
        "previous output changed"
    );
    let check = site.run(&["check"]);
    assert_eq!(check.code, Some(1), "check agrees: {}", check.stderr);
    run.stderr
}

fn replace(site: &Site, file: &str, from: &str, to: &str) {
    let text = std::fs::read_to_string(site.path(file)).expect("read");
    assert!(text.contains(from), "{from} not in {file}");
    site.write(file, text.replacen(from, to, 1));
}

#[test]
fn unparsable_yaml() {
    let stderr = fails(
        |site| {
            replace(
                site,
                ISSUE,
                "title: 财务报销不规范",
                "title: [财务报销不规范",
            )
        },
        &format!("{ISSUE}:2:8"),
        "方括号 [ 没有对应的 ]",
    );
    assert!(stderr.contains("2 | title: [财务报销不规范"), "{stderr}");
}

#[test]
fn full_width_colon() {
    fails(
        |site| replace(site, ISSUE, "department: 财务科", "department：财务科"),
        &format!("{ISSUE}:7:11"),
        "全角冒号",
    );
}

#[test]
fn unknown_field_suggests_the_nearest() {
    let stderr = fails(
        |site| replace(site, ISSUE, "deadline:", "dedline:"),
        &format!("{ISSUE}:6:1"),
        "未知字段「dedline」",
    );
    assert!(
        stderr.contains("是否应为「deadline」（完成时限）"),
        "{stderr}"
    );
}

#[test]
fn unknown_nested_field() {
    fails(
        |site| {
            replace(
                site,
                NOTICE,
                "{ body: 市委第六巡察组",
                "{ bodi: 市委第六巡察组",
            )
        },
        &format!("{NOTICE}:10:15"),
        "未知字段「bodi」",
    );
}

#[test]
fn unknown_status_suggests_the_nearest() {
    let stderr = fails(
        |site| replace(site, ISSUE, "status: 整改中", "status: 整改种"),
        &format!("{ISSUE}:5:9"),
        "不是可识别的整改状态：“整改种”",
    );
    assert!(stderr.contains("是否应为「整改中」"), "{stderr}");
}

#[test]
fn impossible_date() {
    fails(
        |site| replace(site, ISSUE, "deadline: 2025-12-31", "deadline: 2025-02-29"),
        &format!("{ISSUE}:6:11"),
        "2025年2月没有29日",
    );
}

#[test]
fn date_in_an_unknown_form() {
    let stderr = fails(
        |site| {
            replace(
                site,
                NOTICE,
                "published: 2025-03-17",
                "published: 2025.3.17",
            )
        },
        &format!("{NOTICE}:4:12"),
        "不是可识别的日期",
    );
    assert!(
        stderr.contains("请写成 2025-03-17 或 2025年3月17日"),
        "{stderr}"
    );
}

#[test]
fn missing_required_field() {
    fails(
        |site| replace(site, NOTICE, "organization: 中共测试医院委员会\n", ""),
        &format!("{NOTICE}:2:1"),
        "缺少必填字段「organization」（发布机构）",
    );
}

#[test]
fn front_matter_that_is_not_a_mapping() {
    fails(
        |site| site.write(ISSUE, "---\n- 财务报销不规范\n- 整改中\n---\n正文\n"),
        &format!("{ISSUE}:2:1"),
        "这里应为“字段: 值”的列表，实际是一个列表",
    );
}

#[test]
fn front_matter_never_closed() {
    fails(
        |site| {
            site.write(
                ISSUE,
                "---\ntitle: 财务报销不规范\nstatus: 整改中\n\n一是自查凭证。\n",
            )
        },
        &format!("{ISSUE}:1:1"),
        "front matter 没有结束",
    );
}

#[test]
fn no_front_matter_at_all() {
    fails(
        |site| site.write(ISSUE, "财务报销不规范\n"),
        &format!("{ISSUE}:1:1"),
        "文件开头缺少 front matter",
    );
}

#[test]
fn gbk_file_is_named_as_gbk() {
    let stderr = fails(
        |site| {
            let text = "---\ntitle: 财务报销不规范\nstatus: 整改中\n---\n";
            let (gbk, _, _) = encoding_rs::GBK.encode(text);
            site.write(ISSUE, gbk.as_ref());
        },
        &format!("{ISSUE}:2:8"),
        "GBK",
    );
    assert!(stderr.contains("另存为"), "{stderr}");
}

#[test]
fn tera_syntax_error_in_a_site_template() {
    fails(
        |site| {
            site.write("templates/page.html", "{% extends \"base.html\" %}\n{% block content %}\n{{ page.title }\n{% endblock content %}\n")
        },
        "templates/page.html:3:",
        "模板语法错误",
    );
}

#[test]
fn tera_error_while_rendering_names_the_template_line() {
    fails(
        |site| {
            site.write("templates/page.html", "{% extends \"base.html\" %}\n{% block content %}\n{{ page.titel }}\n{% endblock content %}\n")
        },
        "templates/page.html:3:",
        "生成 lianxi/ 时模板出错",
    );
}

#[test]
fn bad_value_in_site_yaml() {
    let stderr = fails(
        |site| {
            let yaml = common::SITE_YAML.replace("as_of: 2025-10-01", "as_of: 2025-13-01");
            site.write(
                "site.yaml",
                yaml.replace(
                    "base_url: https://example.gov.cn/xcgz/",
                    "base_url: example.gov.cn",
                ),
            );
        },
        "site.yaml:3:8",
        "月份 13 不存在",
    );
    assert!(
        stderr.contains("site.yaml:2:11"),
        "both problems are reported: {stderr}"
    );
}

#[test]
fn chinese_folder_name_gets_a_pinyin_suggestion() {
    let stderr = fails(
        |site| {
            site.write("content/notices/巡察整改/index.md", common::NOTICE);
        },
        "content/notices/巡察整改",
        "不能用作网址",
    );
    assert!(stderr.contains("xunchazhenggai"), "{stderr}");
}

#[test]
fn errors_of_many_files_are_reported_together() {
    let stderr = fails(
        |site| {
            replace(site, ISSUE, "status: 整改中", "status: 未知");
            replace(
                site,
                NOTICE,
                "published: 2025-03-17",
                "published: 2025-02-30",
            );
            site.write(
                "content/notices/2025-ceshi/issues/04-zichan.md",
                "---\ntitle: x\n",
            );
        },
        ISSUE,
        "共 3 个错误",
    );
    assert!(
        stderr.contains(NOTICE) && stderr.contains("04-zichan.md"),
        "{stderr}"
    );
}

#[test]
fn an_output_folder_gongkai_did_not_make_is_never_emptied() {
    let site = Site::new();
    site.write("public/报告.docx", "do not delete");
    let run = site.build();
    assert_eq!(run.code, Some(1));
    assert!(run.stderr.contains("不是 gongkai 生成的"), "{}", run.stderr);
    assert!(site.path("public/报告.docx").is_file());
}

#[test]
fn missing_site_yaml_is_explained() {
    let site = Site::new();
    site.remove("site.yaml");
    let run = site.build();
    assert_eq!(run.code, Some(1));
    assert!(
        run.stderr.contains("找不到站点配置文件 site.yaml"),
        "{}",
        run.stderr
    );
}

#[test]
fn usage_errors_exit_2() {
    let site = Site::new();
    let run = site.run(&["biuld"]);
    assert_eq!(run.code, Some(2));
    assert!(run.stderr.contains("命令用法有误"), "{}", run.stderr);
    let run = site.run(&["new", "notice", "巡察整改"]);
    assert_eq!(run.code, Some(2));
    assert!(run.stderr.contains("xunchazhenggai"), "{}", run.stderr);
}

#[test]
fn duplicated_field_is_shown_where_it_repeats() {
    fails(
        |site| {
            replace(
                site,
                ISSUE,
                "department: 财务科",
                "department: 财务科\ntitle: 重复",
            )
        },
        &format!("{ISSUE}:8:1"),
        "字段「title」出现了两次",
    );
}

#[test]
fn template_extending_a_missing_template() {
    fails(
        |site| site.write("templates/page.html", "{% extends \"basis.html\" %}\n"),
        "templates/page.html:1:12",
        "继承的“basis.html”不存在",
    );
}

#[test]
fn template_including_a_missing_template() {
    fails(
        |site| {
            site.write(
                "templates/404.html",
                "<p>\n{% include \"partials/nothing.html\" %}\n",
            )
        },
        "templates/404.html:2:12",
        "Unknown template `partials/nothing.html`",
    );
}

#[test]
fn unknown_theme_points_at_the_theme_line() {
    fails(
        |site| site.write("site.yaml", format!("{}theme: fancy\n", common::SITE_YAML)),
        "site.yaml:10:8",
        "找不到主题“fancy”",
    );
}

#[test]
fn wrong_types_are_named() {
    let stderr = fails(
        |site| {
            replace(
                site,
                ISSUE,
                "status: 整改中",
                "status: 整改中\nlong_term: yes",
            );
            replace(site, NOTICE, "{ aspects: 2,", "{ aspects: -2,");
        },
        &format!("{ISSUE}:6:12"),
        "应为 true 或 false，实际是文本“yes”",
    );
    assert!(
        stderr.contains("字段「declared.aspects」（方面数）应为不小于 0 的整数，实际是数字 -2"),
        "{stderr}"
    );
}

#[test]
fn empty_site_yaml_and_empty_files() {
    let stderr = fails(
        |site| {
            site.write("site.yaml", "");
        },
        "site.yaml:1:1",
        "缺少必填字段「title」（网站名称）",
    );
    assert!(!stderr.contains("panicked"));
    fails(
        |site| site.write(ISSUE, ""),
        &format!("{ISSUE}:1:1"),
        "缺少 front matter",
    );
}

#[test]
fn progress_out_of_order() {
    fails(
        |site| {
            replace(
                site,
                ISSUE,
                "department: 财务科\n",
                "department: 财务科\nprogress:\n  - date: 2025-05-01\n  - {date: 2025-04-01, note: 补记}\n",
            )
        },
        "03-caiwu.md:10:12",
        "进展日期2025年4月1日早于上一条进展的2025年5月1日",
    );
}

#[test]
fn progress_that_is_not_a_list() {
    fails(
        |site| {
            replace(
                site,
                ISSUE,
                "department: 财务科\n",
                "department: 财务科\nprogress: 已完成自查\n",
            )
        },
        "03-caiwu.md:8:11",
        "列表",
    );
}

#[test]
fn completed_date_of_an_issue_in_progress() {
    fails(
        |site| {
            replace(
                site,
                ISSUE,
                "department: 财务科\n",
                "department: 财务科\ncompleted: 2025-06-30\n",
            )
        },
        "03-caiwu.md:8:12",
        "写了完成日期，但整改状态是“整改中”",
    );
}

/// A history as a clerk writes it: block and flow items, two steps on one
/// day, statuses on some steps only, the last of them the current status.
#[test]
fn a_history_in_order_builds_without_a_word_about_it() {
    let site = Site::new();
    replace(
        &site,
        ISSUE,
        "status: 整改中\ndeadline: 2025-12-31\ndepartment: 财务科\n",
        "status: completed\ndepartment: 财务科\nupdated: 2025-07-01\ncompleted: 2025-06-30\nprogress:\n  - date: 2025-03-01\n    status: in_progress\n    note: 制定整改方案\n  - {date: 2025-03-01, note: 召开专题会议}\n  - date: 2025-06-30\n    status: 已完成\n",
    );
    let run = site.build();
    run.assert_ok();
    assert!(!run.stderr.contains("GK072"), "{}", run.stderr);
    let check = site.run(&["check", "--strict"]);
    assert!(
        !check.stdout.contains("GK072") && !check.stderr.contains("GK072"),
        "{}{}",
        check.stdout,
        check.stderr
    );
}
