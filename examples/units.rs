//! Synthetic units for the aggregate benchmark: each unit's open data
//! (`data/notices.json`, `data/issues.json`) as a gongkai build writes it.
//!
//! ```sh
//! cargo run --release --example units -- --units 2000 --notices 30 --issues 30 --out bench/sites/units
//! ```
//!
//! Same arguments, same bytes. `--out` gets `u0000/data/` … and an
//! aggregate site (`site.yaml` listing every unit) in `aggregate/`.

use std::fmt::Write as _;
use std::fs;
use std::path::PathBuf;

use clap::Parser;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

#[derive(Parser)]
struct Args {
    #[arg(long, default_value_t = 100)]
    units: usize,
    #[arg(long, default_value_t = 30)]
    notices: usize,
    #[arg(long, default_value_t = 30)]
    issues: usize,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    #[arg(long)]
    out: PathBuf,
}

const DEPARTMENTS: &[&str] = &[
    "医务科",
    "护理部",
    "财务科",
    "党办",
    "院办",
    "药剂科",
    "信息科",
    "人事科",
    "总务科",
    "纪委办",
];
const STATUSES: &[&str] = &["completed", "partial", "in_progress"];
const MEASURES: &str = "一是制定整改方案，明确责任分工和完成时限。二是建立长效机制，定期检查落实情况，对发现的问题及时督促整改。三是加强学习培训，提高全体干部职工的规矩意识。";

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = Args::parse();
    let mut rng = ChaCha8Rng::seed_from_u64(args.seed);
    let mut sources = String::new();
    for u in 0..args.units {
        let base = format!("https://u{u:04}.example.gov.cn/xcgz/");
        let mut notices = format!(
            "{{\"format\":\"gongkai-data/1\",\n\"site\":{{\"base_url\":\"{base}\",\"owner\":\"第{u}号单位\",\"title\":\"第{u}号单位巡察整改公开\"}},\n\"totals\":{{\"total\":0,\"completed\":0,\"partial\":0,\"in_progress\":0,\"long_term\":0,\"overdue\":0,\"stale\":0,\"completion_rate\":null}},\n\"notices\":[\n"
        );
        let mut issues = String::from("{\"format\":\"gongkai-data/1\",\n\"issues\":[\n");
        for n in 0..args.notices {
            let slug = format!("2025-n{n:03}");
            let url = format!("{base}notices/{slug}/");
            if n > 0 {
                notices.push_str(",\n");
            }
            write!(
                notices,
                "{{\"slug\":\"{slug}\",\"url\":\"{url}\",\"title\":\"第{u}号单位关于第{n}轮巡察整改进展情况的通报\",\"organization\":\"第{u}号单位\",\"published\":\"2025-{:02}-{:02}\",\"written\":null,\"index_no\":null,\"doc_no\":null,\"category\":null,\"validity\":null,\"inspection\":{{\"body\":null,\"start\":null,\"end\":null,\"feedback\":null}},\"figures_as_of\":\"2025-10-01\",\"figures\":{{\"total\":{},\"completed\":0,\"partial\":0,\"in_progress\":0,\"long_term\":0,\"overdue\":0,\"stale\":0,\"completion_rate\":null}},\"ledger_xlsx\":\"{url}ledger.xlsx\",\"ledger_csv\":\"{url}ledger.csv\"}}",
                rng.random_range(1..=12),
                rng.random_range(1..=28),
                args.issues
            )?;
            for i in 0..args.issues {
                if n > 0 || i > 0 {
                    issues.push_str(",\n");
                }
                let status = STATUSES.choose(&mut rng).copied().unwrap_or("completed");
                let label = match status {
                    "completed" => "已完成",
                    "partial" => "基本完成",
                    _ => "整改中",
                };
                write!(
                    issues,
                    "{{\"notice\":\"{slug}\",\"number\":{},\"slug\":\"{:02}-wenti\",\"url\":\"{url}issues/{:02}-wenti/\",\"title\":\"第{i}项问题整改不到位\",\"aspect\":\"党的建设方面\",\"item\":null,\"status\":\"{status}\",\"status_label\":\"{label}\",\"long_term\":{},\"deadline\":\"2025-{:02}-28\",\"department\":\"{}\",\"lead\":\"分管副院长\",\"completed\":null,\"status_as_of\":\"2025-{:02}-15\",\"overdue\":false,\"stale\":false,\"measures\":\"{MEASURES}\",\"progress\":[{{\"date\":\"2025-05-01\",\"status\":\"in_progress\",\"note\":\"研究制定整改方案。\"}}]}}",
                    i + 1,
                    i + 1,
                    i + 1,
                    rng.random_bool(0.3),
                    rng.random_range(1..=12),
                    DEPARTMENTS.choose(&mut rng).copied().unwrap_or("院办"),
                    rng.random_range(1..=10),
                )?;
            }
        }
        notices.push_str("\n]}\n");
        issues.push_str("\n]}\n");
        let data = args.out.join(format!("u{u:04}/data"));
        fs::create_dir_all(&data)?;
        fs::write(data.join("notices.json"), notices)?;
        fs::write(data.join("issues.json"), issues)?;
        writeln!(sources, "  - name: 第{u}号单位\n    data: ../u{u:04}/data/")?;
    }
    let aggregate = args.out.join("aggregate");
    fs::create_dir_all(aggregate.join("content"))?;
    fs::write(
        aggregate.join("site.yaml"),
        format!(
            "title: 合成汇总网站\nbase_url: https://xcgz.example.gov.cn/\nas_of: 2025-10-31\nsources:\n{sources}"
        ),
    )?;
    println!("{} 个单位 → {}", args.units, args.out.display());
    Ok(())
}
