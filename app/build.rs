//! Compiles the locale files `locales/tr.ftl` and `locales/en.ftl` (Fluent syntax) into
//! Rust, so that the app carries no Fluent runtime and every message is checked when it
//! is built:
//!
//! - both files must hold the same messages, with the same variables;
//! - a message without variables becomes a [`Key`] variant (`ui-save` → `Key::UiSave`),
//!   one with variables a [`Fmt`] variant; the app cannot format the one as the other;
//! - messages of the *families* looked up by a code (`kind-account`, `field-city`,
//!   `refused-read_only`, …) can also be found by [`Key::named`]; every other `Key`
//!   the code never names is dead code, which `clippy -D warnings` refuses.
//!
//! Patterns may use variables (`{ $count }`) and plural selectors
//! (`{ $count -> [one] … *[other] … }`); nothing else of Fluent is needed.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::Path;

use fluent_syntax::ast::{
    Entry, Expression, InlineExpression, Pattern, PatternElement, VariantKey,
};

/// The families of messages the app looks up by a code from data (a kind, a field name,
/// a status, a refusal, …): `<family>-<code>`.
const FAMILIES: &[&str] = &[
    "abc_class",
    "audit_action",
    "category",
    "channel",
    "consent",
    "currency",
    "customer_type",
    "delivery",
    "dept",
    "direction",
    "field",
    "gate",
    "iys",
    "kind",
    "kinds",
    "loyalty_group",
    "new",
    "outcome",
    "party",
    "placeholder",
    "priority",
    "refused",
    "relation",
    "remind",
    "repeat",
    "report",
    "retention",
    "rfm_frequency",
    "rfm_monetary",
    "rfm_recency",
    "satisfaction",
    "satisfaction_group",
    "sla",
    "source",
    "stage",
    "status",
    "survey",
    "type",
    "vat",
    "weekday",
];

struct Message {
    id: String,
    /// Rust code of the pattern as a `&[Piece]`.
    pieces: String,
    /// The whole text, for a message without variables.
    plain: String,
    variables: BTreeSet<String>,
}

fn main() {
    let dir =
        Path::new(&std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets it")).join("locales");
    println!("cargo::rerun-if-changed={}", dir.display());
    let tr = load(&dir.join("tr.ftl"));
    let en = load(&dir.join("en.ftl"));
    let mut problems = Vec::new();
    let tr_ids: BTreeSet<&str> = tr.iter().map(|m| m.id.as_str()).collect();
    let en_ids: BTreeSet<&str> = en.iter().map(|m| m.id.as_str()).collect();
    for id in tr_ids.difference(&en_ids) {
        problems.push(format!("`{id}` is in tr.ftl but not in en.ftl"));
    }
    for id in en_ids.difference(&tr_ids) {
        problems.push(format!("`{id}` is in en.ftl but not in tr.ftl"));
    }
    for t in &tr {
        if let Some(e) = en.iter().find(|e| e.id == t.id)
            && e.variables != t.variables
        {
            problems.push(format!(
                "`{}` uses {:?} in tr.ftl but {:?} in en.ftl",
                t.id, t.variables, e.variables
            ));
        }
    }
    if !problems.is_empty() {
        panic!("locale files disagree:\n  {}", problems.join("\n  "));
    }
    let out = Path::new(&std::env::var("OUT_DIR").expect("cargo sets it")).join("messages.rs");
    std::fs::write(&out, generate(&tr, &en)).expect("OUT_DIR is writable");
}

fn load(path: &Path) -> Vec<Message> {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let resource = fluent_syntax::parser::parse(text.as_str()).unwrap_or_else(|(_, errors)| {
        let lines: Vec<String> = errors
            .iter()
            .map(|e| {
                let line = text[..e.pos.start.min(text.len())].matches('\n').count() + 1;
                format!("{}:{line}: {:?}", path.display(), e.kind)
            })
            .collect();
        panic!("locale file does not parse:\n  {}", lines.join("\n  "))
    });
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for entry in resource.body {
        let Entry::Message(message) = entry else {
            continue;
        };
        let id = message.id.name.to_owned();
        if !seen.insert(id.clone()) {
            panic!("{}: `{id}` is defined twice", path.display());
        }
        let pattern = message
            .value
            .unwrap_or_else(|| panic!("{}: `{id}` has no value", path.display()));
        let mut variables = BTreeSet::new();
        let pieces = pieces(&pattern, &mut variables, &id, path);
        let plain = pattern
            .elements
            .iter()
            .map(|e| match e {
                PatternElement::TextElement { value } => (*value).to_owned(),
                PatternElement::Placeable {
                    expression: Expression::Inline(InlineExpression::StringLiteral { value }),
                } => (*value).to_owned(),
                PatternElement::Placeable { .. } => String::new(),
            })
            .collect();
        out.push(Message {
            id,
            pieces,
            plain,
            variables,
        });
    }
    out
}

fn pieces(
    pattern: &Pattern<&str>,
    variables: &mut BTreeSet<String>,
    id: &str,
    path: &Path,
) -> String {
    let mut code = String::from("&[");
    for element in &pattern.elements {
        match element {
            PatternElement::TextElement { value } => {
                let _ = write!(code, "Piece::Text({value:?}),");
            }
            PatternElement::Placeable { expression } => match expression {
                Expression::Inline(InlineExpression::StringLiteral { value }) => {
                    let _ = write!(code, "Piece::Text({value:?}),");
                }
                Expression::Inline(InlineExpression::VariableReference { id: var }) => {
                    variables.insert(var.name.to_owned());
                    let _ = write!(code, "Piece::Var({:?}),", var.name);
                }
                Expression::Select { selector, variants } => {
                    let InlineExpression::VariableReference { id: var } = selector else {
                        panic!(
                            "{}: `{id}` selects on something other than a variable",
                            path.display()
                        );
                    };
                    variables.insert(var.name.to_owned());
                    let mut arms = String::from("&[");
                    let mut default = None;
                    for variant in variants {
                        let key = match &variant.key {
                            VariantKey::Identifier { name } => (*name).to_owned(),
                            VariantKey::NumberLiteral { value } => (*value).to_owned(),
                        };
                        let inner = pieces(&variant.value, variables, id, path);
                        if variant.default {
                            default = Some(inner.clone());
                        }
                        let _ = write!(arms, "({key:?}, {inner}),");
                    }
                    arms.push(']');
                    let default = default.unwrap_or_else(|| {
                        panic!(
                            "{}: `{id}` has a selector without a default",
                            path.display()
                        )
                    });
                    let _ = write!(code, "Piece::Select({:?}, {arms}, {default}),", var.name);
                }
                other => panic!(
                    "{}: `{id}` uses {other:?}; only variables and plural selectors are supported",
                    path.display()
                ),
            },
        }
    }
    code.push(']');
    code
}

/// `ui-save_line` → `UiSaveLine`.
fn variant(id: &str) -> String {
    id.split(['-', '_'])
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect::<String>())
                .unwrap_or_default()
        })
        .collect()
}

fn is_family(id: &str) -> bool {
    id.split_once('-')
        .is_some_and(|(family, _)| FAMILIES.contains(&family))
}

fn generate(tr: &[Message], en: &[Message]) -> String {
    let en_of = |id: &str| en.iter().find(|m| m.id == id).expect("checked above");
    let (plain, formatted): (Vec<&Message>, Vec<&Message>) =
        tr.iter().partition(|m| m.variables.is_empty());
    let mut code = String::new();
    code.push_str("/// A message without variables, from the locale files.\n#[derive(Debug, Clone, Copy, PartialEq, Eq)]\npub(crate) enum Key {\n");
    for m in &plain {
        let _ = writeln!(code, "    /// `{}`", m.id);
        let _ = writeln!(code, "    {},", variant(&m.id));
    }
    code.push_str("}\n\n/// A message with variables, from the locale files.\n#[derive(Debug, Clone, Copy, PartialEq, Eq)]\npub(crate) enum Fmt {\n");
    for m in &formatted {
        let _ = writeln!(
            code,
            "    /// `{}` ({})",
            m.id,
            m.variables.iter().cloned().collect::<Vec<_>>().join(", ")
        );
        let _ = writeln!(code, "    {},", variant(&m.id));
    }
    code.push_str("}\n\nimpl Key {\n    /// The message in `lang`.\n    pub(crate) fn text(self, lang: Lang) -> &'static str {\n        TEXTS[self as usize][lang as usize]\n    }\n\n    /// The message of a family looked up by code: `named(\"field-city\")`.\n    pub(crate) fn named(id: &str) -> Option<Key> {\n        NAMED\n            .binary_search_by(|(named, _)| (*named).cmp(id))\n            .ok()\n            .map(|i| NAMED[i].1)\n    }\n}\n\n");
    // Tables rather than `match`es: a match of hundreds of arms compiles to more WASM
    // than the strings it returns.
    let _ = writeln!(
        code,
        "/// Every plain message, by `Key` and then `Lang` (Turkish, English).\nstatic TEXTS: [[&str; 2]; {}] = [",
        plain.len()
    );
    for m in &plain {
        let _ = writeln!(code, "    [{:?}, {:?}],", m.plain, en_of(&m.id).plain);
    }
    code.push_str("];\n\n");
    let mut named: Vec<&&Message> = plain.iter().filter(|m| is_family(&m.id)).collect();
    named.sort_by(|a, b| a.id.cmp(&b.id));
    let _ = writeln!(
        code,
        "/// The family messages, sorted by id for a binary search.\npub(crate) static NAMED: [(&str, Key); {}] = [",
        named.len()
    );
    for m in &named {
        let _ = writeln!(code, "    ({:?}, Key::{}),", m.id, variant(&m.id));
    }
    code.push_str("];\n\nimpl Fmt {\n");
    code.push_str("    /// The message's pattern in `lang`.\n    pub(crate) fn pieces(self, lang: Lang) -> &'static [Piece] {\n        match (self, lang) {\n");
    for m in &formatted {
        for (lang, msg) in [("Tr", *m), ("En", en_of(&m.id))] {
            let _ = writeln!(
                code,
                "            (Fmt::{}, Lang::{lang}) => {},",
                variant(&m.id),
                msg.pieces
            );
        }
    }
    code.push_str("        }\n    }\n}\n");
    code
}
