//! The house's fitness function (issue 9, item 2): two cheap rules read straight from the
//! source tree under `crates/anwei/src`, so the next capabilities keep the shape the
//! architecture promises. Run just these tests with `cargo test -p anwei --test it architecture::`.
//!
//! **Rule 1 — one door per capability.** A capability is a top-level folder under `src/` that
//! has a `store.rs` or a `store/` folder (found in the tree, never listed by hand). Code may
//! name its own capability's store (`super::store`, `crate::supervision::store` from `supervision/`, a
//! sub-feature's store such as `duties/coverage/store.rs` from anywhere in `duties/`), but never
//! another capability's: `crate::policy::store::…` in a path, `use crate::policy::store`,
//! `use crate::{policy::store, …}`, `use crate::policy::{store::Row, …}`, an alias
//! (`use crate::policy as p; p::store::…`), `super::super::policy::store`, and glob imports all
//! count, in every file of the folder including sub-folders and inline `mod tests`. A
//! capability may also not `pub use` / `pub(crate) use` items of its own store: that would be
//! a second door into it that this scan could not see from the caller's side.
//!
//! Files outside the capability folders count too, as "no capability": `demo.rs` and `home.rs`
//! act for a user (or stand in for one) and must go through services like any handler, and
//! kernel folders (`web/`, `jobs/`, `files/`, `notify/`, `db/`) must not know capabilities'
//! tables at all. Two files are exempt ([`EXEMPT_FROM_STORE_RULE`]): `cli.rs` and `backup.rs`
//! are operator commands run from a shell with the database's own credentials, beside the
//! server rather than inside it: there is no actor, no request and no use case to go through,
//! `anwei audit verify` reads the audit chain exactly as stored, and a backup copies the whole
//! database. Everything else, `lib.rs` and `main.rs` included, is scanned.
//!
//! **Rule 2 — no source file over [`LINE_LIMIT`] (800) lines.** Every `.rs` file under `src/`
//! is counted, inline `#[cfg(test)]` modules included; integration tests, benchmarks,
//! migrations and templates live outside `src/` and are not checked.
//!
//! **The ratchet.** Main did not start clean, so [`KNOWN_DEBT`] lists what was there when this
//! test landed: one entry per (file, foreign capability) pair — not per line — and one entry
//! per over-long file with its line count at the time as a cap. The tests fail on any
//! violation not in the list (a new pair, a new long file, a listed file grown past its cap),
//! and they also fail when a listed entry no longer occurs, so paying debt means deleting its
//! line here and the list can only shrink. Never add an entry for new code: fix the code.
//! All of it was paid by issue 9: the list is empty and stays empty.
//!
//! The scan is a small lexer, not a Rust parser: comments, strings, raw strings and char
//! literals are skipped, `use` trees are expanded, and paths are resolved through `crate`,
//! `self`, `super`, the file's module path, child modules and the file's own `use` aliases.
//! A store item that another module re-exports is invisible at the caller's side; the
//! `pub use` half of rule 1 catches the re-export itself. What it cannot see is a service that
//! hands out its store's row types in signatures: review keeps that honest.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

/// The most lines a source file under `src/` may have.
const LINE_LIMIT: usize = 800;

/// Files (relative to `src/`) that rule 1 does not apply to; why is in the module comment.
const EXEMPT_FROM_STORE_RULE: &[&str] = &["cli.rs", "backup.rs"];

/// A known violation, recorded so that the test is green today and can only get stricter.
#[allow(dead_code)] // the list is empty: every entry was paid (issue 9)
enum Debt {
    /// `Store(file, capability)`: the file (relative to `src/`) names `capability`'s store.
    Store(&'static str, &'static str),
    /// `Long(file, lines)`: the file is over the limit and may not grow past `lines`.
    Long(&'static str, usize),
}

use Debt::{Long, Store};

/// The ratchet (see the module comment). Issue 9 pays all of it: item 1 (the use-case context,
/// one service calling another inside the caller's transaction) removes the `Store` entries,
/// item 7 splits the long files by sub-feature.
const KNOWN_DEBT: &[Debt] = &[];

// ---------------------------------------------------------------------------------------------
// The two rules.

#[test]
fn no_capability_reaches_into_another_capabilitys_store() {
    let tree = Tree::read();
    assert!(
        tree.caps.len() >= 5,
        "the scan found too few capabilities in {}: {:?}",
        tree.root,
        tree.caps
    );
    let mut problems = Vec::new();
    for exempt in EXEMPT_FROM_STORE_RULE {
        if !tree.files.iter().any(|(rel, _)| rel == exempt) {
            problems.push(format!(
                "src/{exempt} is in EXEMPT_FROM_STORE_RULE but no longer exists: delete the \
                 entry (tests/it/architecture.rs)."
            ));
        }
    }
    let mut found: BTreeMap<(String, String), Vec<Reach>> = BTreeMap::new();
    for (rel, text) in &tree.files {
        for reach in scan(rel, text, &tree.caps, &tree.modules) {
            if reach.reexport {
                problems.push(format!(
                    "src/{rel}:{line}: `{cap}` re-exports its own store (`{path}`).\n    \
                     rule: a capability's store is reached only through its service; a public \
                     re-export is a second door.\n    \
                     fix: return the capability's own model types from its service instead.",
                    line = reach.line,
                    cap = reach.cap,
                    path = reach.path,
                ));
            } else if !EXEMPT_FROM_STORE_RULE.contains(&rel.as_str()) {
                found
                    .entry((rel.clone(), reach.cap.clone()))
                    .or_default()
                    .push(reach);
            }
        }
    }
    let listed: Vec<(String, String)> = KNOWN_DEBT
        .iter()
        .filter_map(|d| match d {
            Store(file, cap) => Some((file.to_string(), cap.to_string())),
            Long(..) => None,
        })
        .collect();
    for ((rel, cap), reaches) in &found {
        if listed.contains(&(rel.clone(), cap.clone())) {
            continue;
        }
        let first = &reaches[0];
        let who = owner(rel, &tree.caps).map_or_else(
            || format!("`{rel}` (outside any capability)"),
            |own| format!("capability `{own}`"),
        );
        let more = if reaches.len() > 1 {
            let lines: Vec<String> = reaches[1..].iter().map(|r| r.line.to_string()).collect();
            format!("; also at lines {}", lines.join(", "))
        } else {
            String::new()
        };
        problems.push(format!(
            "src/{rel}:{line}: {who} reaches into the store of `{cap}` (`{path}`{more}).\n    \
             rule: a capability may call another capability's service, never its store.\n    \
             fix: call a function of `crate::{cap}::service` inside the caller's transaction \
             (pass the same use-case context / tx; add the function to that service if it is \
             missing). Do not add new code to KNOWN_DEBT.",
            line = first.line,
            path = first.path,
        ));
    }
    let mut seen = BTreeSet::new();
    for (rel, cap) in &listed {
        if !seen.insert((rel, cap)) {
            problems.push(format!(
                "KNOWN_DEBT lists Store(\"{rel}\", \"{cap}\") twice."
            ));
        } else if !found.contains_key(&(rel.clone(), cap.clone())) {
            problems.push(format!(
                "src/{rel} no longer reaches into the store of `{cap}`: debt paid. Delete \
                 Store(\"{rel}\", \"{cap}\") from KNOWN_DEBT in tests/it/architecture.rs so it \
                 cannot come back."
            ));
        }
    }
    assert!(
        problems.is_empty(),
        "{}",
        report("rule 1 (one door per capability)", &problems)
    );
}

#[test]
fn no_source_file_passes_the_line_limit() {
    let tree = Tree::read();
    let lines: BTreeMap<&str, usize> = tree
        .files
        .iter()
        .map(|(rel, text)| (rel.as_str(), text.lines().count()))
        .collect();
    let mut caps: BTreeMap<&str, usize> = BTreeMap::new();
    let mut problems = Vec::new();
    for debt in KNOWN_DEBT {
        if let Long(file, cap) = debt {
            if caps.insert(file, *cap).is_some() {
                problems.push(format!("KNOWN_DEBT lists Long(\"{file}\", …) twice."));
            }
            match lines.get(file) {
                None => problems.push(format!(
                    "src/{file} no longer exists: delete Long(\"{file}\", {cap}) from KNOWN_DEBT \
                     in tests/it/architecture.rs (check that its parts are under the limit)."
                )),
                Some(&n) if n <= LINE_LIMIT => problems.push(format!(
                    "src/{file} has {n} lines, within the limit of {LINE_LIMIT}: debt paid. \
                     Delete Long(\"{file}\", {cap}) from KNOWN_DEBT in tests/it/architecture.rs."
                )),
                Some(_) => {}
            }
        }
    }
    for (&rel, &n) in &lines {
        let allowed = caps.get(rel).copied().unwrap_or(LINE_LIMIT);
        if n <= allowed {
            continue;
        }
        let why = if allowed > LINE_LIMIT {
            format!(
                "it is known debt capped at {allowed} lines (KNOWN_DEBT); it may shrink, not grow"
            )
        } else {
            format!("the limit is {LINE_LIMIT}")
        };
        problems.push(format!(
            "src/{rel}:{line}: the file has {n} lines and {why} (line {line} is the first \
             one too many).\n    \
             rule: no file under src/ passes {LINE_LIMIT} lines.\n    \
             fix: split the file by sub-feature (the way duties/coverage/ is: a folder with \
             model, store, service, pages, api), or put the new code in a new file.",
            line = allowed + 1,
        ));
    }
    assert!(
        problems.is_empty(),
        "{}",
        report("rule 2 (line limit)", &problems)
    );
}

fn report(rule: &str, problems: &[String]) -> String {
    format!(
        "\n\nThe architecture test found {} problem(s) with {rule}; see docs/architecture.md, \
         \"The fitness function\".\n\n{}\n",
        problems.len(),
        problems.join("\n\n")
    )
}

// ---------------------------------------------------------------------------------------------
// Reading the tree.

struct Tree {
    root: String,
    /// Every `.rs` file under `src/`: path relative to `src/` with `/`, and its text.
    files: Vec<(String, String)>,
    /// Top-level folders with a `store.rs` or `store/`.
    caps: BTreeSet<String>,
    /// Module paths of all files, `""` for the crate root, `"duties::coverage"`, …
    modules: BTreeSet<String>,
}

impl Tree {
    fn read() -> Tree {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut files = Vec::new();
        collect(&root, &root, &mut files);
        files.sort();
        let caps = std::fs::read_dir(&root)
            .unwrap_or_else(|e| panic!("reading {}: {e}", root.display()))
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.is_dir() && (p.join("store.rs").is_file() || p.join("store").is_dir()))
            .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
            .collect();
        let modules = files
            .iter()
            .map(|(rel, _)| module_of(rel).join("::"))
            .collect();
        Tree {
            root: root.display().to_string(),
            files,
            caps,
            modules,
        }
    }
}

fn collect(root: &Path, dir: &Path, out: &mut Vec<(String, String)>) {
    let entries =
        std::fs::read_dir(dir).unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()));
    for entry in entries {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            collect(root, &path, out);
        } else if path.extension().is_some_and(|x| x == "rs") {
            let rel: Vec<String> = path
                .strip_prefix(root)
                .expect("a path under src/")
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
            out.push((rel.join("/"), text));
        }
    }
}

/// `tasks/service.rs` → `[tasks, service]`, `tasks/mod.rs` → `[tasks]`, `lib.rs` → `[]`.
fn module_of(rel: &str) -> Vec<String> {
    if rel == "lib.rs" || rel == "main.rs" {
        return Vec::new();
    }
    let mut parts: Vec<String> = rel.split('/').map(str::to_string).collect();
    if let Some(last) = parts.last_mut() {
        *last = last.trim_end_matches(".rs").to_string();
    }
    if parts.last().is_some_and(|l| l == "mod") {
        parts.pop();
    }
    parts
}

/// The capability a file belongs to, if any.
fn owner(rel: &str, caps: &BTreeSet<String>) -> Option<String> {
    module_of(rel)
        .into_iter()
        .next()
        .filter(|m| caps.contains(m))
}

// ---------------------------------------------------------------------------------------------
// The scan: a lexer that drops comments and literals, then a walk over `use` trees and paths.

#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    Ident(String),
    PathSep,
    Punct(char),
}

struct Token {
    tok: Tok,
    line: usize,
}

fn lex(src: &str) -> Vec<Token> {
    let c: Vec<char> = src.chars().collect();
    let at = |k: usize| c.get(k).copied().unwrap_or('\0');
    let ident_char = |x: char| x.is_alphanumeric() || x == '_';
    let mut out = Vec::new();
    let (mut i, mut line) = (0, 1);
    while i < c.len() {
        let ch = c[i];
        if ch == '\n' {
            line += 1;
            i += 1;
        } else if ch.is_whitespace() {
            i += 1;
        } else if ch == '/' && at(i + 1) == '/' {
            while i < c.len() && c[i] != '\n' {
                i += 1;
            }
        } else if ch == '/' && at(i + 1) == '*' {
            let mut depth = 0;
            while i < c.len() {
                if c[i] == '/' && at(i + 1) == '*' {
                    depth += 1;
                    i += 2;
                } else if c[i] == '*' && at(i + 1) == '/' {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    line += usize::from(c[i] == '\n');
                    i += 1;
                }
            }
        } else if let Some(end) = string_end(&c, i) {
            line += c[i..end].iter().filter(|&&x| x == '\n').count();
            i = end;
        } else if ch == '\'' {
            if at(i + 1) == '\\' {
                // '\n', '\'', '\u{4e2d}': skip the quote, the backslash and the escaped char.
                i += 3;
                while i < c.len() && c[i] != '\'' {
                    i += 1;
                }
                i += 1;
            } else if at(i + 2) == '\'' {
                i += 3;
            } else {
                // A lifetime or a loop label.
                i += 1;
                while i < c.len() && ident_char(c[i]) {
                    i += 1;
                }
            }
        } else if ch.is_alphabetic() || ch == '_' {
            let start = i;
            while i < c.len() && ident_char(c[i]) {
                i += 1;
            }
            if i - start == 1 && ch == 'r' && at(i) == '#' && ident_char(at(i + 1)) {
                // A raw identifier: `r#use` must not read as the keyword.
                i += 1;
                while i < c.len() && ident_char(c[i]) {
                    i += 1;
                }
            }
            let text: String = c[start..i].iter().collect();
            out.push(Token {
                tok: Tok::Ident(text),
                line,
            });
        } else if ch.is_ascii_digit() {
            while i < c.len() && ident_char(c[i]) {
                i += 1;
            }
        } else if ch == ':' && at(i + 1) == ':' {
            out.push(Token {
                tok: Tok::PathSep,
                line,
            });
            i += 2;
        } else {
            out.push(Token {
                tok: Tok::Punct(ch),
                line,
            });
            i += 1;
        }
    }
    out
}

/// Where a string literal starting at `i` ends (`"…"`, `b"…"`, `c"…"`, `r#"…"#`, `br"…"`), if
/// one starts there.
fn string_end(c: &[char], i: usize) -> Option<usize> {
    let at = |k: usize| c.get(k).copied().unwrap_or('\0');
    let mut j = i;
    if matches!(at(j), 'b' | 'c') {
        j += 1;
    }
    let raw = at(j) == 'r';
    if raw {
        j += 1;
    }
    let hashes = (j..).take_while(|&k| at(k) == '#').count();
    j += hashes;
    if at(j) != '"' || (!raw && hashes > 0) {
        return None;
    }
    j += 1;
    while j < c.len() {
        if raw {
            if c[j] == '"' && (1..=hashes).all(|h| at(j + h) == '#') {
                return Some(j + 1 + hashes);
            }
            j += 1;
        } else {
            match c[j] {
                '\\' => j += 2,
                '"' => return Some(j + 1),
                _ => j += 1,
            }
        }
    }
    Some(c.len())
}

/// One place where a file names a store it should not.
#[derive(Debug)]
struct Reach {
    line: usize,
    /// The capability whose store is named.
    cap: String,
    /// The path as written.
    path: String,
    /// A `pub use` of the file's own store rather than a reach into a foreign one.
    reexport: bool,
}

/// A leaf of a `use` tree: `use a::{b, c as d, e::*}` has three.
struct Leaf {
    path: Vec<String>,
    bind: Option<String>,
    glob: bool,
    line: usize,
}

fn scan(rel: &str, src: &str, caps: &BTreeSet<String>, modules: &BTreeSet<String>) -> Vec<Reach> {
    let file_module = module_of(rel);
    let mut s = Scanner {
        toks: lex(src),
        own: owner(rel, caps),
        in_store: file_module.iter().any(|m| m == "store"),
        file_module,
        inline: Vec::new(),
        aliases: HashMap::new(),
        caps,
        modules,
        found: Vec::new(),
    };
    s.run();
    s.found
}

struct Scanner<'a> {
    toks: Vec<Token>,
    file_module: Vec<String>,
    own: Option<String>,
    /// The file is (part of) a store itself: its `pub use`s are the store's own business.
    in_store: bool,
    /// Inline `mod name {` blocks we are in, with the brace depth outside each.
    inline: Vec<(String, usize)>,
    /// Names bound by `use` in this file, resolved to module paths below the crate root.
    aliases: HashMap<String, Vec<String>>,
    caps: &'a BTreeSet<String>,
    modules: &'a BTreeSet<String>,
    found: Vec<Reach>,
}

impl Scanner<'_> {
    fn tok(&self, i: usize) -> Option<&Tok> {
        self.toks.get(i).map(|t| &t.tok)
    }

    fn is_ident(&self, i: usize, word: &str) -> bool {
        matches!(self.tok(i), Some(Tok::Ident(w)) if w == word)
    }

    fn module(&self) -> Vec<String> {
        let mut m = self.file_module.clone();
        m.extend(self.inline.iter().map(|(name, _)| name.clone()));
        m
    }

    fn run(&mut self) {
        let mut i = 0;
        let mut depth: usize = 0;
        while i < self.toks.len() {
            match self.toks[i].tok.clone() {
                Tok::Punct('{') => depth += 1,
                Tok::Punct('}') => {
                    depth = depth.saturating_sub(1);
                    while self.inline.last().is_some_and(|(_, d)| *d == depth) {
                        self.inline.pop();
                    }
                }
                Tok::Ident(w) if w == "mod" => {
                    if let (Some(Tok::Ident(name)), Some(Tok::Punct('{'))) =
                        (self.tok(i + 1).cloned(), self.tok(i + 2))
                    {
                        self.inline.push((name, depth));
                        depth += 1;
                        i += 3;
                        continue;
                    }
                }
                Tok::Ident(w) if w == "use" => {
                    i = self.use_decl(i);
                    continue;
                }
                Tok::Ident(_)
                    if self.tok(i + 1) == Some(&Tok::PathSep)
                        && (i == 0 || self.tok(i - 1) != Some(&Tok::PathSep)) =>
                {
                    i = self.path_expr(i);
                    continue;
                }
                _ => {}
            }
            i += 1;
        }
    }

    /// A path in code (`a::b::c`); returns the index after it.
    fn path_expr(&mut self, start: usize) -> usize {
        let mut path = Vec::new();
        let mut i = start;
        while let Some(Tok::Ident(seg)) = self.tok(i) {
            path.push(seg.clone());
            if self.tok(i + 1) == Some(&Tok::PathSep)
                && matches!(self.tok(i + 2), Some(Tok::Ident(_)))
            {
                i += 2;
            } else {
                break;
            }
        }
        let line = self.toks[start].line;
        if let Some(abs) = self.resolve(&path) {
            self.check(&abs, &path, line, false);
        }
        i + 1
    }

    /// `use …;` (or `pub use`, `pub(crate) use`); returns the index after the `;`.
    fn use_decl(&mut self, at: usize) -> usize {
        let public = self.is_ident(at.wrapping_sub(1), "pub")
            || (self.tok(at.wrapping_sub(1)) == Some(&Tok::Punct(')'))
                && self.is_ident(at.wrapping_sub(2), "crate")
                && self.is_ident(at.wrapping_sub(4), "pub"));
        let mut end = at + 1;
        let mut nest = 0usize;
        while let Some(t) = self.tok(end) {
            match t {
                Tok::Punct('{') => nest += 1,
                Tok::Punct('}') => nest = nest.saturating_sub(1),
                Tok::Punct(';') if nest == 0 => break,
                _ => {}
            }
            end += 1;
        }
        let mut leaves = Vec::new();
        use_tree(&self.toks[at + 1..end], 0, &[], &mut leaves);
        for leaf in leaves {
            let Some(abs) = self.resolve(&leaf.path) else {
                continue;
            };
            self.check(&abs, &leaf.path, leaf.line, public);
            if leaf.glob {
                let prefix = abs.join("::");
                let children: Vec<String> = self
                    .modules
                    .iter()
                    .filter_map(|m| child_of(m, &prefix))
                    .collect();
                for child in children {
                    let mut full = abs.clone();
                    full.push(child.clone());
                    self.aliases.insert(child, full);
                }
            } else if let Some(name) = leaf.bind {
                self.aliases.insert(name, abs);
            }
        }
        end + 1
    }

    /// The path below the crate root that `path` names here, if it names one in this crate.
    fn resolve(&self, path: &[String]) -> Option<Vec<String>> {
        let (first, rest) = path.split_first()?;
        let mut abs = match first.as_str() {
            "crate" | "anwei" => Vec::new(),
            "self" => self.module(),
            "super" => {
                let ups = path.iter().take_while(|s| *s == "super").count();
                let mut m = self.module();
                m.truncate(m.len().checked_sub(ups)?);
                m.extend(path[ups..].iter().cloned());
                return Some(m);
            }
            name => match self.aliases.get(name) {
                Some(a) => a.clone(),
                None => {
                    let mut m = self.module();
                    m.push(name.to_string());
                    if !self.modules.contains(&m.join("::")) {
                        return None;
                    }
                    m
                }
            },
        };
        abs.extend(rest.iter().cloned());
        Some(abs)
    }

    fn check(&mut self, abs: &[String], written: &[String], line: usize, public: bool) {
        let Some((cap, tail)) = abs.split_first() else {
            return;
        };
        if !self.caps.contains(cap) || !tail.iter().any(|s| s == "store") {
            return;
        }
        let own = self.own.as_deref() == Some(cap.as_str());
        // Its own store is a capability's business, unless it opens it to everyone.
        let reexport = own && public && !self.in_store;
        if own && !reexport {
            return;
        }
        self.found.push(Reach {
            line,
            cap: cap.clone(),
            path: written.join("::"),
            reexport: own,
        });
    }
}

/// `child_of("duties::coverage", "duties")` is `Some("coverage")`.
fn child_of(module: &str, parent: &str) -> Option<String> {
    let rest = if parent.is_empty() {
        module
    } else {
        module.strip_prefix(parent)?.strip_prefix("::")?
    };
    (!rest.is_empty() && !rest.contains("::")).then(|| rest.to_string())
}

/// Expands one use tree starting at `k` into leaves; returns the index after it.
fn use_tree(toks: &[Token], mut k: usize, prefix: &[String], out: &mut Vec<Leaf>) -> usize {
    let tok = |i: usize| toks.get(i).map(|t| &t.tok);
    let mut path = prefix.to_vec();
    if tok(k) == Some(&Tok::PathSep) {
        // `use ::name` is another crate; a segment no resolution knows keeps it that way.
        path.push("::".to_string());
        k += 1;
    }
    while let (Some(Tok::Ident(seg)), Some(Tok::PathSep)) = (tok(k), tok(k + 1)) {
        path.push(seg.clone());
        k += 2;
    }
    let line = toks.get(k).map_or(0, |t| t.line);
    match tok(k) {
        Some(Tok::Punct('*')) => {
            out.push(Leaf {
                path,
                bind: None,
                glob: true,
                line,
            });
            k + 1
        }
        Some(Tok::Punct('{')) => {
            k += 1;
            loop {
                match tok(k) {
                    None => return k,
                    Some(Tok::Punct('}')) => return k + 1,
                    Some(Tok::Punct(',')) => k += 1,
                    _ => k = use_tree(toks, k, &path, out).max(k + 1),
                }
            }
        }
        Some(Tok::Ident(name)) => {
            let mut bind = Some(name.clone());
            if name == "self" {
                bind = path.last().cloned();
            } else {
                path.push(name.clone());
            }
            k += 1;
            if matches!(tok(k), Some(Tok::Ident(w)) if w == "as") {
                bind = match tok(k + 1) {
                    Some(Tok::Ident(b)) if b != "_" => Some(b.clone()),
                    _ => None,
                };
                k += 2;
            }
            out.push(Leaf {
                path,
                bind,
                glob: false,
                line,
            });
            k
        }
        _ => k,
    }
}

// ---------------------------------------------------------------------------------------------
// The scan checked on small made-up files, so a green run means "clean", not "blind".

#[test]
fn the_scan_sees_every_way_to_name_a_foreign_store_and_nothing_else() {
    let caps: BTreeSet<String> = ["tasks", "policy", "orgs", "duties"]
        .map(String::from)
        .into();
    let modules: BTreeSet<String> = [
        "",
        "demo",
        "tasks",
        "tasks::service",
        "tasks::store",
        "policy",
        "policy::store",
        "orgs",
        "orgs::store",
        "duties",
        "duties::store",
        "duties::coverage",
        "duties::coverage::service",
        "duties::coverage::store",
    ]
    .map(String::from)
    .into();
    let hits = |rel: &str, src: &str| -> Vec<(usize, String, bool)> {
        scan(rel, src, &caps, &modules)
            .into_iter()
            .map(|r| (r.line, r.cap, r.reexport))
            .collect()
    };
    let reach = |line: usize, cap: &str| (line, cap.to_string(), false);

    let service = r###"use super::store::{self, ListParams};
use crate::{orgs, policy::store as pstore};
// crate::orgs::store::by_id(&mut tx) in a comment
fn f() {
    let s = "crate::orgs::store::by_id \" {";
    let r = r#"use crate::orgs::store; }"#; let c = '{'; let q = '\'';
    orgs::store::by_id(&mut tx);
    pstore::task(&mut tx);
    crate::duties::coverage::store::insert(&mut tx);
    store::insert(&mut tx); crate::tasks::store::by_id(&mut tx);
}
"###;
    assert_eq!(
        hits("tasks/service.rs", service),
        [
            reach(2, "policy"),
            reach(7, "orgs"),
            reach(8, "policy"),
            reach(9, "duties")
        ]
    );

    let coverage =
        "use super::super::store;\nuse super::store::X;\nuse crate::orgs::{model, store::Row};\n";
    assert_eq!(
        hits("duties/coverage/service.rs", coverage),
        [reach(3, "orgs")]
    );

    let nested = "use super::super::policy;\nmod tests {\n    use super::*;\n    use crate::policy::{self as p};\n    fn t() { p::store::y() }\n}\nfn g() { policy::store::x(); }\n";
    assert_eq!(
        hits("tasks/service.rs", nested),
        [reach(5, "policy"), reach(7, "policy")]
    );

    let demo = "fn f() {\n    crate::duties::store::insert(&mut tx);\n    crate::orgs::service::list(&mut act);\n}\n";
    assert_eq!(hits("demo.rs", demo), [reach(2, "duties")]);
    assert_eq!(
        hits("lib.rs", "fn f() { policy::store::x(); }"),
        [reach(1, "policy")]
    );
    assert_eq!(
        hits("main.rs", "use anwei::orgs::store::*;"),
        [reach(1, "orgs")]
    );

    let root = "pub use store::Row;\nuse store::Other;\npub(crate) use self::store::Third;\n";
    assert_eq!(
        hits("tasks/mod.rs", root),
        [
            (1, "tasks".to_string(), true),
            (3, "tasks".to_string(), true)
        ]
    );
    assert_eq!(hits("tasks/store.rs", "pub use self::Row as R;"), []);
}
