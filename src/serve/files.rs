//! The files `serve` answers with, held in memory: rendered pages, theme
//! files and attachments, by their path in the output.
//!
//! Requests are looked up in this table and nowhere else, so no request can
//! reach a file outside the output, whatever `..` or encoding it uses.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;

use percent_encoding::percent_decode_str;

use crate::Rendered;
use crate::output::path_key;
use crate::render::{RenderedPage, StaticSource, ThemeFiles};
use crate::site::Site;

/// Where the bytes of a served file come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Body {
    Html(Arc<str>),
    /// Feeds, sitemap, search index: served as they are.
    Text(Arc<str>),
    Embedded(&'static [u8]),
    /// A ledger's workbook or CSV.
    Bytes(Arc<[u8]>),
    /// A file of the site (static file or attachment), read when asked for.
    Disk(PathBuf),
}

/// The output of the last good build, by path (`notices/a/index.html`).
#[derive(Debug, Default, Clone)]
pub struct Files {
    files: HashMap<String, Body>,
    /// Which of `files` came from `static/` folders, to replace them together.
    statics: HashSet<String>,
    /// Which of `files` are pages of the page map, to drop those it no longer has.
    pages: HashSet<String>,
    /// Which of `files` are notices' attachments, to replace them together.
    attachments: HashSet<String>,
    /// Which of `files` are feeds, sitemap, robots.txt and the search
    /// index: replaced together, so that a feed the site no longer has goes.
    generated: HashSet<String>,
}

/// What a request path resolved to.
#[derive(Debug, PartialEq, Eq)]
pub enum Lookup<'a> {
    Found(&'a str, &'a Body),
    /// A folder asked for without its trailing `/`.
    Redirect(String),
    NotFound,
    /// `..`, backslashes, NUL or bad encoding: refused outright.
    Refused,
}

impl Files {
    pub fn from_rendered(rendered: &Rendered) -> Files {
        let mut files = Files::default();
        files.set_statics(&rendered.theme);
        files.set_attachments(&rendered.site);
        files.set_pages(&rendered.pages);
        files.set_generated(&rendered.generated);
        files
    }

    /// Feeds, sitemap, robots.txt and the search index.
    pub fn set_generated(&mut self, generated: &[(String, String)]) {
        for old in self.generated.drain() {
            self.files.remove(&old);
        }
        for (path, text) in generated {
            self.generated.insert(path.clone());
            self.files
                .insert(path.clone(), Body::Text(Arc::from(text.as_str())));
        }
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// Adds or replaces rendered pages.
    pub fn set_pages(&mut self, pages: &[RenderedPage]) {
        for page in pages {
            self.pages.insert(page.path.clone());
            let body = if page.path.ends_with(".html") {
                Body::Html(Arc::from(String::from_utf8_lossy(&page.bytes)))
            } else {
                Body::Bytes(Arc::from(page.bytes.as_slice()))
            };
            self.files.insert(page.path.clone(), body);
        }
    }

    /// Replaces every theme and site static file.
    pub fn set_statics(&mut self, theme: &ThemeFiles) {
        for old in self.statics.drain() {
            self.files.remove(&old);
        }
        for (path, source) in &theme.statics {
            let body = match source {
                StaticSource::Disk(from) => Body::Disk(from.clone()),
                StaticSource::Embedded(bytes) => Body::Embedded(bytes),
            };
            let key = path_key(path);
            self.statics.insert(key.clone());
            self.files.insert(key, body);
        }
    }

    /// Drops every page whose file is not in `map`, the files of the page map.
    pub fn retain_pages(&mut self, map: &HashSet<String>) {
        let files = &mut self.files;
        self.pages.retain(|page| {
            let kept = map.contains(page);
            if !kept {
                files.remove(page);
            }
            kept
        });
    }

    /// Replaces every attachment with those of the notices of `site`.
    pub fn set_attachments(&mut self, site: &Site) {
        for old in self.attachments.drain() {
            self.files.remove(&old);
        }
        for notice in &site.notices {
            for (path, from) in notice.attachment_files() {
                let key = path_key(&path);
                self.attachments.insert(key.clone());
                self.files.insert(key, Body::Disk(from));
            }
        }
    }

    pub fn get(&self, path: &str) -> Option<&Body> {
        self.files.get(path)
    }

    /// Resolves a request path (`/notices/a/`, percent-encoded) to a file.
    pub fn lookup(&self, request_path: &str) -> Lookup<'_> {
        let Ok(decoded) = percent_decode_str(request_path).decode_utf8() else {
            return Lookup::Refused;
        };
        if decoded.contains(['\\', '\0']) {
            return Lookup::Refused;
        }
        let relative = decoded.trim_start_matches('/');
        if relative
            .split('/')
            .any(|segment| segment == ".." || segment == ".")
        {
            return Lookup::Refused;
        }
        let key = if relative.is_empty() || relative.ends_with('/') {
            format!("{relative}index.html")
        } else {
            relative.to_owned()
        };
        if let Some((path, body)) = self.files.get_key_value(&key) {
            return Lookup::Found(path, body);
        }
        if self.files.contains_key(&format!("{relative}/index.html")) {
            return Lookup::Redirect(format!("/{relative}/"));
        }
        Lookup::NotFound
    }
}

/// The `Content-Type` for a path, with `charset=utf-8` for text.
pub fn content_type(path: &str) -> String {
    let mime = mime_guess::from_path(path).first_or_octet_stream();
    let is_text = mime.type_() == mime_guess::mime::TEXT
        || matches!(
            mime.essence_str(),
            "application/javascript" | "application/json" | "application/xml" | "image/svg+xml"
        );
    if is_text {
        format!("{}; charset=utf-8", mime.essence_str())
    } else {
        mime.essence_str().to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files() -> Files {
        let mut files = Files::default();
        for path in [
            "index.html",
            "notices/a/index.html",
            "style.css",
            "notices/a/方案.pdf",
        ] {
            files
                .files
                .insert(path.to_owned(), Body::Html(Arc::from("x")));
        }
        files
    }

    #[test]
    fn folders_pages_and_encoded_names_are_found() {
        let files = files();
        assert!(matches!(files.lookup("/"), Lookup::Found("index.html", _)));
        assert!(matches!(
            files.lookup("/notices/a/"),
            Lookup::Found("notices/a/index.html", _)
        ));
        assert!(matches!(
            files.lookup("/notices/a/%E6%96%B9%E6%A1%88.pdf"),
            Lookup::Found("notices/a/方案.pdf", _)
        ));
        assert_eq!(
            files.lookup("/notices/a"),
            Lookup::Redirect("/notices/a/".into())
        );
        assert_eq!(files.lookup("/nothing.html"), Lookup::NotFound);
    }

    #[test]
    fn traversal_in_every_spelling_is_refused() {
        let files = files();
        for path in [
            "/../etc/passwd",
            "/notices/../../site.yaml",
            "/%2e%2e/%2e%2e/etc/passwd",
            "/%2E%2E%2Fsite.yaml",
            "/..%5c..%5csite.yaml",
            "/notices\\..\\site.yaml",
            "/./index.html",
            "/%00",
            "/%ff",
        ] {
            assert_eq!(files.lookup(path), Lookup::Refused, "{path}");
        }
    }

    #[test]
    fn text_types_say_utf_8() {
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("style.css"), "text/css; charset=utf-8");
        assert_eq!(content_type("site.js"), "text/javascript; charset=utf-8");
        assert_eq!(content_type("feed.xml"), "text/xml; charset=utf-8");
        assert_eq!(content_type("a.png"), "image/png");
        assert_eq!(content_type("a.pdf"), "application/pdf");
    }
}
