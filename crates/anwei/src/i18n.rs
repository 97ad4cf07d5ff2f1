//! Translations: `locales/zh-CN.toml` (default) and `locales/en.toml`, compiled in. Flat keys,
//! `{name}` placeholders. The locale is passed per request, never set globally.

use std::collections::HashMap;
use std::sync::OnceLock;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub enum Lang {
    #[default]
    #[serde(rename = "zh-CN")]
    Zh,
    #[serde(rename = "en")]
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }
    pub fn parse(s: &str) -> Option<Lang> {
        let s = s.trim().to_ascii_lowercase();
        if s.starts_with("zh") {
            Some(Lang::Zh)
        } else if s.starts_with("en") {
            Some(Lang::En)
        } else {
            None
        }
    }
    /// Picks from an `Accept-Language` header; Chinese unless English is preferred.
    pub fn from_accept_language(h: &str) -> Lang {
        for part in h.split(',') {
            let tag = part.split(';').next().unwrap_or("");
            if let Some(l) = Lang::parse(tag) {
                return l;
            }
        }
        Lang::Zh
    }
    pub fn other(self) -> Lang {
        match self {
            Lang::Zh => Lang::En,
            Lang::En => Lang::Zh,
        }
    }
}

type Table = HashMap<String, String>;

fn parse_table(src: &str) -> Table {
    let v: toml::Table = toml::from_str(src).expect("locale file is valid TOML");
    let mut out = Table::new();
    flatten("", &toml::Value::Table(v), &mut out);
    out
}

fn flatten(prefix: &str, v: &toml::Value, out: &mut Table) {
    match v {
        toml::Value::Table(t) => {
            for (k, v) in t {
                let key = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                flatten(&key, v, out);
            }
        }
        toml::Value::String(s) => {
            out.insert(prefix.to_string(), s.clone());
        }
        other => {
            out.insert(prefix.to_string(), other.to_string());
        }
    }
}

pub fn tables() -> &'static (Table, Table) {
    static T: OnceLock<(Table, Table)> = OnceLock::new();
    T.get_or_init(|| {
        (
            parse_table(include_str!("../locales/zh-CN.toml")),
            parse_table(include_str!("../locales/en.toml")),
        )
    })
}

/// Translates `key`; a missing key shows the key itself (a test keeps both files complete).
pub fn t(lang: Lang, key: &str) -> String {
    let (zh, en) = tables();
    let table = if lang == Lang::En { en } else { zh };
    table.get(key).cloned().unwrap_or_else(|| key.to_string())
}

/// Translates with `{name}` placeholders filled.
pub fn tf(lang: Lang, key: &str, args: &[(&str, String)]) -> String {
    let mut s = t(lang, key);
    for (k, v) in args {
        s = s.replace(&format!("{{{k}}}"), v);
    }
    s
}

/// A message to be translated later, when the request's language is known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Msg {
    pub key: &'static str,
    pub args: Vec<(&'static str, String)>,
    /// Arguments that are messages themselves, rendered in the same language (a parser's
    /// reason inside "cannot read the units: {reason}").
    pub nested: Vec<(&'static str, Msg)>,
}

impl Msg {
    pub fn new(key: &'static str) -> Msg {
        Msg {
            key,
            args: Vec::new(),
            nested: Vec::new(),
        }
    }
    pub fn with(mut self, name: &'static str, value: impl ToString) -> Msg {
        self.args.push((name, value.to_string()));
        self
    }
    /// A placeholder filled with another message, translated with this one.
    pub fn with_msg(mut self, name: &'static str, value: Msg) -> Msg {
        self.nested.push((name, value));
        self
    }
    pub fn render(&self, lang: Lang) -> String {
        let mut args: Vec<(&str, String)> =
            self.args.iter().map(|(k, v)| (*k, v.clone())).collect();
        args.extend(self.nested.iter().map(|(k, m)| (*k, m.render(lang))));
        tf(lang, self.key, &args)
    }

    /// A phrase parser's refusal, in the reader's language (`phrase.<kind>` keys).
    pub fn phrase(e: &anwei_rules::PhraseError) -> Msg {
        let mut m = Msg::new(e.kind.key());
        for (k, v) in e.kind.args() {
            m = m.with(k, v);
        }
        m
    }
}

/// The translator handed to templates: `{{ t.t("key") }}`.
#[derive(Debug, Clone, Copy)]
pub struct Tr {
    pub lang: Lang,
}

impl Tr {
    pub fn t(&self, key: &str) -> String {
        t(self.lang, key)
    }
    pub fn code(&self) -> &'static str {
        self.lang.code()
    }
    /// Translates a key with one `{n}` placeholder, e.g. 第{n}条.
    pub fn tn(&self, key: &str, n: &i64) -> String {
        tf(self.lang, key, &[("n", n.to_string())])
    }
    /// A date in the reader's style: 2026年11月29日 in Chinese, ISO in English.
    /// A date (`YYYY-MM-DD` text or a [`crate::ids::Day`]) in the reader's language.
    pub fn date<D: std::fmt::Display + ?Sized>(&self, iso: &D) -> String {
        format_date(self.lang, &iso.to_string())
    }
    /// An instant (epoch ms) in Asia/Shanghai time.
    pub fn instant(&self, ms: &i64) -> String {
        format_instant(self.lang, *ms)
    }
    pub fn opt_instant(&self, ms: &Option<i64>) -> String {
        ms.map(|m| format_instant(self.lang, m))
            .unwrap_or_else(|| "—".into())
    }
}

pub fn format_date(lang: Lang, iso: &str) -> String {
    match chrono::NaiveDate::parse_from_str(iso, "%Y-%m-%d") {
        Ok(d) if lang == Lang::Zh => d.format("%Y年%-m月%-d日").to_string(),
        Ok(d) => d.format("%Y-%m-%d").to_string(),
        Err(_) => iso.to_string(),
    }
}

pub fn format_instant(lang: Lang, ms: i64) -> String {
    let dt = chrono::DateTime::from_timestamp_millis(ms)
        .unwrap_or_default()
        .with_timezone(&crate::time::tz());
    match lang {
        Lang::Zh => dt.format("%Y年%-m月%-d日 %H:%M").to_string(),
        Lang::En => dt.format("%Y-%m-%d %H:%M").to_string(),
    }
}
