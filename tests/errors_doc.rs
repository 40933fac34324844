//! docs/errors.md is a test: every example in it is written over the small
//! fixture site, the command it names is run, and each line of the output it
//! shows must appear in what gongkai printed, with the exit code it states.
//!
//! In the document, an example is a `### ` section with
//! - one or more ```` ```file PATH ```` blocks (```` ```file-gbk PATH ```` writes
//!   the text GBK-encoded, ```` ```file-utf16 PATH ```` UTF-16 with a
//!   byte-order mark, ```` ```file-escaped PATH ```` with `\u{…}` read as
//!   the character, ```` ```link PATH ```` makes a symbolic link to the
//!   path in the block, ```` ```delete PATH ```` removes a file),
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
            [
                kind @ ("file" | "file-gbk" | "file-utf16" | "file-escaped" | "link" | "delete"),
                path,
            ] => {
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

/// `\u{c}` → the character U+000C.
fn unescaped(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find("\\u{") {
        out.push_str(&rest[..at]);
        let end = rest[at..].find('}').map_or(rest.len(), |end| at + end);
        let code = u32::from_str_radix(&rest[at + 3..end], 16).ok();
        out.extend(code.and_then(char::from_u32));
        rest = rest.get(end + 1..).unwrap_or_default();
    }
    out.push_str(rest);
    out
}

#[cfg(unix)]
fn link(at: &Path, target: &str) {
    std::fs::create_dir_all(at.parent().expect("parent")).expect("folder");
    std::os::unix::fs::symlink(target, at).expect("link");
}

#[cfg(not(unix))]
fn link(_: &Path, _: &str) {}

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
                "file-utf16" => {
                    let bytes: Vec<u8> = [0xFF, 0xFE]
                        .into_iter()
                        .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
                        .collect();
                    site.write(path, bytes);
                }
                "file-escaped" => site.write(path, unescaped(text)),
                "link" => link(&site.path(path), text.trim()),
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

/// The `GK0000` codes in a text, in order.
fn codes_in(text: &str) -> Vec<String> {
    text.match_indices("GK")
        .filter_map(|(at, _)| {
            let digits = text.get(at + 2..at + 6)?;
            let after = text[at + 6..].chars().next();
            (digits.bytes().all(|b| b.is_ascii_digit())
                && !after.is_some_and(|c| c.is_ascii_digit()))
            .then(|| format!("GK{digits}"))
        })
        .collect()
}

#[test]
fn every_code_in_the_source_is_listed_once_in_errors_md_and_no_other() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut in_source = Vec::new();
    for entry in walkdir::WalkDir::new(root.join("src"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|entry| entry.path().extension().is_some_and(|e| e == "rs"))
    {
        let text = std::fs::read_to_string(entry.path()).expect("read");
        // A code is given in a `Hint::code` match arm: `Kind::X => "GK0101",`.
        in_source.extend(
            text.lines()
                .filter(|line| line.contains("=> \"GK"))
                .flat_map(codes_in),
        );
    }
    let mut unique = in_source.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(
        unique.len(),
        in_source.len(),
        "a code is given to two kinds"
    );
    let doc = std::fs::read_to_string(root.join("docs/errors.md")).expect("errors.md");
    let table = doc.split("\n## Codes\n").nth(1).expect("a Codes section");
    let mut listed: Vec<String> = table
        .lines()
        .filter(|line| line.starts_with("| GK"))
        .flat_map(codes_in)
        .collect();
    listed.sort();
    assert_eq!(
        listed, unique,
        "docs/errors.md lists other codes than the source has"
    );
}
