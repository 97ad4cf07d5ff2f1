//! 举报附件: photos, PDFs and office documents the reporter sends with a report or with a
//! follow-up message.
//!
//! Each file is checked like any evidence (`files::check`: a real file of its kind by its
//! content, within `[uploads] max_file_bytes` of bytes actually read, at most
//! `[uploads] max_files` in one request and `[reports] max_attachments` on one report), then
//! sealed before it reaches file storage: [`crate::vault::Vault::seal_bytes`] (a data key per
//! file wrapped by the master key, SM4-GCM), stored under the SHA-256 of the sealed bytes.
//! Its original name, type and size are sealed as one value (`meta_sealed`). Nothing but
//! [`download`] opens either: a handler of the case (the office in scope, the department the
//! case is routed to), one file at a time, audited with the file's number only. The reporter's
//! follow-up shows only how many files are attached; no export and no error message names a
//! file (a refused file is "#2", its place in the request).

use serde::{Deserialize, Serialize};
use serde_json::json;
use sha2::{Digest, Sha256};

use super::service::SUBJECT;
use crate::act::Act;
use crate::audit::Event;
use crate::auth::model::Actor;
use crate::db::Tx;
use crate::error::{AppError, AppResult};
use crate::files::Upload;
use crate::i18n::Msg;
use crate::ids::ReportId;
use crate::state::AppState;

/// A file checked and sealed, its sealed bytes in storage, ready to be recorded.
pub struct Sealed {
    blob_name: String,
    meta_sealed: String,
}

/// What is sealed about a file besides its bytes.
#[derive(Serialize, Deserialize)]
struct Meta {
    name: String,
    mime: String,
    size: usize,
}

/// An attached file as handlers see it in a case: its number, who sent it and when; its name,
/// type and size only in the audited download.
#[derive(Debug, Clone, sqlx::FromRow, Serialize, utoipa::ToSchema)]
pub struct AttachmentRow {
    pub n: i64,
    pub from_reporter: bool,
    pub created_at: i64,
}

/// Checks `uploads` (`already` files are on the report): every problem goes to `e` under
/// `files`, the file named by its place in the request, never by its name.
pub fn check<'a>(
    state: &AppState,
    uploads: &'a [Upload],
    already: i64,
    e: &mut Vec<(String, Msg)>,
) -> Vec<(crate::files::Checked, &'a Upload)> {
    let up = &state.cfg.uploads;
    let max_report = state.cfg.reports.max_attachments;
    let already = usize::try_from(already).unwrap_or(usize::MAX);
    if uploads.len() > up.max_files {
        e.push((
            "files".into(),
            Msg::new("file.too_many").with("max", up.max_files),
        ));
    } else if uploads.len().saturating_add(already) > max_report {
        e.push((
            "files".into(),
            Msg::new("file.too_many").with("max", max_report),
        ));
    }
    let mut ok = Vec::new();
    for (i, f) in uploads.iter().enumerate() {
        match crate::files::check(
            &f.bytes,
            &f.filename,
            up.max_file_bytes,
            &up.file_types,
            "files",
        ) {
            Ok(c) => ok.push((c, f)),
            Err(AppError::Validation(v)) => {
                for (field, mut m) in v {
                    for (k, val) in m.args.iter_mut() {
                        if *k == "name" {
                            *val = format!("#{}", i + 1);
                        }
                    }
                    e.push((field, m));
                }
            }
            Err(_) => e.push(("files".into(), Msg::new("file.type_unknown"))),
        }
    }
    ok
}

/// Seals each checked file and puts the sealed bytes in file storage. Every file is sealed
/// before any is stored, so a failing key provider (503) leaves nothing behind.
pub async fn seal_and_store(
    state: &AppState,
    checked: &[(crate::files::Checked, &Upload)],
) -> AppResult<Vec<Sealed>> {
    let ready = seal_files(state, checked)?;
    store_sealed(state, ready).await
}

/// A file sealed (bytes and metadata), not yet in file storage.
pub struct SealedFile {
    bytes: Vec<u8>,
    meta_sealed: String,
}

/// Seals each checked file and its metadata, storing nothing: CPU work a caller can do
/// before it opens its transaction. [`crate::vault::KeyUnavailable`] (503) if the key
/// provider fails.
pub fn seal_files(
    state: &AppState,
    checked: &[(crate::files::Checked, &Upload)],
) -> AppResult<Vec<SealedFile>> {
    let mut out = Vec::with_capacity(checked.len());
    for (c, f) in checked {
        let bytes = state.vault.seal_bytes(&f.bytes)?;
        let meta = Meta {
            name: c.filename.clone(),
            mime: c.mime.to_string(),
            size: c.size,
        };
        let meta = serde_json::to_string(&meta).map_err(|e| AppError::Internal(e.into()))?;
        out.push(SealedFile {
            bytes,
            meta_sealed: state.vault.seal(&meta)?,
        });
    }
    Ok(out)
}

/// Puts sealed files in file storage, each under the hash of its sealed bytes.
pub async fn store_sealed(state: &AppState, files: Vec<SealedFile>) -> AppResult<Vec<Sealed>> {
    let mut out = Vec::with_capacity(files.len());
    for SealedFile {
        bytes: sealed,
        meta_sealed,
    } in files
    {
        let blob_name = hex::encode(Sha256::digest(&sealed));
        crate::files::store(&state.files, &blob_name, &sealed)
            .await
            .map_err(|e| {
                AppError::Internal(anyhow::anyhow!("storing a sealed report file: {e}"))
            })?;
        out.push(Sealed {
            blob_name,
            meta_sealed,
        });
    }
    Ok(out)
}

/// Records sealed files on report `id`, numbered after those it has.
pub async fn record(
    tx: &mut Tx,
    id: ReportId,
    from_reporter: bool,
    files: &[Sealed],
    now: i64,
) -> AppResult<()> {
    let mut n = store::count(tx, id).await?;
    for f in files {
        n += 1;
        store::insert(tx, id, n, from_reporter, f, now).await?;
    }
    Ok(())
}

/// How many files report `id` has.
pub async fn count(tx: &mut Tx, id: ReportId) -> AppResult<i64> {
    Ok(store::count(tx, id).await?)
}

/// The files of report `id`, without their names.
pub async fn list(tx: &mut Tx, id: ReportId) -> AppResult<Vec<AttachmentRow>> {
    Ok(store::list(tx, id).await?)
}

/// File `n` of report `id`, opened for a handler of the case: (name, type, bytes). Audited
/// (`report.attachment_download`, the number only); anyone else gets what `service::load`
/// answers (403, or 404 outside the scope or for a department the case is not routed to).
pub async fn download(
    state: &AppState,
    actor: &Actor,
    id: ReportId,
    n: i64,
) -> AppResult<(String, String, Vec<u8>)> {
    const ACTION: &str = "report.attachment_download";
    let mut act = Act::begin(state, actor).await?;
    super::service::load(&mut act, id, ACTION).await?;
    let (blob, meta) = store::one(act.tx(), id, n)
        .await?
        .ok_or(AppError::NotFound)?;
    let sealed = crate::files::read(&state.files, &blob)
        .await
        .map_err(|e| AppError::Internal(anyhow::anyhow!("reading a sealed report file: {e}")))?;
    let bytes = state
        .vault
        .open_bytes(&sealed)
        .map_err(|e| AppError::Internal(e.context("open a report file")))?;
    let meta = state
        .vault
        .open(&meta)
        .map_err(|e| AppError::Internal(e.context("open a report file's metadata")))?;
    let meta: Meta = serde_json::from_str(&meta)
        .map_err(|e| AppError::Internal(anyhow::anyhow!("sealed file metadata: {e}")))?;
    act.audit(Event::ok(ACTION, SUBJECT, id).detail(json!({"n": n})))
        .await?;
    act.commit().await?;
    Ok((meta.name, meta.mime, bytes.to_vec()))
}

/// Reads a page's form with its files: a multipart form (text parts are `T`'s fields, files
/// are `files`), or an urlencoded form without files. The API reads JSON or multipart with
/// `files::read_form`.
pub async fn read_web<T>(
    req: axum::extract::Request,
    state: &AppState,
) -> AppResult<(T, Vec<Upload>)>
where
    T: serde::de::DeserializeOwned + Send + 'static,
{
    use axum::extract::FromRequest;
    if crate::files::is_multipart(&req) {
        return crate::files::read_form::<T>(req, state).await;
    }
    let crate::web::extract::WebForm(t) =
        crate::web::extract::WebForm::<T>::from_request(req, state).await?;
    Ok((t, Vec::new()))
}

/// Reads `POST /api/v1/public/reports`: JSON (no files), or a multipart form with the
/// public form's flat fields (`identity=named`, `reporter_name`, …) and `files`.
pub async fn read_report(
    req: axum::extract::Request,
    state: &AppState,
) -> AppResult<(super::model::NewReportInput, Vec<Upload>)> {
    if crate::files::is_multipart(&req) {
        let (f, files) =
            crate::files::read_form::<super::public_pages::ReportForm>(req, state).await?;
        return Ok((f.input(), files));
    }
    crate::files::read_form(req, state).await
}

mod store {
    use super::{AttachmentRow, Sealed};
    use crate::db::Tx;
    use crate::ids::ReportId;
    use crate::on_tx;

    pub async fn count(tx: &mut Tx, id: ReportId) -> Result<i64, sqlx::Error> {
        on_tx!(tx, |c| sqlx::query_scalar(
            "SELECT COUNT(*) FROM report_attachment WHERE report_id = $1"
        )
        .bind(id)
        .fetch_one(c)
        .await)
    }

    pub async fn insert(
        tx: &mut Tx,
        id: ReportId,
        n: i64,
        from_reporter: bool,
        f: &Sealed,
        now: i64,
    ) -> Result<(), sqlx::Error> {
        on_tx!(tx, |c| {
            sqlx::query(
            "INSERT INTO report_attachment (report_id, n, from_reporter, blob_name, meta_sealed, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6)"
        )
        .bind(id)
        .bind(n)
        .bind(from_reporter)
        .bind(&f.blob_name)
        .bind(&f.meta_sealed)
        .bind(now)
        .execute(c)
        .await
        .map(|_| ())
        })
    }

    pub async fn list(tx: &mut Tx, id: ReportId) -> Result<Vec<AttachmentRow>, sqlx::Error> {
        on_tx!(tx, |c| {
            sqlx::query_as(
            "SELECT n, from_reporter, created_at FROM report_attachment WHERE report_id = $1 ORDER BY n"
        )
        .bind(id)
        .fetch_all(c)
        .await
        })
    }

    /// The storage name and the sealed metadata of file `n`.
    pub async fn one(
        tx: &mut Tx,
        id: ReportId,
        n: i64,
    ) -> Result<Option<(String, String)>, sqlx::Error> {
        on_tx!(tx, |c| sqlx::query_as(
            "SELECT blob_name, meta_sealed FROM report_attachment WHERE report_id = $1 AND n = $2"
        )
        .bind(id)
        .bind(n)
        .fetch_optional(c)
        .await)
    }
}
