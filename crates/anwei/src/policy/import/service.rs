//! The use cases: check a table and its metadata, preview it (keeping the upload), import it
//! all or nothing, and confirm a kept upload.

use serde::{Deserialize, Serialize};
use serde_json::json;
use sha2::{Digest, Sha256};

use super::super::store;
use super::parse::{CellError, Parsed, file_error, parse_grid};
use super::read::read_grid;
use crate::audit::{self, Event};
use crate::auth::model::{Actor, Perm};
use crate::db::{is_unique_violation, now_ms};
use crate::error::{AppError, AppResult};
use crate::i18n::Msg;
use crate::ids::PolicyId;
use crate::policy::model::{MeasureRow, PolicyRow};
use crate::state::AppState;

/// The new policy's identity, as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct ImportMeta {
    #[serde(default)]
    pub code: String,
    #[serde(default)]
    pub doc_number: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub issuer: String,
    #[serde(default)]
    pub issued_on: String,
}

fn check_meta(m: &ImportMeta) -> (ImportMeta, Vec<(String, Msg)>) {
    let mut e = Vec::new();
    let code = m.code.trim().to_string();
    if code.is_empty() {
        e.push(("code".to_string(), Msg::new("error.required")));
    } else if code.len() > 40
        || !code.starts_with(|c: char| c.is_ascii_alphanumeric())
        || !code
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        e.push(("code".to_string(), Msg::new("policy_import.code_format")));
    }
    let text = crate::web::extract::text;
    let doc_number = text("doc_number", &m.doc_number, 100, true, &mut e);
    let title = text("title", &m.title, 300, true, &mut e);
    let issuer = text("issuer", &m.issuer, 100, true, &mut e);
    let issued_on = m.issued_on.trim().to_string();
    if issued_on.is_empty() {
        e.push(("issued_on".to_string(), Msg::new("error.required")));
    } else if crate::time::parse_date(&issued_on).is_none() {
        e.push(("issued_on".to_string(), Msg::new("error.date_format")));
    }
    (
        ImportMeta {
            code,
            doc_number,
            title,
            issuer,
            issued_on,
        },
        e,
    )
}

/// What a preview or a refused import shows.
pub struct Preview {
    pub meta: ImportMeta,
    pub parsed: Parsed,
    /// Problems with the metadata or the file as a whole, by field.
    pub fields: Vec<(String, Msg)>,
    /// The stored upload's key, once the table read without errors.
    pub sha: Option<String>,
}

impl Preview {
    pub fn ok(&self) -> bool {
        self.fields.is_empty() && self.parsed.errors.is_empty()
    }
}

/// The key an upload waits under: the SHA-256 of the uploader and the content, so that a
/// confirmation can only name a file its own account uploaded for import.
fn upload_key(actor: &Actor, bytes: &[u8]) -> String {
    let mut h = Sha256::new();
    h.update(b"anwei.policy-import\n");
    h.update(actor.account_id.to_string().as_bytes());
    h.update(b"\n");
    h.update(bytes);
    hex::encode(h.finalize())
}

pub(super) async fn require(state: &AppState, actor: &Actor, code: &str) -> AppResult<()> {
    if actor.can(Perm::PolicyEdit) {
        Ok(())
    } else {
        Err(audit::service::deny(state, &actor.who(), "policy.import", "policy", code).await)
    }
}

pub(super) async fn check(state: &AppState, meta: &ImportMeta, bytes: &[u8]) -> AppResult<Preview> {
    let (meta, mut fields) = check_meta(meta);
    if !meta.code.is_empty() && !fields.iter().any(|(k, _)| k == "code") {
        let mut tx = state.db.read().await?;
        if store::policy_by_code(&mut tx, &meta.code).await?.is_some() {
            fields.push(("code".to_string(), Msg::new("policy_import.code_taken")));
        }
    }
    let parsed = match read_grid(bytes) {
        Ok(grid) => parse_grid(&grid),
        Err(m) => {
            fields.push(("file".to_string(), m.clone()));
            Parsed {
                errors: vec![file_error(m)],
                ..Default::default()
            }
        }
    };
    Ok(Preview {
        meta,
        parsed,
        fields,
        sha: None,
    })
}

/// Reads an upload and shows what it would import; keeps the file (not the data) for the
/// confirmation when it reads without errors.
pub async fn preview(
    state: &AppState,
    actor: &Actor,
    meta: &ImportMeta,
    bytes: &[u8],
) -> AppResult<Preview> {
    require(state, actor, meta.code.trim()).await?;
    let mut p = check(state, meta, bytes).await?;
    if p.parsed.errors.is_empty() && !p.parsed.rows.is_empty() {
        let key = upload_key(actor, bytes);
        crate::files::store(&state.files, &key, bytes)
            .await
            .map_err(|e| AppError::Internal(anyhow::anyhow!("storing a policy upload: {e}")))?;
        p.sha = Some(key);
    }
    Ok(p)
}

pub enum Outcome {
    Imported { code: String, tasks: usize },
    Refused(Box<Preview>),
}

/// Imports the table as a new policy: policy, measures and tasks in one transaction with its
/// audit record, or nothing at all.
pub async fn import(
    state: &AppState,
    actor: &Actor,
    meta: &ImportMeta,
    bytes: &[u8],
) -> AppResult<Outcome> {
    require(state, actor, meta.code.trim()).await?;
    let p = check(state, meta, bytes).await?;
    if !p.ok() {
        return Ok(Outcome::Refused(Box::new(p)));
    }
    let mut tasks = Vec::new();
    let mut errors = Vec::new();
    for r in &p.parsed.rows {
        let number = r.number.unwrap_or(0);
        match crate::policy::service::structure(
            number,
            r.measure,
            String::new(),
            r.content.clone(),
            r.units_text.clone(),
            r.deadline_text.clone(),
        ) {
            Ok(t) => tasks.push(t),
            Err(AppError::Validation(v)) => {
                for (field, msg) in v {
                    let column = match field.as_str() {
                        "deadline_text" => "deadline",
                        "units_text" => "units",
                        _ => "task",
                    };
                    errors.push(CellError {
                        row: r.row,
                        column,
                        letter: String::new(),
                        text: String::new(),
                        reason: msg,
                    });
                }
            }
            Err(e) => return Err(e),
        }
    }
    if !errors.is_empty() {
        let mut p = p;
        p.parsed.errors = errors;
        return Ok(Outcome::Refused(Box::new(p)));
    }
    let m = &p.meta;
    let now = now_ms();
    let mut tx = state.db.begin().await?;
    let pid = match store::insert_policy(
        &mut tx,
        &PolicyRow {
            id: PolicyId::default(),
            code: m.code.clone(),
            doc_number: m.doc_number.clone(),
            title: m.title.clone(),
            issuer: m.issuer.clone(),
            issued_on: m.issued_on.clone(),
            builtin: false,
        },
        now,
    )
    .await
    {
        Ok(id) => id,
        Err(e) if is_unique_violation(&e) => {
            return Err(AppError::field(
                "code",
                Msg::new("policy_import.code_taken"),
            ));
        }
        Err(e) => return Err(e.into()),
    };
    for (i, title) in p.parsed.measures.iter().enumerate() {
        store::insert_measure(
            &mut tx,
            pid,
            &MeasureRow {
                number: i as i64 + 1,
                title_zh: title.clone(),
                title_en: title.clone(),
            },
        )
        .await?;
    }
    for t in &tasks {
        store::insert_task(&mut tx, pid, t).await?;
    }
    audit::record(
        state,
        &mut tx,
        &actor.who(),
        Event::ok("policy.import", "policy", &m.code).detail(json!({
            "doc_number": m.doc_number, "title": m.title,
            "measures": p.parsed.measures.len(), "tasks": tasks.len(),
            "sha256": hex::encode(Sha256::digest(bytes)),
        })),
    )
    .await?;
    tx.commit().await?;
    Ok(Outcome::Imported {
        code: m.code.clone(),
        tasks: tasks.len(),
    })
}

/// Imports the upload a preview kept, re-reading every cell.
pub async fn confirm(
    state: &AppState,
    actor: &Actor,
    meta: &ImportMeta,
    sha: &str,
) -> AppResult<Outcome> {
    require(state, actor, meta.code.trim()).await?;
    let gone = || AppError::field("file", Msg::new("policy_import.upload_gone"));
    let bytes = crate::files::read(&state.files, sha.trim())
        .await
        .map_err(|_| gone())?;
    if upload_key(actor, &bytes) != sha.trim() {
        return Err(gone());
    }
    import(state, actor, meta, &bytes).await
}
