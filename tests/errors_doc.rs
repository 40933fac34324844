//! docs/errors.md is a test: every example in it is written over the small
//! fixture site, the command it names is run, and each line of the output it
//! shows must appear in what gongkai printed, with the exit code it states.
//!
//! In the document, an example is a `### ` section with
//! - one or more ```` ```file PATH ```` blocks (```` ```file-gbk PATH ```` writes
//!   the text GBK-encoded, ```` ```delete PATH ```` removes a file),
//! - one ```` ```output COMMAND EXIT ```` block, e.g. ```` ```output build 1 ````.

mod common;

use std::path::Path;

use common::Site;

struct Example {
    title: String,
    files: Vec<(String, String, String)>,
    command: String,
    exit: i32,
    output: Vec<String>,
}

fn examples(document: &str) -> Vec<Example> {
    let mut examples: Vec<Example> = Vec::new();
    let mut lines = document.lines();
    while let Some(line) = lines.next() {
        if let Some(title) = line.strip_prefix("### ") {
            examples.push(Example {
                title: title.to_owned(),
                files: Vec::new(),
                command: String::new(),
                exit: 0,
                output: Vec::new(),
            });
            continue;
        }
        let Some(info) = line.strip_prefix("```") else {
            continue;
        };
        let mut block = Vec::new();
        for inner in lines.by_ref() {
            if inner == "```" {
                break;
            }
            block.push(inner.to_owned());
        }
        let Some(example) = examples.last_mut() else {
            continue;
        };
        let words: Vec<&str> = info.split_whitespace().collect();
        match words.as_slice() {
            [kind @ ("file" | "file-gbk" | "delete"), path] => {
                let mut text = block.join("\n");
                text.push('\n');
                example
                    .files
                    .push((kind.to_string(), path.to_string(), text));
            }
            ["output", command, exit] => {
                example.command = command.to_string();
                example.exit = exit.parse().expect("exit code");
                example.output = block;
            }
            _ => {}
        }
    }
    examples
}

#[test]
fn every_example_in_errors_md_gives_the_message_shown() {
    let document =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/errors.md"))
            .expect("docs/errors.md");
    let examples = examples(&document);
    assert!(examples.len() >= 30, "only {} examples", examples.len());
    let mut failures = Vec::new();
    for example in &examples {
        assert!(
            !example.command.is_empty(),
            "{}: no output block",
            example.title
        );
        let site = Site::new();
        for (kind, path, text) in &example.files {
            match kind.as_str() {
                "file" => site.write(path, text),
                "file-gbk" => site.write(path, encoding_rs::GBK.encode(text).0.as_ref()),
                _ => site.remove(path),
            }
        }
        let run = site.run(&[example.command.as_str()]);
        let printed = format!("{}{}", run.stdout, run.stderr);
        if std::env::var_os("ERRORS_DOC_PRINT").is_some() {
            eprintln!("=== {} (exit {:?})\n{printed}", example.title, run.code);
        }
        if run.code != Some(example.exit) {
            failures.push(format!(
                "{}: exit {:?}, expected {}\n{printed}",
                example.title, run.code, example.exit
            ));
            continue;
        }
        assert!(
            !printed.contains("panicked"),
            "{}: {printed}",
            example.title
        );
        for expected in &example.output {
            if !expected.trim().is_empty() && !printed.contains(expected.as_str()) {
                failures.push(format!(
                    "{}: missing line\n  {expected}\nin\n{printed}",
                    example.title
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
