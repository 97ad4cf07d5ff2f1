//! Use cases of the review core, called by capabilities inside their own `Act`.

use serde_json::json;

use super::model::{
    Decision, Draft, FileRow, StoredFile, Subject, SubmissionRow, Verdict, Waiting, Work,
};
use super::store::{self, NewSubmission};
use crate::act::{Act, Target};
use crate::db::{is_unique_violation, now_ms};
use crate::error::{AppError, AppResult};
use crate::files::Upload;
use crate::i18n::Msg;
use crate::ids::{FileId, OrgId, SubmissionId};
use crate::state::AppState;

/// Most characters in a submission's text.
pub const BODY_MAX: usize = 5000;
/// Most characters in a reviewer's comment.
pub const COMMENT_MAX: usize = 2000;

/// Checks a submission's text (field `body_field`, required) and its files against the upload
/// settings, before anything is stored. Every problem is reported at once.
pub fn draft<'a>(
    state: &AppState,
    body_field: &str,
    body: &str,
    uploads: &'a [Upload],
) -> AppResult<Draft<'a>> {
    let mut e = Vec::new();
    let body = crate::web::extract::text(body_field, body, BODY_MAX, true, &mut e);
    let files = crate::files::check_uploads(uploads, 0, &state.cfg.uploads, &mut e)?;
    if !e.is_empty() {
        return Err(AppError::Validation(e));
    }
    Ok(Draft {
        body,
        files,
        kept: false,
    })
}

/// Writes the bytes of a draft's files to the file storage (each once, by hash). Call it
/// before the write transaction begins, so a slow store never holds the database's write
/// lock; [`submit`] does it itself for a draft whose files were not kept yet.
pub async fn keep_files(state: &AppState, draft: &mut Draft<'_>) -> AppResult<()> {
    crate::files::store_uploads(&state.files, &draft.files).await?;
    draft.kept = true;
    Ok(())
}

/// Checks a decision: `accept` or `return`; a comment is required to return.
pub fn verdict(decision: &str, comment: &str) -> AppResult<Verdict> {
    let Some(decision) = Decision::parse(decision) else {
        return Err(AppError::field(
            "decision",
            Msg::new("review.decision_unknown"),
        ));
    };
    let mut e = Vec::new();
    let comment = crate::web::extract::text(
        "comment",
        comment,
        COMMENT_MAX,
        decision == Decision::Return,
        &mut e,
    );
    if !e.is_empty() {
        return Err(AppError::Validation(e));
    }
    Ok(Verdict { decision, comment })
}

/// Stores a checked submission about `subject` with its files, in the use case's
/// transaction. A second submission while one waits for a decision is a conflict.
pub async fn submit(
    act: &mut Act<'_>,
    subject: Subject,
    kind: &str,
    draft: &Draft<'_>,
    late: bool,
) -> AppResult<SubmissionId> {
    if !draft.kept {
        crate::files::store_uploads(&act.state.files, &draft.files).await?;
    }
    let now = now_ms();
    let by = act.actor.account_id;
    let new = NewSubmission {
        subject,
        kind,
        body: &draft.body,
        late,
        by,
        now,
    };
    let id = match store::insert(act.tx(), &new).await {
        Ok(id) => id,
        Err(e) if is_unique_violation(&e) => {
            return Err(AppError::Conflict(Msg::new("review.awaiting_review")));
        }
        Err(e) => return Err(e.into()),
    };
    for (c, _) in &draft.files {
        let fid = crate::files::insert(act.tx(), c, by, now).await?;
        store::link_file(act.tx(), id, fid).await?;
    }
    Ok(id)
}

/// The submission about `subject` waiting for a decision, if any.
pub async fn waiting(act: &mut Act<'_>, subject: Subject) -> AppResult<Option<Waiting>> {
    Ok(store::waiting(act.tx(), subject).await?)
}

/// The reviewer rule: a decision on `work` is never taken by an account of the organisation
/// whose work it is (an office's own work is decided by an office above it), nor by the
/// account that submitted it. Refused (403) and audited as `action` on `subject`.
pub async fn may_review(
    act: &mut Act<'_>,
    work: Work,
    action: &'static str,
    subject: Subject,
) -> AppResult<()> {
    let key = if act.actor.org_id == work.org_id {
        "review.own_organisation"
    } else if work.submitted_by == Some(act.actor.account_id) {
        "review.own_submission"
    } else {
        return Ok(());
    };
    let id = subject.id.to_string();
    let t = Target {
        kind: subject.kind,
        id: &id,
    };
    Err(act
        .refused(action, t, AppError::Refused(Msg::new(key)))
        .await)
}

/// Who may decide on `subject`: an actor whose role holds `perm` (otherwise 403, audited:
/// only the committee office decides) under the reviewer rule ([`may_review`]) for the work of
/// organisation `org_id`. Call it before anything else of a decision use case.
pub async fn reviewer(
    act: &mut Act<'_>,
    perm: crate::auth::model::Perm,
    org_id: OrgId,
    action: &'static str,
    subject: Subject,
) -> AppResult<()> {
    if !act.actor.can(perm) {
        let id = subject.id.to_string();
        let t = Target {
            kind: subject.kind,
            id: &id,
        };
        let refusal = AppError::Refused(Msg::new("review.office_decides"));
        return Err(act.refused(action, t, refusal).await);
    }
    let work = Work {
        org_id,
        submitted_by: None,
    };
    may_review(act, work, action, subject).await
}

/// Where a decision is told: the submitting organisation's accounts get the notice
/// `<prefix>_accepted` or `<prefix>_returned` (`.title` and `.body` keys) linking to `link`.
pub struct Notice<'a> {
    pub prefix: &'static str,
    pub link: &'a str,
}

/// Decides the submission waiting about `subject` (none waiting: a conflict), after the
/// reviewer rule; tells the organisation whose work it is. Returns what was decided on.
pub async fn decide(
    act: &mut Act<'_>,
    subject: Subject,
    org_id: OrgId,
    verdict: &Verdict,
    action: &'static str,
    notice: &Notice<'_>,
) -> AppResult<Waiting> {
    let Some(w) = store::waiting(act.tx(), subject).await? else {
        return Err(AppError::Conflict(Msg::new("review.nothing_to_review")));
    };
    let work = Work {
        org_id,
        submitted_by: Some(w.submitted_by),
    };
    may_review(act, work, action, subject).await?;
    let by = act.actor.account_id;
    let code = verdict.decision.code();
    if store::decide(act.tx(), w.id, code, &verdict.comment, by, now_ms()).await? == 0 {
        return Err(AppError::Conflict(Msg::new("review.changed_meanwhile")));
    }
    let title = format!("{}_{code}.title", notice.prefix);
    let body = format!("{}_{code}.body", notice.prefix);
    crate::notify::service::notify_org(act.tx(), org_id, &title, &body, &json!({}), notice.link)
        .await?;
    Ok(w)
}

/// The subject's history (every submission, newest first, with its decision) and the files of
/// every submission, each in the capability's own row types.
pub async fn record<S: From<SubmissionRow>, F: From<FileRow>>(
    act: &mut Act<'_>,
    subject: Subject,
) -> AppResult<(Vec<S>, Vec<F>)> {
    let history = store::history(act.tx(), subject).await?;
    let files = store::files(act.tx(), subject).await?;
    Ok((
        history.into_iter().map(S::from).collect(),
        files.into_iter().map(F::from).collect(),
    ))
}

/// A file submitted about some subject of `subject_kind`: which subject, and where its bytes
/// are. The caller checks that the actor may see that subject before handing out the bytes.
pub async fn stored_file(
    act: &mut Act<'_>,
    subject_kind: &'static str,
    attachment_id: FileId,
) -> AppResult<StoredFile> {
    store::stored_file(act.tx(), subject_kind, attachment_id)
        .await?
        .ok_or(AppError::NotFound)
}

/// The bytes of a stored file.
pub async fn read_file(state: &AppState, f: &StoredFile) -> AppResult<Vec<u8>> {
    crate::files::read(&state.files, &f.sha256)
        .await
        .map_err(|e| AppError::Internal(anyhow::anyhow!("reading file {}: {e}", f.sha256)))
}
