//! The two migration folders must produce the same schema: the same tables, columns, indexes
//! and constraint names (`Db::schema_outline`), and beyond the names the same column types,
//! nullability and defaults, primary keys, unique constraints, index columns, foreign keys
//! and triggers (`detail_outline` below).
//!
//! Both sides are described in one vocabulary, one line per fact, and the lines compared:
//!
//! - types: every SQLite integer type is `int64` (SQLite integers are 64-bit whatever the
//!   declared name), PostgreSQL `bigint` is `int64`, `integer` `int32`, `smallint` `int16` (so
//!   a PostgreSQL `INTEGER` column is reported: sqlx will not read it into an `i64`); `TEXT`,
//!   `VARCHAR(n)`, `character varying` → `text`; `BOOLEAN` → `bool`; `REAL`/`DOUBLE` → `real`;
//!   `BLOB`/`bytea` → `bytes`; `JSON`/`jsonb` → `json`; anything else is kept as declared,
//!   lower-cased, so it shows up as a difference.
//! - auto ids: SQLite's `INTEGER PRIMARY KEY` (the rowid alias) and PostgreSQL's identity
//!   columns (or a `nextval` default) are `auto`.
//! - nullability: `NOT NULL`, or the rowid alias (never NULL). A SQLite primary key of another
//!   type does allow NULL unless declared `NOT NULL`, so it is compared as declared.
//! - defaults: casts dropped (`''::text` → `''`), outer parentheses dropped, `0`/`FALSE`/`'f'`
//!   of a bool column → `false` (and `1`/`TRUE` → `true`), a quoted number of a numeric
//!   column unquoted, keywords lower-cased.
//! - indexes (those made by `CREATE INDEX`): columns in order, `unique`, `partial`; primary
//!   keys and unique constraints by their columns in order (their names are compared by the
//!   outline); foreign keys by columns, referenced table and columns, and actions.
//! - triggers: by name, and by what they guard (table, timing, event, row or statement).

use std::collections::{BTreeMap, BTreeSet};

use anwei::db::Db;

use crate::helpers::*;

/// Lines only one backend may have, each with the reason.
const ONLY_SQLITE: &[&str] = &[
    // A SQLite trigger has one event, so the audit log needs two (UPDATE, DELETE) where
    // PostgreSQL's `audit_log_no_update` is `BEFORE UPDATE OR DELETE`. The events themselves
    // are compared (`guard` lines).
    "trigger audit_log.audit_log_no_delete",
];
const ONLY_PG: &[&str] = &[
    // SQLite has no TRUNCATE, so nothing to guard against there.
    "trigger audit_log.audit_log_no_truncate",
    "guard audit_log BEFORE TRUNCATE FOR EACH STATEMENT",
];

#[tokio::test]
async fn both_backends_migrate_to_the_same_tables_columns_indexes_constraints_and_triggers() {
    let dir = tempfile::tempdir().unwrap();
    let sqlite = Db::connect(
        &format!("sqlite://{}", dir.path().join("s.db").display()),
        2,
    )
    .await
    .unwrap();
    sqlite.migrate().await.unwrap();
    let pg = Db::connect(&fresh_pg_database(&pg_server_url()).await, 2)
        .await
        .unwrap();
    pg.migrate().await.unwrap();
    let mut a: BTreeSet<String> = sqlite.schema_outline().await.unwrap().into_iter().collect();
    let mut b: BTreeSet<String> = pg.schema_outline().await.unwrap().into_iter().collect();
    a.extend(detail_outline(&sqlite).await);
    b.extend(detail_outline(&pg).await);
    assert!(a.len() > 500, "outline is substantial: {}", a.len());
    for line in [
        "constraint account.account_username_uq",
        "column account.id type int64",
        "column account.id auto",
        "column account.disabled not null",
        "column account.disabled default false",
        "column account.email default ''",
        "index audit_log.audit_log_actor_idx (actor_id, seq)",
        "unique account (username)",
        "primary key session (id_hash)",
        "foreign key account (org_id) -> org (id) on delete no action on update no action",
        "trigger audit_log.audit_log_no_update",
        "guard audit_log BEFORE DELETE FOR EACH ROW",
        "guard audit_log BEFORE UPDATE FOR EACH ROW",
    ] {
        assert!(a.contains(line), "SQLite outline lists {line:?}");
    }
    for l in ONLY_SQLITE {
        assert!(a.contains(*l), "allow-listed {l:?} is in SQLite's outline");
    }
    for l in ONLY_PG {
        assert!(
            b.contains(*l),
            "allow-listed {l:?} is in PostgreSQL's outline"
        );
    }
    let only_sqlite: Vec<_> = a
        .difference(&b)
        .filter(|x| !ONLY_SQLITE.contains(&x.as_str()))
        .collect();
    let only_pg: Vec<_> = b
        .difference(&a)
        .filter(|x| !ONLY_PG.contains(&x.as_str()))
        .collect();
    assert!(
        only_sqlite.is_empty() && only_pg.is_empty(),
        "only in SQLite: {only_sqlite:#?}\nonly in PostgreSQL: {only_pg:#?}"
    );
}

#[test]
fn migration_folders_hold_the_same_file_names() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
    let names = |d: &str| {
        let mut v: Vec<String> = std::fs::read_dir(root.join(d))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
            .collect();
        v.sort();
        v
    };
    assert_eq!(names("sqlite"), names("postgres"));
}

#[test]
fn types_and_defaults_are_normalised_to_one_vocabulary() {
    assert_eq!(sqlite_type("BIGINT"), "int64");
    assert_eq!(sqlite_type("INTEGER"), "int64");
    assert_eq!(pg_type("bigint"), "int64");
    assert_eq!(pg_type("integer"), "int32");
    assert_eq!(sqlite_type("VARCHAR(20)"), "text");
    assert_eq!(pg_type("character varying"), "text");
    assert_eq!(sqlite_type("BOOLEAN"), "bool");
    assert_eq!(pg_type("boolean"), "bool");
    assert_eq!(sqlite_type("DATE"), "date");
    assert_eq!(default_value("''::text", "text"), "''");
    assert_eq!(default_value("'{}'::jsonb", "json"), "'{}'");
    assert_eq!(default_value("FALSE", "bool"), "false");
    assert_eq!(default_value("0", "bool"), "false");
    assert_eq!(default_value("true", "bool"), "true");
    assert_eq!(default_value("'-1'::integer", "int32"), "-1");
    assert_eq!(default_value("(0)", "int64"), "0");
    assert_eq!(default_value("'it''s'", "text"), "'it''s'");
    assert_eq!(
        default_value("CURRENT_TIMESTAMP", "text"),
        "current_timestamp"
    );
}

// ---------------------------------------------------------------------------------------
// The detailed outline.
// ---------------------------------------------------------------------------------------

fn sqlite_type(declared: &str) -> String {
    let t = declared.trim().to_ascii_lowercase();
    let base = t.split('(').next().unwrap_or_default().trim();
    if base.contains("int") {
        "int64".into()
    } else if base.contains("char") || base.contains("text") || base.contains("clob") {
        "text".into()
    } else if base.starts_with("bool") {
        "bool".into()
    } else if base.contains("real") || base.contains("floa") || base.contains("doub") {
        "real".into()
    } else if base == "blob" || base == "bytea" {
        "bytes".into()
    } else if base.starts_with("json") {
        "json".into()
    } else {
        base.into()
    }
}

fn pg_type(data_type: &str) -> String {
    match data_type {
        "bigint" => "int64".into(),
        "integer" => "int32".into(),
        "smallint" => "int16".into(),
        "text" | "character varying" | "character" => "text".into(),
        "boolean" => "bool".into(),
        "real" | "double precision" => "real".into(),
        "bytea" => "bytes".into(),
        "json" | "jsonb" => "json".into(),
        other => other.into(),
    }
}

/// A default expression in the common vocabulary (see the module comment).
fn default_value(raw: &str, ty: &str) -> String {
    let mut v = raw.trim();
    while v.starts_with('(') && v.ends_with(')') {
        v = v[1..v.len() - 1].trim();
    }
    let literal = if let Some(body) = v.strip_prefix('\'') {
        // Up to the closing quote ('' is an escaped quote); a cast after it is dropped.
        let mut end = None;
        let mut chars = body.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            if c == '\'' {
                if chars.peek().is_some_and(|(_, n)| *n == '\'') {
                    chars.next();
                } else {
                    end = Some(i);
                    break;
                }
            }
        }
        let body = &body[..end.unwrap_or(body.len())];
        if ty.starts_with("int") && body.parse::<i64>().is_ok() {
            body.to_string()
        } else {
            format!("'{body}'")
        }
    } else {
        v.split("::")
            .next()
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase()
    };
    if ty == "bool" {
        match literal.as_str() {
            "0" | "false" | "'f'" | "'false'" => return "false".into(),
            "1" | "true" | "'t'" | "'true'" => return "true".into(),
            _ => {}
        }
    }
    literal
}

/// One column's facts: type, auto id, not null, default.
fn column_lines(
    out: &mut BTreeSet<String>,
    table: &str,
    column: &str,
    ty: &str,
    auto: bool,
    not_null: bool,
    default: Option<&str>,
) {
    let c = format!("column {table}.{column}");
    out.insert(format!("{c} type {ty}"));
    if auto {
        out.insert(format!("{c} auto"));
    }
    if not_null {
        out.insert(format!("{c} not null"));
    }
    if let Some(d) = default.filter(|_| !auto) {
        out.insert(format!("{c} default {}", default_value(d, ty)));
    }
}

fn fk_action(a: &str) -> &'static str {
    match a.to_ascii_uppercase().as_str() {
        "A" | "NO ACTION" => "no action",
        "R" | "RESTRICT" => "restrict",
        "C" | "CASCADE" => "cascade",
        "N" | "SET NULL" => "set null",
        "D" | "SET DEFAULT" => "set default",
        _ => "?",
    }
}

/// SQLite's `CREATE TRIGGER name [BEFORE|AFTER|INSTEAD OF] event [OF cols] ON table` →
/// (timing, event).
fn sqlite_trigger_guard(sql: &str) -> (String, String) {
    let words: Vec<String> = sql
        .split_whitespace()
        .map(|w| w.to_ascii_uppercase())
        .collect();
    let timing = if words.iter().any(|w| w == "INSTEAD") {
        "INSTEAD OF"
    } else if words.iter().any(|w| w == "AFTER") {
        "AFTER"
    } else {
        "BEFORE"
    };
    let event = words
        .iter()
        .find(|w| matches!(w.as_str(), "INSERT" | "UPDATE" | "DELETE"))
        .cloned()
        .unwrap_or_default();
    (timing.into(), event)
}

async fn detail_outline(db: &Db) -> BTreeSet<String> {
    match db {
        Db::Sqlite { read, .. } => sqlite_outline(read).await,
        Db::Pg(p) => pg_outline(p).await,
    }
}

async fn sqlite_outline(db: &sqlx::SqlitePool) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let tables: Vec<(String,)> = sqlx::query_as(
        "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_sqlx%' ORDER BY name",
    )
    .fetch_all(db)
    .await
    .unwrap();
    for (t,) in tables {
        type Col = (String, String, i64, Option<String>, i64);
        let cols: Vec<Col> = sqlx::query_as(
            "SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_info($1) ORDER BY cid",
        )
        .bind(&t)
        .fetch_all(db)
        .await
        .unwrap();
        let mut pk: Vec<(i64, &str)> = cols
            .iter()
            .filter(|c| c.4 > 0)
            .map(|c| (c.4, c.0.as_str()))
            .collect();
        pk.sort();
        // The rowid alias: a sole primary-key column declared exactly `INTEGER`.
        let rowid = match pk.as_slice() {
            [(_, name)] => cols
                .iter()
                .find(|c| c.0 == *name)
                .filter(|c| c.1.eq_ignore_ascii_case("INTEGER"))
                .map(|c| c.0.clone()),
            _ => None,
        };
        for (name, ty, notnull, dflt, _) in &cols {
            let auto = rowid.as_deref() == Some(name.as_str());
            column_lines(
                &mut out,
                &t,
                name,
                &sqlite_type(ty),
                auto,
                *notnull == 1 || auto,
                dflt.as_deref(),
            );
        }
        if !pk.is_empty() {
            let names: Vec<&str> = pk.iter().map(|p| p.1).collect();
            out.insert(format!("primary key {t} ({})", names.join(", ")));
        }
        let indexes: Vec<(String, i64, String, i64)> =
            sqlx::query_as("SELECT name, \"unique\", origin, partial FROM pragma_index_list($1)")
                .bind(&t)
                .fetch_all(db)
                .await
                .unwrap();
        for (name, unique, origin, partial) in indexes {
            let cols: Vec<(Option<String>,)> =
                sqlx::query_as("SELECT name FROM pragma_index_info($1) ORDER BY seqno")
                    .bind(&name)
                    .fetch_all(db)
                    .await
                    .unwrap();
            let cols: Vec<String> = cols
                .into_iter()
                .map(|(c,)| c.unwrap_or_else(|| "<expression>".into()))
                .collect();
            let cols = cols.join(", ");
            match origin.as_str() {
                "c" => {
                    out.insert(format!("index {t}.{name} ({cols})"));
                    if unique == 1 {
                        out.insert(format!("index {t}.{name} unique"));
                    }
                    if partial == 1 {
                        out.insert(format!("index {t}.{name} partial"));
                    }
                }
                "u" => {
                    out.insert(format!("unique {t} ({cols})"));
                }
                _ => {} // "pk": listed from the columns above
            }
        }
        type Fk = (i64, i64, String, String, Option<String>, String, String);
        let fks: Vec<Fk> = sqlx::query_as(
            "SELECT id, seq, \"table\", \"from\", \"to\", on_update, on_delete FROM pragma_foreign_key_list($1) ORDER BY id, seq",
        )
        .bind(&t)
        .fetch_all(db)
        .await
        .unwrap();
        let mut by_id: BTreeMap<i64, Vec<&Fk>> = BTreeMap::new();
        for f in &fks {
            by_id.entry(f.0).or_default().push(f);
        }
        for parts in by_id.values() {
            let from: Vec<&str> = parts.iter().map(|f| f.3.as_str()).collect();
            let to: Vec<&str> = parts
                .iter()
                .map(|f| f.4.as_deref().unwrap_or("<primary key>"))
                .collect();
            let f = parts[0];
            out.insert(format!(
                "foreign key {t} ({}) -> {} ({}) on delete {} on update {}",
                from.join(", "),
                f.2,
                to.join(", "),
                fk_action(&f.6),
                fk_action(&f.5)
            ));
        }
    }
    let triggers: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name",
    )
    .fetch_all(db)
    .await
    .unwrap();
    for (name, table, sql) in triggers {
        out.insert(format!("trigger {table}.{name}"));
        let (timing, event) = sqlite_trigger_guard(&sql);
        // SQLite triggers are always FOR EACH ROW.
        out.insert(format!("guard {table} {timing} {event} FOR EACH ROW"));
    }
    out
}

async fn pg_outline(db: &sqlx::PgPool) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    type Col = (String, String, String, String, Option<String>, String);
    let cols: Vec<Col> = sqlx::query_as(
        "SELECT table_name::text, column_name::text, data_type::text, is_nullable::text, column_default::text, is_identity::text \
         FROM information_schema.columns WHERE table_schema = current_schema() AND table_name NOT LIKE '\\_sqlx%'",
    )
    .fetch_all(db)
    .await
    .unwrap();
    for (t, c, ty, nullable, default, identity) in &cols {
        let auto = identity == "YES"
            || default
                .as_deref()
                .is_some_and(|d| d.starts_with("nextval("));
        column_lines(
            &mut out,
            t,
            c,
            &pg_type(ty),
            auto,
            nullable == "NO",
            default.as_deref(),
        );
    }
    // Every index: key columns in order (`<expression>` for an expression), and the
    // constraint it backs, if any.
    type Ix = (String, String, bool, bool, String, Option<String>);
    let indexes: Vec<Ix> = sqlx::query_as(
        "SELECT c.relname::text, i.relname::text, ix.indisunique, ix.indpred IS NOT NULL, \
                (SELECT string_agg(COALESCE(a.attname::text, '<expression>'), ', ' ORDER BY k.ord) \
                   FROM unnest(ix.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord) \
                   LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum \
                  WHERE k.ord <= ix.indnkeyatts), \
                (SELECT con.contype::text FROM pg_constraint con WHERE con.conindid = ix.indexrelid AND con.contype IN ('p', 'u') LIMIT 1) \
           FROM pg_index ix \
           JOIN pg_class c ON c.oid = ix.indrelid \
           JOIN pg_class i ON i.oid = ix.indexrelid \
           JOIN pg_namespace n ON n.oid = c.relnamespace \
          WHERE n.nspname = current_schema() AND c.relname NOT LIKE '\\_sqlx%'",
    )
    .fetch_all(db)
    .await
    .unwrap();
    for (t, name, unique, partial, cols, constraint) in indexes {
        match constraint.as_deref() {
            Some("p") => {
                out.insert(format!("primary key {t} ({cols})"));
            }
            Some(_) => {
                out.insert(format!("unique {t} ({cols})"));
            }
            None => {
                out.insert(format!("index {t}.{name} ({cols})"));
                if unique {
                    out.insert(format!("index {t}.{name} unique"));
                }
                if partial {
                    out.insert(format!("index {t}.{name} partial"));
                }
            }
        }
    }
    type Fk = (String, String, String, String, String, String);
    let fks: Vec<Fk> = sqlx::query_as(
        "SELECT rel.relname::text, \
                (SELECT string_agg(a.attname::text, ', ' ORDER BY k.ord) FROM unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord) \
                   JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum), \
                frel.relname::text, \
                (SELECT string_agg(a.attname::text, ', ' ORDER BY k.ord) FROM unnest(con.confkey) WITH ORDINALITY AS k(attnum, ord) \
                   JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum), \
                con.confdeltype::text, con.confupdtype::text \
           FROM pg_constraint con \
           JOIN pg_class rel ON rel.oid = con.conrelid \
           JOIN pg_class frel ON frel.oid = con.confrelid \
           JOIN pg_namespace n ON n.oid = rel.relnamespace \
          WHERE con.contype = 'f' AND n.nspname = current_schema()",
    )
    .fetch_all(db)
    .await
    .unwrap();
    for (t, from, to_table, to, on_delete, on_update) in fks {
        out.insert(format!(
            "foreign key {t} ({from}) -> {to_table} ({to}) on delete {} on update {}",
            fk_action(&on_delete),
            fk_action(&on_update)
        ));
    }
    // User triggers (not the internal ones behind foreign keys). `tgtype` bits: 1 row,
    // 2 before, 4 insert, 8 delete, 16 update, 32 truncate, 64 instead of.
    let triggers: Vec<(String, String, i32)> = sqlx::query_as(
        "SELECT t.tgname::text, c.relname::text, t.tgtype::int4 FROM pg_trigger t \
           JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace \
          WHERE NOT t.tgisinternal AND n.nspname = current_schema()",
    )
    .fetch_all(db)
    .await
    .unwrap();
    for (name, table, ty) in triggers {
        out.insert(format!("trigger {table}.{name}"));
        let timing = if ty & 2 != 0 {
            "BEFORE"
        } else if ty & 64 != 0 {
            "INSTEAD OF"
        } else {
            "AFTER"
        };
        let each = if ty & 1 != 0 { "ROW" } else { "STATEMENT" };
        for (bit, event) in [
            (4, "INSERT"),
            (8, "DELETE"),
            (16, "UPDATE"),
            (32, "TRUNCATE"),
        ] {
            if ty & bit != 0 {
                out.insert(format!("guard {table} {timing} {event} FOR EACH {each}"));
            }
        }
    }
    out
}
