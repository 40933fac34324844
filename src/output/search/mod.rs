//! The search index: every notice and issue as plain text, cut into small
//! script files the search page loads as a query needs them, so that search
//! works on any static host and from a folder opened from disk, and a
//! phone fetches a few hundred kilobytes of a portal of any size.
//!
//! - `search/index.js`, the directory: how many documents, how they are
//!   cut, the issuing bodies (for the filter);
//! - `search/d/N.js`: documents `N·shard` onwards, with their text;
//! - `search/k/B.js`: for every key (one character, or two adjacent ones,
//!   after [`fold`]ing) whose [`fold::bucket`] is `B`, the documents that hold
//!   it and those whose title holds it ([`lists`]); long lists in files of
//!   their own, `search/k/B-I.js`; the filters are keys too (` s:completed`,
//!   ` d` for overdue, ` o:3` for an issuing body).
//!
//! Every file calls `GONGKAI_SEARCH_PART(name, data)`. The keys find the
//! documents that may match; the page then checks the texts, so matching
//! stays by substring (see docs/search.md).

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;

use crate::escape::{ScriptSafe, push_script_escaped, push_script_string};
use crate::site::Site;

mod fold;
mod lists;
mod remembered;

use fold::Key;
use lists::Runs;
use remembered::ChunkLists;
pub use remembered::Remembered;

/// The directory of the index; the rest of it is beside, in `search/`.
pub const INDEX_PATH: &str = "search/index.js";

/// Whether `path` (from [`index`]) is a file of the search index.
pub fn is_index_file(path: &str) -> bool {
    path.starts_with("search/") && path.ends_with(".js")
}

/// A document's file holds about this many bytes: a query's first ten
/// results read at most ten such files.
const SHARD_BYTES: usize = 10 * 1024;
/// Lists longer than this are files of their own, so that a bucket stays
/// small whichever of its keys is asked for.
const LIST_INLINE_BYTES: usize = 1024;
/// A bucket's inline lists come to about this many bytes.
const BUCKET_BYTES: usize = 8 * 1024;

/// A document of the index, written as a JSON object of these fields
/// ([`Document::write`]).
struct Document<'a> {
    /// Title.
    t: &'a str,
    /// Path from the root.
    u: &'a str,
    /// Title of the notice, for issues.
    n: Option<&'a str>,
    /// Status key, for issues.
    s: Option<&'static str>,
    /// Overdue, for issues.
    d: bool,
    /// Index into the directory's `organizations`.
    o: usize,
    /// The searchable text, without the title: every field the page shows,
    /// each after its label (so that a snippet says which field matched),
    /// then the body, written joined by spaces.
    x: Vec<Cow<'a, str>>,
}

impl Document<'_> {
    fn bytes(&self) -> usize {
        let text: usize = self.x.iter().map(|part| part.len() + 1).sum();
        self.t.len() + self.u.len() + self.n.map_or(0, str::len) + text + 40
    }

    /// `{"t":…,"u":…,"n":…,"s":…,"d":true,"o":…,"x":…}`, without the
    /// fields an issue has when it is a notice, and `d` when not overdue:
    /// by hand, in one pass over texts that come to megabytes.
    fn write(&self, out: &mut String) {
        out.push_str("{\"t\":");
        push_script_string(out, self.t);
        out.push_str(",\"u\":");
        push_script_string(out, self.u);
        if let Some(notice) = self.n {
            out.push_str(",\"n\":");
            push_script_string(out, notice);
        }
        if let Some(status) = self.s {
            out.push_str(",\"s\":");
            push_script_string(out, status);
        }
        if self.d {
            out.push_str(",\"d\":true");
        }
        out.push_str(",\"o\":");
        out.push_str(&self.o.to_string());
        out.push_str(",\"x\":\"");
        for (i, part) in self.x.iter().enumerate() {
            if i > 0 {
                out.push(' ');
            }
            push_script_escaped(out, part);
        }
        out.push_str("\"}");
    }
}

/// A date in both the forms a reader may type: `2025年9月30日 2025-09-30`.
fn dated(date: crate::model::date::Date) -> String {
    format!("{} {date}", date.chinese())
}

fn documents(site: &Site) -> Vec<Document<'_>> {
    let organization_of = |name: &str| {
        site.organizations
            .iter()
            .position(|o| o.name == name)
            .unwrap_or(0)
    };
    let mut documents = Vec::with_capacity(site.notices.len() + site.totals.total);
    for notice in &site.notices {
        let o = organization_of(&notice.front.organization);
        documents.push(Document {
            t: &notice.front.title,
            u: &notice.path,
            n: None,
            s: None,
            d: false,
            o,
            x: vec![
                Cow::Owned(format!("发布机构：{}", notice.front.organization)),
                Cow::Owned(format!("发布日期：{}", dated(notice.front.published))),
                Cow::Borrowed(notice.text.as_str()),
            ],
        });
        for issue in &notice.issues {
            let front = &issue.front;
            let fields = [
                ("所属方面", front.aspect.as_deref()),
                ("所属大项", front.item.as_deref()),
                ("责任科室", front.department.as_deref()),
                ("牵头领导", front.lead.as_deref()),
            ];
            // Its notice's issuing body is searched through `o`, not
            // written again for every issue.
            let mut text: Vec<Cow<str>> = Vec::with_capacity(fields.len() + 3);
            text.extend(fields.iter().filter_map(|(label, value)| {
                value.map(|value| Cow::Owned(format!("{label}：{value}")))
            }));
            if let Some(deadline) = front.deadline {
                text.push(Cow::Owned(format!("完成时限：{}", dated(deadline))));
            }
            if let Some(completed) = front.completed {
                text.push(Cow::Owned(format!("完成日期：{}", dated(completed))));
            }
            text.push(Cow::Borrowed(&issue.text));
            documents.push(Document {
                t: &issue.front.title,
                u: &issue.path,
                n: Some(&notice.front.title),
                s: Some(issue.front.status.key()),
                d: issue.overdue,
                o,
                x: text,
            });
        }
    }
    documents
}

/// The documents holding a key, and those whose title holds it.
#[derive(Default)]
struct Lists {
    all: Runs,
    title: Runs,
}

type Pairs = HashMap<Key, Lists, foldhash::fast::RandomState>;

/// The lists of the keys of some documents. One-character keys of the
/// Basic Multilingual Plane, half of all lookups, are found by their
/// character instead of by hashing.
struct Postings {
    /// By character: 1 + the place of its lists in `singles`, or 0.
    single_at: Vec<u32>,
    singles: Vec<(Key, Lists)>,
    /// Pairs, and characters beyond the Basic Multilingual Plane.
    others: Pairs,
}

impl Postings {
    fn new() -> Postings {
        Postings {
            single_at: vec![0; 1 << 16],
            singles: Vec::new(),
            others: Pairs::default(),
        }
    }

    fn lists(&mut self, key: Key) -> &mut Lists {
        let Some(c) = fold::single_bmp(key) else {
            return self.others.entry(key).or_default();
        };
        let at = &mut self.single_at[usize::from(c)];
        if *at == 0 {
            self.singles.push((key, Lists::default()));
            *at = self.singles.len() as u32;
        }
        &mut self.singles[*at as usize - 1].1
    }

    fn into_lists(self) -> impl Iterator<Item = (Key, Lists)> {
        self.singles.into_iter().chain(self.others)
    }
}

/// The filters' lists: by issuing body, by status, overdue.
#[derive(Default)]
struct Filters {
    organization: Vec<Runs>,
    status: BTreeMap<&'static str, Runs>,
    overdue: Runs,
}

impl Filters {
    fn of(documents: &[Document]) -> Filters {
        let mut filters = Filters::default();
        for (number, document) in (0..).zip(documents) {
            if document.o >= filters.organization.len() {
                filters
                    .organization
                    .resize_with(document.o + 1, Runs::default);
            }
            filters.organization[document.o].push(number);
            if let Some(status) = document.s {
                filters.status.entry(status).or_default().push(number);
            }
            if document.d {
                filters.overdue.push(number);
            }
        }
        filters
    }

    /// Each filter as the key the page asks for.
    fn into_named(self) -> impl Iterator<Item = (String, Runs)> {
        let organizations =
            (self.organization.into_iter().enumerate()).map(|(o, runs)| (format!(" o:{o}"), runs));
        let statuses =
            (self.status.into_iter()).map(|(status, runs)| (format!(" s:{status}"), runs));
        organizations
            .chain(statuses)
            .chain(std::iter::once((" d".to_owned(), self.overdue)))
    }
}

/// Documents read by one thread before their lists join the others', and
/// remembered for the next build.
const CHUNK: usize = 2048;

/// Every key of the documents, with its lists, and the filters; the lists
/// of each chunk of `chunk` documents are taken from `remembered` when its
/// documents hold what they held then. Returns the lists of the chunks to
/// remember.
fn postings(
    documents: &[Document],
    organizations: &[&str],
    remembered: &Remembered,
    chunk: usize,
) -> (Vec<(String, Lists)>, Remembered) {
    let chunks: Vec<(u64, Arc<ChunkLists>)> = documents
        .par_chunks(chunk)
        .map(|documents| {
            let print = fingerprint(documents, organizations);
            let lists = (remembered.chunks.get(&print).cloned())
                .unwrap_or_else(|| Arc::new(chunk_lists(documents, organizations)));
            (print, lists)
        })
        .collect();
    let mut keys = Pairs::default();
    for (at, (_, lists)) in chunks.iter().enumerate() {
        let first = (at * chunk) as u32;
        for (key, all, title) in &lists.0 {
            let joined = keys.entry(*key).or_default();
            joined.all.append(all, first);
            joined.title.append(title, first);
        }
    }
    let changed = chunks.len() != remembered.chunks.len()
        || chunks
            .iter()
            .any(|(print, _)| !remembered.chunks.contains_key(print));
    let remember = Remembered {
        chunks: chunks.into_iter().collect(),
        changed,
    };
    let lists = keys
        .into_iter()
        .map(|(key, lists)| (fold::key_text(key), lists))
        .chain(Filters::of(documents).into_named().map(|(name, all)| {
            let lists = Lists {
                all,
                ..Lists::default()
            };
            (name, lists)
        }))
        .collect();
    (lists, remember)
}

/// The hash of what gives `documents` their keys: titles, texts, and the
/// issuing body of issues.
fn fingerprint(documents: &[Document], organizations: &[&str]) -> u64 {
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    for document in documents {
        // 0xFF is in no UTF-8 text: it parts the texts unambiguously.
        hasher.update(document.t.as_bytes());
        for part in &document.x {
            hasher.update(&[0xFF]);
            hasher.update(part.as_bytes());
        }
        if document.s.is_some() {
            hasher.update(&[0xFF]);
            hasher.update(organizations.get(document.o).unwrap_or(&"").as_bytes());
        }
        hasher.update(&[0xFF, 0xFF]);
    }
    hasher.digest()
}

/// The lists of `documents`, numbered from 0. A key found again in the
/// same document is ignored by its list.
fn chunk_lists(documents: &[Document], organizations: &[&str]) -> ChunkLists {
    let mut keys = Postings::new();
    for (number, document) in (0..).zip(documents) {
        fold::keys(document.t, &mut |key| {
            let lists = keys.lists(key);
            lists.all.push(number);
            lists.title.push(number);
        });
        let mut text = |text: &str| fold::keys(text, &mut |key| keys.lists(key).all.push(number));
        document.x.iter().for_each(|part| text(part));
        if document.s.is_some() {
            // An issue is found by its notice's issuing body too.
            text(organizations.get(document.o).copied().unwrap_or_default());
        }
    }
    ChunkLists(
        keys.into_lists()
            .map(|(key, lists)| (key, lists.all, lists.title))
            .collect(),
    )
}

/// A key's lists as written: inline, or the number of a file of their own.
enum Written {
    Inline(String),
    Apart(String),
}

struct Entry {
    key: String,
    all: String,
    title: String,
}

/// `GONGKAI_SEARCH_PART("name",` JSON `);`, the JSON written by `json`.
fn part(name: &str, bytes: usize, json: impl FnOnce(&mut String)) -> String {
    // Sized up front: thousands of buffers grown by doubling cost more in
    // fresh pages than in copying.
    let mut script = String::with_capacity(bytes + name.len() + 32);
    script.push_str("GONGKAI_SEARCH_PART(\"");
    script.push_str(name);
    script.push_str("\",");
    json(&mut script);
    script.push_str(");\n");
    script
}

/// A list, of base64url characters and `~`: nothing to escape.
fn push_list(out: &mut String, list: &str) {
    out.push('"');
    out.push_str(list);
    out.push('"');
}

/// The bucket file `k/B` and the files of its long lists.
fn bucket_files(number: usize, mut entries: Vec<Entry>) -> Vec<(String, String)> {
    entries.sort_unstable_by(|a, b| a.key.cmp(&b.key));
    let name = format!("k/{number}");
    let mut apart = Vec::new();
    let mut place = |list: String| {
        if list.len() > LIST_INLINE_BYTES {
            apart.push(list);
            Written::Apart(apart.len().to_string())
        } else {
            Written::Inline(list)
        }
    };
    let placed: Vec<(String, Written, Option<Written>)> = entries
        .into_iter()
        .map(|entry| {
            let all = place(entry.all);
            let title = (!entry.title.is_empty()).then(|| place(entry.title));
            (entry.key, all, title)
        })
        .collect();
    let write = |out: &mut String, written: &Written| match written {
        Written::Inline(list) => push_list(out, list),
        Written::Apart(file) => out.push_str(file),
    };
    let bytes = placed
        .iter()
        .map(|(key, all, title)| {
            let size = |written: &Written| match written {
                Written::Inline(list) => list.len() + 3,
                Written::Apart(file) => file.len(),
            };
            key.len() + 8 + size(all) + title.as_ref().map_or(0, size)
        })
        .sum();
    let bucket = part(&name, bytes, |out| {
        out.push('{');
        for (i, (key, all, title)) in placed.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            push_script_string(out, key);
            out.push(':');
            match title {
                None => write(out, all),
                Some(title) => {
                    out.push('[');
                    write(out, all);
                    out.push(',');
                    write(out, title);
                    out.push(']');
                }
            }
        }
        out.push('}');
    });
    let mut files = vec![(format!("search/{name}.js"), bucket)];
    for (i, list) in apart.iter().enumerate() {
        let name = format!("{name}-{}", i + 1);
        let text = part(&name, list.len() + 2, |out| push_list(out, list));
        files.push((format!("search/{name}.js"), text));
    }
    files
}

#[derive(Serialize)]
struct Directory<'a> {
    documents: usize,
    /// Documents a file.
    shard: usize,
    /// Buckets of keys, a power of two.
    buckets: usize,
    organizations: &'a [&'a str],
}

/// Documents a file: a power of two, so that the count stays the same
/// while edits change the texts a little.
fn shard_size(documents: &[Document]) -> usize {
    let bytes: usize = documents.iter().map(Document::bytes).sum();
    let average = bytes / documents.len().max(1);
    let fits = (SHARD_BYTES / average.max(1)).clamp(1, 64);
    1 << fits.ilog2()
}

/// Every file of the search index, by path: the directory at [`INDEX_PATH`],
/// then the documents and the keys; and the lists to remember for the
/// next index, which takes from `remembered` what it can.
pub fn index(site: &Site, remembered: &Remembered) -> (Vec<(String, String)>, Remembered) {
    let organizations: Vec<&str> = site.organizations.iter().map(|g| g.name.as_str()).collect();
    let documents = documents(site);
    let shard = shard_size(&documents);
    let ((entries, remember), mut files) = rayon::join(
        || {
            let (lists, remember) = postings(&documents, &organizations, remembered, CHUNK);
            let entries = lists
                .into_par_iter()
                .map(|(key, lists)| Entry {
                    key,
                    all: lists.all.encode(),
                    title: lists.title.encode(),
                })
                .collect::<Vec<Entry>>();
            (entries, remember)
        },
        || {
            documents
                .par_chunks(shard)
                .enumerate()
                .map(|(i, chunk)| {
                    let name = format!("d/{i}");
                    let bytes = chunk.iter().map(Document::bytes).sum::<usize>() * 9 / 8;
                    let text = part(&name, bytes, |out| {
                        out.push('[');
                        for (i, document) in chunk.iter().enumerate() {
                            if i > 0 {
                                out.push(',');
                            }
                            document.write(out);
                        }
                        out.push(']');
                    });
                    (format!("search/{name}.js"), text)
                })
                .collect::<Vec<_>>()
        },
    );
    let inline: usize = entries
        .iter()
        .map(|e| {
            let size = |list: &String| {
                if list.len() > LIST_INLINE_BYTES {
                    4
                } else {
                    list.len() + 3
                }
            };
            e.key.len() + 4 + size(&e.all) + size(&e.title)
        })
        .sum();
    let buckets = (inline / BUCKET_BYTES)
        .clamp(1, 1 << 16)
        .next_power_of_two();
    let mut by_bucket: Vec<Vec<Entry>> = (0..buckets).map(|_| Vec::new()).collect();
    for entry in entries {
        by_bucket[fold::bucket(&entry.key, buckets as u32) as usize].push(entry);
    }
    files.par_extend(
        by_bucket
            .into_par_iter()
            .enumerate()
            .flat_map_iter(|(number, entries)| bucket_files(number, entries)),
    );
    let directory = Directory {
        documents: documents.len(),
        shard,
        buckets,
        organizations: &organizations,
    };
    let mut script = ScriptSafe::default();
    script.out.extend_from_slice(b"window.GONGKAI_SEARCH=");
    if serde_json::to_writer(&mut script, &directory).is_err() {
        script.out.extend_from_slice(b"{}");
    }
    script.out.extend_from_slice(b";\n");
    files.insert(0, (INDEX_PATH.to_owned(), script.into_string()));
    (files, remember)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_that_would_end_the_script_element_is_escaped_and_reads_the_same() {
        let text = "整改</script><script>alert(1)</script>完成";
        let written = part("d/0", 0, |out| push_script_string(out, text));
        assert!(!written.contains('<'), "{written}");
        let json = written
            .strip_prefix("GONGKAI_SEARCH_PART(\"d/0\",")
            .and_then(|rest| rest.strip_suffix(");\n"))
            .expect("a call");
        let read: String = serde_json::from_str(json).expect("valid JSON");
        assert_eq!(read, text);
    }

    /// Whether `key` occurs in `text`, found the slow way.
    fn holds(text: &str, key: &str) -> bool {
        fold::folded(text)
            .split(char::is_whitespace)
            .any(|run| run.contains(key))
    }

    /// Documents with the given titles and texts, issues of the first
    /// issuing body.
    fn issues<'a>(texts: &'a [(String, String)]) -> Vec<Document<'a>> {
        texts
            .iter()
            .map(|(title, text)| Document {
                t: title,
                u: "",
                n: None,
                s: Some("completed"),
                d: false,
                o: 0,
                x: vec![Cow::Borrowed(text)],
            })
            .collect()
    }

    /// Every key's lists, decoded, by key.
    fn decoded(lists: Vec<(String, Lists)>) -> BTreeMap<String, (Vec<u32>, Vec<u32>)> {
        lists
            .into_iter()
            .map(|(key, lists)| {
                let all = lists::decode(&lists.all.encode());
                (key, (all, lists::decode(&lists.title.encode())))
            })
            .collect()
    }

    proptest::proptest! {
        /// Lists made with the chunks of an earlier index remembered are
        /// those made from nothing, whatever changed in between: texts
        /// edited, documents added or removed, the issuing body renamed.
        #[test]
        fn remembered_chunks_give_the_lists_made_from_nothing(
            before in proptest::collection::vec(("[整改完成Ａ ]{0,4}", "[整改完成ａB ]{0,8}"), 0..30),
            edits in proptest::collection::vec((0usize..30, "[整改办完 ]{0,6}"), 0..3),
            removed in proptest::option::of(0usize..30),
            renamed in proptest::bool::ANY,
        ) {
            let chunk = 4;
            let first = ["整改办"];
            let (_, remembered) = postings(&issues(&before), &first, &Remembered::default(), chunk);
            let mut after = before.clone();
            for (at, text) in edits {
                if let Some(document) = after.get_mut(at) {
                    document.1 = text;
                }
            }
            if let Some(at) = removed.filter(|&at| at < after.len()) {
                after.remove(at);
            }
            let organizations = if renamed { ["完成办"] } else { first };
            let documents = issues(&after);
            let (fresh, _) = postings(&documents, &organizations, &Remembered::default(), chunk);
            let (taken, remember) = postings(&documents, &organizations, &remembered, chunk);
            proptest::prop_assert_eq!(decoded(taken), decoded(fresh));
            // Chunks of the same documents are one entry.
            proptest::prop_assert!(remember.chunks.len() <= documents.len().div_ceil(chunk));
            let unchanged = before.len() == after.len() && before == after && !renamed;
            if unchanged {
                proptest::prop_assert!(!remember.changed);
            }
        }

        /// Every key's lists name exactly the documents whose folded text
        /// (or title) holds it, and each filter exactly its documents.
        #[test]
        fn lists_name_exactly_the_documents_that_hold_each_key(
            texts in proptest::collection::vec(
                ("[整改完成ＡａB２ 　：]{0,6}", "[整改完成ＡａB２ 　：:]{0,12}", 0usize..3, proptest::bool::ANY),
                1..40,
            )
        ) {
            let organizations = ["整改办", "Ａ院"];
            let documents: Vec<Document> = texts
                .iter()
                .map(|(title, text, o, issue)| Document {
                    t: title,
                    u: "",
                    n: None,
                    s: issue.then_some("completed"),
                    d: *issue && *o == 1,
                    o: *o % 2,
                    // Two fields, as an issue's text is made of several.
                    x: {
                        let middle = text.char_indices().nth(text.chars().count() / 2).map_or(0, |(at, _)| at);
                        vec![Cow::Borrowed(&text[..middle]), Cow::Borrowed(&text[middle..])]
                    },
                })
                .collect();
            let (lists, _) = postings(&documents, &organizations, &Remembered::default(), CHUNK);
            for (key, lists) in lists {
                let all = lists::decode(&lists.all.encode());
                let title = lists::decode(&lists.title.encode());
                let expected = |wanted: &dyn Fn(&Document) -> bool| -> Vec<u32> {
                    (0u32..).zip(&documents).filter(|(_, d)| wanted(d)).map(|(n, _)| n).collect()
                };
                match key.as_str() {
                    " d" => proptest::prop_assert_eq!(all, expected(&|d| d.d)),
                    " s:completed" => proptest::prop_assert_eq!(all, expected(&|d| d.s.is_some())),
                    " o:0" | " o:1" => proptest::prop_assert_eq!(all, expected(&|d| key.ends_with(&d.o.to_string()))),
                    _ => {
                        proptest::prop_assert_eq!(&all, &expected(&|d| {
                            holds(d.t, &key)
                                || holds(&d.x.join(" "), &key)
                                || (d.s.is_some() && holds(organizations[d.o], &key))
                        }), "key {}", key);
                        proptest::prop_assert_eq!(&title, &expected(&|d| holds(d.t, &key)), "key {}", key);
                    }
                }
            }
        }
    }
}
