//! Every page of the example portal passes the Nu HTML Checker (vnu, the
//! W3C validator) with no error and no warning.
//!
//! Needs Java and vnu (`npm install --prefix target/npm vnu-jar`; `.ci/run`
//! installs both). Outside CI, missing tools skip with a note.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

fn vnu() -> Option<PathBuf> {
    let jar = std::env::var_os("VNU_JAR")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("target/npm/node_modules/vnu-jar/build/dist/vnu.jar")
        });
    let java = Command::new("java").arg("-version").output().is_ok();
    if jar.is_file() && java {
        return Some(jar);
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "java and vnu are required in CI: {}",
        jar.display()
    );
    eprintln!("vnu or java not installed: validator test skipped");
    None
}

#[test]
fn every_page_of_the_example_has_no_validator_error_or_warning() {
    let Some(jar) = vnu() else { return };
    let out = tempfile::tempdir().expect("temp");
    let public = out.path().join("public");
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    common::run_in(repo, &["build", "-o", public.to_str().expect("utf-8")]).assert_ok();
    let pages = walkdir::WalkDir::new(&public)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|entry| entry.path().extension().is_some_and(|e| e == "html"))
        .count();
    assert!(pages > 50, "only {pages} pages");
    let checked = Command::new("java")
        .args(["-Xss4m", "-jar"])
        .arg(&jar)
        .args(["--format", "json", "--skip-non-html"])
        .arg(&public)
        .output()
        .expect("run vnu");
    let report: serde_json::Value =
        serde_json::from_slice(&checked.stderr).expect("vnu's JSON report");
    let messages: Vec<String> = report["messages"]
        .as_array()
        .expect("messages")
        .iter()
        // Errors, and the informational messages vnu calls warnings.
        .filter(|message| message["type"] != "info" || message["subType"] == "warning")
        .map(|message| {
            let file = message["url"].as_str().unwrap_or_default();
            let file = file.rsplit_once("/public/").map_or(file, |(_, f)| f);
            format!(
                "{file}:{}: {} {}",
                message["lastLine"],
                message["subType"]
                    .as_str()
                    .or(message["type"].as_str())
                    .unwrap_or_default(),
                message["message"].as_str().unwrap_or_default()
            )
        })
        .collect();
    assert!(
        messages.is_empty(),
        "{} findings:\n{}",
        messages.len(),
        messages.join("\n")
    );
}
