//! Both languages, page by page: no raw translation keys, and no Chinese left in the English
//! interface's own words (data such as organisation names and the regulation text stay Chinese).

use std::collections::BTreeSet;

use anwei::auth::model::Role;

use super::Browser;
use crate::helpers::spawn_app;

const PAGES: &[(&str, &str)] = &[
    ("/", "home"),
    ("/policy", "policy"),
    ("/policy/tasks/28", "task-28"),
    ("/policy/articles/16", "article-16"),
    ("/orgs", "orgs"),
    ("/orgs/220502-DW", "org-220502-DW"),
    ("/people", "people"),
    ("/account", "account"),
    ("/admin/accounts", "accounts"),
    ("/admin/accounts/new", "account-new"),
    ("/audit", "audit"),
    ("/inbox", "inbox"),
];

/// The section names of the locale files (`[policy]` → `policy`), which begin every key.
fn key_prefixes() -> BTreeSet<String> {
    let src = include_str!("../../../locales/en.toml");
    src.lines()
        .filter_map(|l| l.trim().strip_prefix('[')?.strip_suffix(']'))
        .map(|s| s.split('.').next().unwrap_or(s).to_string())
        .collect()
}

/// Every word of the page a reader can see or hear (text plus labelling attributes), without
/// the contents of `<code>`.
const PAGE_WORDS: &str = r#"
    // Machine codes (audit actions, organisation codes) are shown in <code> on purpose.
    const body = document.body.cloneNode(true);
    body.querySelectorAll('code').forEach(c => c.remove());
    const out = [document.title, body.textContent];
    for (const e of document.querySelectorAll('[title],[placeholder],[aria-label],[data-confirm]')) {
        for (const a of ['title', 'placeholder', 'aria-label', 'data-confirm']) {
            if (e.hasAttribute(a)) out.push(e.getAttribute(a));
        }
    }
    return out.join('\n');
"#;

/// The interface's own words in English: navigation, role badge, table headers,
/// form labels, buttons, options of fixed lists. Each with its text.
const UI_TEXTS: &str = r#"
    const sel = 'header nav a, header .role, th, label, button, summary, '
        + '.tile-label, .crumbs > a:first-child, .alert, .field-error, .hint';
    return [...document.querySelectorAll(sel)].map(e =>
        e.tagName.toLowerCase() + (e.className ? '.' + String(e.className).split(' ').join('.') : '')
        + ': ' + e.innerText.trim());
"#;

fn has_cjk(s: &str) -> bool {
    s.chars()
        .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c) || ('\u{3000}'..='\u{303f}').contains(&c))
}

#[tokio::test]
async fn pages_in_both_languages_show_no_raw_translation_keys_and_english_has_no_chinese_labels() {
    let app = spawn_app().await;
    // The administrator sees the most pages, the account screens and the audit log included.
    app.create_user("admin2", Role::Admin, "220500-AWB").await;
    let b = Browser::start().await;
    b.login(&app, "admin2").await;
    let prefixes = key_prefixes();

    let mut raw_keys = Vec::new();
    let mut chinese_in_english = Vec::new();
    for lang in ["zh-CN", "en"] {
        for (path, name) in PAGES {
            let sep = if path.contains('?') { '&' } else { '?' };
            b.goto(&app, &format!("{path}{sep}lang={lang}")).await;
            b.find("main").await;
            let words = b.js(PAGE_WORDS).await;
            let words = words.as_str().unwrap_or_default();
            for w in words.split(|c: char| {
                c.is_whitespace() || has_cjk(&c.to_string()) || "()（）：:，,".contains(c)
            }) {
                let w = w.trim_matches(|c: char| !c.is_ascii_alphanumeric() && c != '_');
                if let Some((first, rest)) = w.split_once('.')
                    && prefixes.contains(first)
                    && !rest.is_empty()
                    && rest
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c == '_' || c == '.')
                {
                    raw_keys.push(format!("{lang} {path}: {w}"));
                }
            }
            if lang == "en" {
                let texts = b.js(UI_TEXTS).await;
                for t in texts.as_array().into_iter().flatten() {
                    let t = t.as_str().unwrap_or_default();
                    if has_cjk(t) {
                        chinese_in_english.push(format!("{path}: {t}"));
                    }
                }
                b.screenshot(&format!("en-{name}")).await;
            }
        }
    }
    b.finish().await;

    raw_keys.dedup();
    chinese_in_english.dedup();
    assert!(
        raw_keys.is_empty(),
        "raw translation keys shown:\n{}",
        raw_keys.join("\n")
    );
    assert!(
        chinese_in_english.is_empty(),
        "Chinese in the English interface:\n{}",
        chinese_in_english.join("\n")
    );
}
