//! A deterministic synthetic disclosure portal, for benchmarks.
//!
//! ```sh
//! cargo run --release --example synth -- --notices 1000 --issues 30 --seed 1 --out bench/sites/s1000
//! ```
//!
//! Same arguments, same bytes: notices and issues in the real format, with
//! aspects and items, every status, long-term flags, deadlines around the
//! `as_of` date, and measures written 一是……二是…… from phrase banks.

use std::fs;
use std::path::{Path, PathBuf};

use clap::Parser;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

#[derive(Parser)]
struct Args {
    /// Number of notices.
    #[arg(long, default_value_t = 100)]
    notices: usize,
    /// Issues per notice.
    #[arg(long, default_value_t = 30)]
    issues: usize,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Where to write the site (replaced if it exists and holds a site.yaml).
    #[arg(long)]
    out: Option<PathBuf>,
}

const PLACES: &[&str] = &[
    "云溪", "清河", "临川", "望江", "南湖", "西岭", "东阳", "北塘", "石门", "青山",
];
const UNITS: &[&str] = &[
    "人民医院",
    "中医院",
    "妇幼保健院",
    "疾病预防控制中心",
    "社区卫生服务中心",
    "卫生健康委员会",
    "第二人民医院",
    "口腔医院",
    "精神卫生中心",
    "急救中心",
];
const BODIES: &[&str] = &[
    "市委第一巡察组",
    "市委第二巡察组",
    "市委第三巡察组",
    "区委第四巡察组",
    "县委第五巡察组",
    "市委第六巡察组",
];
const ASPECTS: &[&str] = &[
    "贯彻落实党中央决策部署和上级工作要求方面",
    "落实全面从严治党责任方面",
    "领导班子和干部队伍建设方面",
    "基层党组织建设方面",
    "落实巡察整改和审计整改方面",
];
const TOPICS: &[&str] = &[
    "理论学习",
    "“第一议题”制度",
    "“三重一大”决策",
    "财务报销",
    "固定资产管理",
    "药品耗材采购",
    "医德医风建设",
    "意识形态工作",
    "干部选拔任用",
    "“双带头人”培育",
    "家庭医生签约",
    "公共卫生服务",
    "医保基金使用",
    "号源管理",
    "信息化建设",
    "绩效考核",
    "党风廉政建设",
    "“三会一课”",
    "发展党员",
    "人才队伍建设",
    "合同管理",
    "基建项目管理",
    "公务用车管理",
    "内部审计",
];
const FAULTS: &[&str] = &[
    "落实不到位",
    "执行不严格",
    "制度不健全",
    "抓得不紧",
    "流于形式",
    "推进缓慢",
    "存在薄弱环节",
    "不够规范",
];
const MEASURES: &[&str] = &[
    "修订完善相关制度，明确责任分工和工作流程",
    "开展专项自查，逐项建立问题台账",
    "组织专题学习和业务培训",
    "建立定期调度和通报机制",
    "将落实情况纳入年度考核",
    "邀请上级单位专家开展指导",
    "对相关责任人进行提醒谈话",
    "完善信息系统功能，实现全过程留痕",
    "每季度开展一次监督检查",
    "与相关部门建立协作机制",
];
const DEPARTMENTS: &[&str] = &[
    "党委办公室",
    "院长办公室",
    "财务科",
    "医务科",
    "人事科",
    "纪检监察室",
    "信息中心",
    "后勤保障科",
    "公共卫生科",
];
const LEADS: &[&str] = &["党委书记", "院长", "分管副院长", "纪委书记", "党委副书记"];
const DIGITS: [&str; 10] = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"];

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = Args::parse();
    let out = args.out.unwrap_or_else(|| {
        PathBuf::from(format!(
            "bench/sites/synth-{}x{}-{}",
            args.notices, args.issues, args.seed
        ))
    });
    if out.exists() {
        if !out.join("site.yaml").is_file() {
            return Err(format!(
                "{} exists and is not a site; not replacing it",
                out.display()
            )
            .into());
        }
        fs::remove_dir_all(&out)?;
    }
    let mut rng = ChaCha8Rng::seed_from_u64(args.seed);
    write(&out.join("site.yaml"), SITE_YAML)?;
    write(
        &out.join("content/pages/lianxi.md"),
        "---\ntitle: 联系我们\n---\n\n电话：0000-00000000\n",
    )?;
    for n in 0..args.notices {
        notice(&out, n, args.issues, &mut rng)?;
    }
    println!(
        "{} 篇通报、{} 条问题 → {}",
        args.notices,
        args.notices * args.issues,
        out.display()
    );
    Ok(())
}

const SITE_YAML: &str = "title: 合成测试站点 巡察整改公开
base_url: https://example.gov.cn/xcgz/
as_of: 2025-10-01
owner: { name: 合成测试市卫生健康委员会, site_code: \"0000000000\", icp: 某ICP备00000000号, police: 某公网安备 00000000000000号 }
supervision:
  phone: 0000-00000000
  email: office@example.gov.cn
  address: 某某市某某路1号
  postcode: \"000000\"
";

fn write(path: &Path, text: &str) -> std::io::Result<()> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)?;
    }
    fs::write(path, text)
}

fn date(rng: &mut ChaCha8Rng, year: u32) -> String {
    format!(
        "{year}-{:02}-{:02}",
        rng.random_range(1..=12),
        rng.random_range(1..=28)
    )
}

fn notice(out: &Path, n: usize, issues: usize, rng: &mut ChaCha8Rng) -> std::io::Result<()> {
    let place = PLACES.choose(rng).copied().unwrap_or("云溪");
    let unit = UNITS.choose(rng).copied().unwrap_or("人民医院");
    let organization = format!("中共{place}市{unit}委员会");
    let body = BODIES.choose(rng).copied().unwrap_or("市委第一巡察组");
    let year = 2023 + (n % 3) as u32;
    let slug = format!("{year}-n{n:05}");
    let aspects = rng.random_range(1..=4).min(issues.max(1));
    let with_items = rng.random_bool(0.5);
    let folder = out.join("content/notices").join(&slug);
    let index = format!(
        "---
title: {organization}关于{body}巡察反馈意见整改进展情况的通报
organization: {organization}
published: {published}
written: {published}
index_no: 000000000/{year}-{n:05}
doc_no: 无
category: 巡察整改
validity: 有效
inspection: {{ body: {body}, start: {start}, end: {start}, feedback: {start} }}
declared: {{ aspects: {aspects}, problems: {issues} }}
---

根据统一部署，{body}对{organization}开展了常规巡察，并反馈了巡察意见。按照巡察工作有关要求，现将巡察整改进展情况予以公布。

## 一、整改工作组织情况

收到反馈意见后，{organization}第一时间召开专题会议，成立整改工作领导小组，制定整改方案，明确责任领导、责任科室和完成时限，实行台账管理、销号推进。

## 二、整改落实情况

<!-- issues -->

## 三、下一步工作打算

对尚未完成的问题继续盯住不放，对已完成的问题适时开展“回头看”，建立健全长效机制。
",
        published = date(rng, year),
        start = date(rng, year - 1),
    );
    write(&folder.join("index.md"), &index)?;
    let mut titles = std::collections::HashSet::new();
    for i in 0..issues {
        let aspect = ASPECTS[(i * aspects / issues.max(1)) % ASPECTS.len()];
        // Two problems of one notice never share a title, as in real notices.
        let (mut topic, mut fault) = ("理论学习", "落实不到位");
        for _ in 0..50 {
            topic = TOPICS.choose(rng).copied().unwrap_or(topic);
            fault = FAULTS.choose(rng).copied().unwrap_or(fault);
            if titles.insert(format!("{topic}{fault}")) {
                break;
            }
        }
        let roll: f64 = rng.random();
        let status = if roll < 0.6 {
            "completed"
        } else if roll < 0.8 {
            "partial"
        } else {
            "in_progress"
        };
        let mut front = format!("---\ntitle: {topic}{fault}\naspect: {aspect}\n");
        if with_items {
            front.push_str(&format!("item: 关于“{topic}”的问题\n"));
        }
        front.push_str(&format!("status: {status}\n"));
        if rng.random_bool(0.3) {
            front.push_str("long_term: true\n");
        }
        if status != "completed" {
            // When the status was last confirmed: in the notice's year.
            let updated = format!("updated: {year}-09-30\n");
            let year = if rng.random_bool(0.2) { 2025 } else { 2026 };
            front.push_str(&format!("deadline: {}\n", date(rng, year)));
            front.push_str(&updated);
        } else {
            // After the feedback (the year before) and before `as_of`; not
            // drawn, so the rest of the site is what the same seed gave before.
            front.push_str(&format!("completed: {year}-01-{:02}\n", 1 + i % 28));
        }
        front.push_str(&format!(
            "department: {}\nlead: {}\n---\n\n**整改情况：**",
            DEPARTMENTS.choose(rng).copied().unwrap_or("党委办公室"),
            LEADS.choose(rng).copied().unwrap_or("党委书记"),
        ));
        let count = rng.random_range(2..=4);
        for (m, ordinal) in DIGITS.iter().enumerate().skip(1).take(count) {
            let measure = MEASURES.choose(rng).copied().unwrap_or("修订完善相关制度");
            let end = if m == count { "。\n" } else { "；" };
            front.push_str(&format!("{ordinal}是{measure}{end}"));
        }
        front.push_str(&format!(
            "\n截至目前，已完成相关工作{}项，涉及{}个科室。\n",
            rng.random_range(1..20),
            rng.random_range(1..12)
        ));
        write(
            &folder.join("issues").join(format!("{:02}-w{i}.md", i + 1)),
            &front,
        )?;
    }
    Ok(())
}
