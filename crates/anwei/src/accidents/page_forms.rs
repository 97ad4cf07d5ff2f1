//! The forms of the accident page beyond the chain's (issue 12): recording an accountability
//! outcome (追责问责) and a notification of 第十条 (公安、人社、工会、检察院). Each posts to its
//! use case (the same permissions as the API); field errors re-render the accident page with
//! what was typed.

use axum::extract::{Path, State};
use axum::response::Response;
use serde::Deserialize;

use super::accountability::model::{OutcomeInput, OutcomeView};
use super::chain::model::NoticeInput;
use super::chain::pages::detail_render;
use crate::auth::model::{Actor, Perm};
use crate::error::{AppError, AppResult};
use crate::i18n::Msg;
use crate::ids::AccidentId;
use crate::state::AppState;
use crate::web::ctx::RequestCtx;
use crate::web::extract::WebForm;
use crate::web::page::{FieldErrors, redirect_or_again};

/// An accountability outcome as typed in the page's form: every field text (a blank number is
/// none; a checkbox is present or not).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct OutcomeForm {
    #[serde(default)]
    pub subject: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub position: String,
    #[serde(default)]
    pub id_number: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub principal_responsibility: Option<String>,
    #[serde(default)]
    pub fine_yuan: String,
    #[serde(default)]
    pub last_year_income_yuan: String,
    #[serde(default)]
    pub aggravated: Option<String>,
    #[serde(default)]
    pub decided_on: String,
    #[serde(default)]
    pub penalty_ends_on: String,
    #[serde(default)]
    pub industry: String,
    #[serde(default)]
    pub document_no: String,
    #[serde(default)]
    pub note: String,
}

fn blank_none(v: &str) -> Option<String> {
    Some(v.trim().to_string()).filter(|s| !s.is_empty())
}

impl OutcomeForm {
    /// The API's input; a number that is not a whole number of yuan is a 422 on its field.
    pub fn input(&self) -> Result<OutcomeInput, AppError> {
        let mut e = Vec::new();
        let mut yuan = |field: &str, v: &str| match blank_none(v) {
            None => None,
            Some(s) => match s.parse::<i64>() {
                Ok(n) => Some(n),
                Err(_) => {
                    e.push((field.to_string(), Msg::new("accident_forms.whole_yuan")));
                    None
                }
            },
        };
        let fine_yuan = yuan("fine_yuan", &self.fine_yuan);
        let last_year_income_yuan = yuan("last_year_income_yuan", &self.last_year_income_yuan);
        if !e.is_empty() {
            return Err(AppError::Validation(e));
        }
        Ok(OutcomeInput {
            subject: self.subject.clone(),
            name: self.name.clone(),
            position: self.position.clone(),
            id_number: self.id_number.clone(),
            kind: self.kind.clone(),
            principal_responsibility: self.principal_responsibility.is_some(),
            fine_yuan,
            last_year_income_yuan,
            aggravated: self.aggravated.is_some(),
            decided_on: self.decided_on.clone(),
            penalty_ends_on: blank_none(&self.penalty_ends_on),
            industry: blank_none(&self.industry),
            document_no: self.document_no.clone(),
            note: self.note.clone(),
        })
    }
}

/// The accident page's extra forms as typed, with their errors.
#[derive(Debug, Clone, Default)]
pub struct Forms {
    pub outcome: OutcomeForm,
    pub outcome_errors: FieldErrors,
    pub notice: NoticeInput,
    pub notice_errors: FieldErrors,
}

impl Forms {
    pub fn any(&self) -> bool {
        self.outcome_errors.any() || self.notice_errors.any()
    }
}

/// The accountability section of the accident page: the outcomes (None when the actor may not
/// read them) and whether the actor may record one.
pub async fn outcomes(
    state: &AppState,
    actor: &Actor,
    id: AccidentId,
) -> AppResult<(Option<Vec<OutcomeView>>, bool)> {
    if !actor.can(Perm::AccountabilityRead) {
        return Ok((None, false));
    }
    let rows = super::accountability::service::list(state, actor, id).await?;
    let can = actor.can(Perm::AccountabilityRecord) && !actor.is_read_only();
    Ok((Some(rows.iter().map(|r| r.view()).collect()), can))
}

/// `POST /accidents/{id}/accountability`: records an outcome; back to the accident page.
pub async fn record_outcome(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    Path(id): Path<AccidentId>,
    WebForm(form): WebForm<OutcomeForm>,
) -> AppResult<Response> {
    let r = match form.input() {
        Ok(input) => super::accountability::service::record(&state, &actor, id, &input).await,
        Err(e) => Err(e),
    };
    redirect_or_again(
        r,
        ctx.lang,
        |_| format!("/accidents/{id}#accountability"),
        async |errors| {
            let f = Forms {
                outcome: form,
                outcome_errors: errors,
                ..Forms::default()
            };
            again(&state, &ctx, &actor, id, f).await
        },
    )
    .await
}

/// `POST /accidents/{id}/notifications`: records a notification of 第十条 by a level the actor
/// acts for; back to the accident page.
pub async fn record_notice(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    Path(id): Path<AccidentId>,
    WebForm(form): WebForm<NoticeInput>,
) -> AppResult<Response> {
    let mut input = form.clone();
    input.notified_at = super::chain::pages::with_offset(&input.notified_at);
    // A notification recorded already, or a level without the report yet: shown on the form.
    let r = super::chain::service::notice(&state, &actor, id, &input)
        .await
        .map_err(|e| match e {
            AppError::Conflict(m) => AppError::Validation(vec![("body".into(), m)]),
            e => e,
        });
    redirect_or_again(
        r,
        ctx.lang,
        |_| format!("/accidents/{id}#notify"),
        async |errors| {
            let f = Forms {
                notice: form,
                notice_errors: errors,
                ..Forms::default()
            };
            again(&state, &ctx, &actor, id, f).await
        },
    )
    .await
}

/// The accident page again, with one of this file's forms as typed and its errors.
async fn again(
    state: &AppState,
    ctx: &RequestCtx,
    actor: &Actor,
    id: AccidentId,
    f: Forms,
) -> AppResult<Response> {
    detail_render(
        state,
        ctx,
        actor,
        id,
        Default::default(),
        Default::default(),
        f,
    )
    .await
}
