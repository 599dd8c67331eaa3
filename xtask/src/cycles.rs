//! The import-cycle check of `cargo xtask lint` and `cargo xtask test`: the folders of
//! `core/src` and the feature modules of `app/src/ui` must form a graph without cycles,
//! so that each can be read (and changed) knowing only what it builds on.
//!
//! A "unit" is one child of a scope (a folder or a file beside `lib.rs`/`mod.rs`).
//! Every `crate::…`, `super::…` and `self::…` path in a unit's files (including the
//! groups of a `use …::{a, b}`) is resolved to the unit it names; an edge runs from the
//! unit that writes the path to the unit it names. Strongly connected components with
//! more than one unit are cycles.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::Result;

/// A set of sibling modules that must not import each other in a circle.
pub struct Scope {
    /// The crate's `src` folder.
    pub src: PathBuf,
    /// Module path of the scope inside the crate (`[]` for the crate root, `["ui"]`).
    pub module: Vec<String>,
}

/// One import from a unit to another, with a file that makes it.
type Edges = BTreeMap<(String, String), PathBuf>;

/// Units of `scope` that import each other in a circle (empty when there is none), each
/// with the imports between its units.
pub fn find(scope: &Scope) -> Result<Vec<(Vec<String>, Vec<String>)>> {
    let dir = scope
        .module
        .iter()
        .fold(scope.src.clone(), |d, m| d.join(m));
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut examples: Edges = BTreeMap::new();
    for file in rust_files(&dir)? {
        let relative: Vec<String> = file
            .strip_prefix(&scope.src)
            .map_err(|e| e.to_string())?
            .iter()
            .map(|c| c.to_string_lossy().into_owned())
            .collect();
        let module = module_path(&relative);
        // The scope's own mod.rs/lib.rs is not a unit.
        let Some(unit) = module.get(scope.module.len()).cloned() else {
            continue;
        };
        let text =
            std::fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))?;
        let edges = graph.entry(unit.clone()).or_default();
        for path in paths(&strip_comments(&text)) {
            if let Some(target) = resolve(&module, &path)
                && target.len() > scope.module.len()
                && target[..scope.module.len()] == scope.module[..]
            {
                let to = &target[scope.module.len()];
                if *to != unit && dir_has_unit(&dir, to) {
                    edges.insert(to.clone());
                    examples
                        .entry((unit.clone(), to.clone()))
                        .or_insert_with(|| file.clone());
                }
            }
        }
    }
    Ok(cycles(&graph)
        .into_iter()
        .map(|units| {
            let imports = examples
                .iter()
                .filter(|((from, to), _)| units.contains(from) && units.contains(to))
                .map(|((from, to), file)| format!("{from} → {to} ({})", file.display()))
                .collect();
            (units, imports)
        })
        .collect())
}

fn dir_has_unit(dir: &Path, unit: &str) -> bool {
    dir.join(unit).is_dir() || dir.join(format!("{unit}.rs")).is_file()
}

fn rust_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for entry in entries {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.is_dir() {
            out.extend(rust_files(&path)?);
        } else if path.extension().is_some_and(|e| e == "rs")
            && path.file_name().is_some_and(|n| n != "tests.rs")
        {
            out.push(path);
        }
    }
    out.sort();
    Ok(out)
}

/// `["ui", "sales", "mod.rs"]` → `["ui", "sales"]`; `["lib.rs"]` → `[]`.
fn module_path(relative: &[String]) -> Vec<String> {
    let mut module = relative.to_vec();
    if let Some(last) = module.pop() {
        let stem = last.trim_end_matches(".rs");
        if !matches!(stem, "mod" | "lib" | "main") {
            module.push(stem.to_owned());
        }
    }
    module
}

/// The code a reader of the module needs: line and doc comments removed (they name
/// modules in prose and links), and the unit tests at the end of the file (from
/// `#[cfg(test)]` on) left out, since tests may use anything above them.
fn strip_comments(text: &str) -> String {
    let text = match text.find("#[cfg(test)]") {
        Some(i) => &text[..i],
        None => text,
    };
    text.lines()
        .map(|line| match line.find("//") {
            Some(i) => &line[..i],
            None => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every path that starts with `crate`, `super` or `self`, as its segments; the groups
/// of `use a::{b, c::d}` are expanded into one path per member.
fn paths(text: &str) -> Vec<Vec<String>> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let starts_word = i == 0 || !is_ident(bytes[i - 1]);
        if starts_word {
            for head in ["crate::", "super::", "self::"] {
                if bytes[i..].starts_with(head.as_bytes()) {
                    let (found, end) = parse_path(text, i);
                    out.extend(found);
                    i = end;
                    break;
                }
            }
        }
        i += 1;
    }
    out
}

fn is_ident(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Parses a path starting at `start`; returns the expanded paths and where it ends.
fn parse_path(text: &str, start: usize) -> (Vec<Vec<String>>, usize) {
    let bytes = text.as_bytes();
    let mut prefix: Vec<String> = Vec::new();
    let mut i = start;
    loop {
        let begin = i;
        while i < bytes.len() && is_ident(bytes[i]) {
            i += 1;
        }
        if begin == i {
            break;
        }
        prefix.push(text[begin..i].to_owned());
        if text[i..].starts_with("::{") {
            // A group: split its members at depth one.
            let open = i + 2;
            let mut depth = 0;
            let mut member_start = open + 1;
            let mut out = Vec::new();
            let mut j = open;
            while j < bytes.len() {
                match bytes[j] {
                    b'{' => depth += 1,
                    b'}' | b',' if depth == 1 => {
                        let member = text[member_start..j].trim();
                        if !member.is_empty() {
                            let (inner, _) = parse_path(member, 0);
                            for tail in inner {
                                let mut p = prefix.clone();
                                p.extend(tail);
                                out.push(p);
                            }
                            // A bare member (`self`, an item name) names the prefix.
                            if member == "self" || !member.contains("::") {
                                out.push(prefix.clone());
                            }
                        }
                        member_start = j + 1;
                        if bytes[j] == b'}' {
                            return (out, j);
                        }
                    }
                    b'}' => depth -= 1,
                    _ => {}
                }
                j += 1;
            }
            return (out, j);
        }
        if text[i..].starts_with("::") {
            i += 2;
        } else {
            break;
        }
    }
    (vec![prefix], i)
}

/// The absolute module path `path` names from inside `module`.
fn resolve(module: &[String], path: &[String]) -> Option<Vec<String>> {
    let mut segments = path.iter();
    let mut base: Vec<String> = match segments.next()?.as_str() {
        "crate" => Vec::new(),
        "self" => module.to_vec(),
        "super" => {
            let mut m = module.to_vec();
            m.pop()?;
            m
        }
        _ => return None,
    };
    let rest: Vec<&String> = segments.collect();
    let mut rest = rest.into_iter().peekable();
    while rest.peek().is_some_and(|s| *s == "super") {
        rest.next();
        base.pop()?;
    }
    base.extend(rest.cloned());
    Some(base)
}

/// Strongly connected components with more than one unit (Tarjan's algorithm).
fn cycles(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    struct State<'a> {
        graph: &'a BTreeMap<String, BTreeSet<String>>,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on_stack: BTreeSet<&'a str>,
        next: usize,
        found: Vec<Vec<String>>,
    }
    fn visit<'a>(s: &mut State<'a>, v: &'a str) {
        s.index.insert(v, s.next);
        s.low.insert(v, s.next);
        s.next += 1;
        s.stack.push(v);
        s.on_stack.insert(v);
        if let Some(edges) = s.graph.get(v) {
            for w in edges {
                let w = w.as_str();
                if !s.index.contains_key(w) {
                    visit(s, w);
                    let low = s.low[v].min(s.low[w]);
                    s.low.insert(v, low);
                } else if s.on_stack.contains(w) {
                    let low = s.low[v].min(s.index[w]);
                    s.low.insert(v, low);
                }
            }
        }
        if s.low[v] == s.index[v] {
            let mut component = Vec::new();
            while let Some(w) = s.stack.pop() {
                s.on_stack.remove(w);
                component.push(w.to_owned());
                if w == v {
                    break;
                }
            }
            if component.len() > 1 {
                component.sort();
                s.found.push(component);
            }
        }
    }
    let mut state = State {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        next: 0,
        found: Vec::new(),
    };
    for v in graph.keys() {
        if !state.index.contains_key(v.as_str()) {
            visit(&mut state, v);
        }
    }
    state.found
}

/// Fails with every cycle found in the scopes the architecture promises are acyclic.
pub fn check(root: &Path) -> Result<()> {
    let scopes = [
        (
            "core/src",
            Scope {
                src: root.join("core/src"),
                module: Vec::new(),
            },
        ),
        (
            "app/src/ui",
            Scope {
                src: root.join("app/src"),
                module: vec!["ui".to_owned()],
            },
        ),
    ];
    let mut problems = Vec::new();
    for (name, scope) in &scopes {
        for (units, imports) in find(scope)? {
            problems.push(format!(
                "{name}: {}\n    {}",
                units.join(" ↔ "),
                imports.join("\n    ")
            ));
        }
    }
    if problems.is_empty() {
        eprintln!("xtask: no import cycles between the folders of core/src or app/src/ui");
        Ok(())
    } else {
        Err(format!("import cycles:\n  {}", problems.join("\n  ")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(p: &[&str]) -> Vec<String> {
        p.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn groups_and_relative_paths_resolve() {
        let found = paths(
            "use crate::{record::{form, value}, sales::lead};\nlet x = super::super::widgets::card();",
        );
        assert!(found.contains(&strings(&["crate", "record", "form"])));
        assert!(found.contains(&strings(&["crate", "sales", "lead"])));
        let module = strings(&["ui", "sales", "lines"]);
        assert_eq!(
            resolve(&module, &strings(&["super", "super", "widgets", "card"])),
            Some(strings(&["ui", "widgets", "card"]))
        );
    }

    #[test]
    fn a_cycle_is_found_and_a_chain_is_not() {
        let mut graph = BTreeMap::new();
        graph.insert("a".to_owned(), BTreeSet::from(["b".to_owned()]));
        graph.insert("b".to_owned(), BTreeSet::from(["c".to_owned()]));
        graph.insert("c".to_owned(), BTreeSet::new());
        assert!(cycles(&graph).is_empty());
        graph.insert("c".to_owned(), BTreeSet::from(["a".to_owned()]));
        assert_eq!(cycles(&graph), vec![strings(&["a", "b", "c"])]);
    }
}
