//! `/assessment/veto`: one row per territory (the one asked for, then its counties) with its
//! outcome and the accidents that decide it, and the year and territory filters.

use askama::Template;
use axum::extract::State;
use axum::response::Response;

use super::model::VetoFilter;
use super::service::{self, Veto};
use crate::auth::model::Actor;
use crate::error::AppResult;
use crate::state::AppState;
use crate::web::Base;
use crate::web::ctx::RequestCtx;
use crate::web::extract::Q;
use crate::web::page::{FieldErrors, render_form};

#[derive(Template)]
#[template(path = "accidents/veto.html")]
pub struct VetoPage {
    pub b: Base,
    pub v: Veto,
    pub f: VetoFilter,
    pub errors: FieldErrors,
}

pub async fn page(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    Q(f): Q<VetoFilter>,
) -> AppResult<Response> {
    let (v, errors) = match service::veto(&state, &actor, &f).await {
        Ok(v) => (v, FieldErrors::default()),
        Err(e) => match FieldErrors::from_error(&e, ctx.lang) {
            Some(errors) => (
                Veto {
                    year: 0,
                    region_code: String::new(),
                    region_name: String::new(),
                    territories: Vec::new(),
                },
                errors,
            ),
            None => return Err(e),
        },
    };
    let b = Base::new(&state, &ctx, Some(&actor), "assessment.title");
    render_form(
        &VetoPage {
            b,
            v,
            f,
            errors: errors.clone(),
        },
        errors.any(),
    )
}
