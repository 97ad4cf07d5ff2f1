//! HTML handlers of organisations (the JSON API is `api`), over the same service functions.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use super::model::{NewOrgInput, OrgFilter, OrgRow, OrgView, RegionRow, RenameInput, level_label};
use super::service;
use crate::act::Act;
use crate::auth::model::{Actor, Perm};
use crate::error::AppResult;
use crate::i18n::Lang;
use crate::ids::OrgId;
use crate::people::model::PositionRow;
use crate::state::AppState;
use crate::web::Base;
use crate::web::ctx::RequestCtx;
use crate::web::extract::{Q, WebForm};
use crate::web::page::{FieldErrors, render, render_form};

/// One region with its organisations, nested by parent.
pub struct RegionGroup {
    pub region: RegionRow,
    pub depth: usize,
    pub orgs: Vec<(usize, OrgView)>,
    /// The townships and streets directly below (each links to its enterprises).
    pub townships: Vec<RegionRow>,
}

#[derive(Template)]
#[template(path = "orgs/tree.html")]
pub struct TreePage {
    pub b: Base,
    pub groups: Vec<RegionGroup>,
    pub filter_q: String,
    pub filter_kind: String,
    pub filter_region: String,
    pub supervising: bool,
    pub include_retired: bool,
    pub kinds: Vec<(String, String)>,
    pub regions: Vec<RegionRow>,
    pub can_manage: bool,
    pub total: usize,
    /// The city's committee office: the township import form.
    pub can_import_townships: bool,
}

fn kinds(lang: Lang) -> Vec<(String, String)> {
    anwei_rules::org::OrgKind::ALL
        .iter()
        .map(|k| {
            (
                k.code().to_string(),
                if lang == Lang::En {
                    k.name_en()
                } else {
                    k.name_zh()
                }
                .to_string(),
            )
        })
        .collect()
}

/// Orders organisations depth-first under their parents within the list.
fn nest(rows: &[OrgRow], lang: Lang) -> Vec<(usize, OrgView)> {
    let ids: std::collections::HashSet<OrgId> = rows.iter().map(|r| r.id).collect();
    let mut out = Vec::new();
    fn walk(
        rows: &[OrgRow],
        parent: Option<OrgId>,
        depth: usize,
        ids: &std::collections::HashSet<OrgId>,
        lang: Lang,
        out: &mut Vec<(usize, OrgView)>,
    ) {
        for r in rows.iter().filter(|r| match parent {
            None => r.parent_id.is_none_or(|p| !ids.contains(&p)),
            Some(p) => r.parent_id == Some(p),
        }) {
            out.push((depth, r.view(lang)));
            walk(rows, Some(r.id), depth + 1, ids, lang, out);
        }
    }
    walk(rows, None, 0, &ids, lang, &mut out);
    out
}

pub async fn tree(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    Q(f): Q<OrgFilter>,
) -> AppResult<Response> {
    let rows = service::list(&state, &actor, &f).await?;
    let regions = service::regions(&state, &actor).await?;
    let base_depth = regions
        .first()
        .map(|r| r.path.matches('/').count())
        .unwrap_or(0);
    let mut groups = Vec::new();
    for r in &regions {
        let in_region: Vec<OrgRow> = rows
            .iter()
            .filter(|o| o.region_id == r.id)
            .cloned()
            .collect();
        if in_region.is_empty() {
            continue;
        }
        groups.push(RegionGroup {
            region: r.clone(),
            depth: r.path.matches('/').count().saturating_sub(base_depth),
            orgs: nest(&in_region, ctx.lang),
            townships: regions
                .iter()
                .filter(|t| t.parent_id == Some(r.id) && t.level == "township")
                .cloned()
                .collect(),
        });
    }
    if regions.is_empty() && !rows.is_empty() {
        // Enterprise scope: their own organisation only, without the region tree.
        let r = RegionRow {
            id: rows[0].region_id,
            code: rows[0].region_code.clone(),
            name: rows[0].region_name.clone(),
            level: String::new(),
            parent_id: None,
            path: String::new(),
            has_gb2260_code: true,
        };
        groups.push(RegionGroup {
            region: r,
            depth: 0,
            orgs: nest(&rows, ctx.lang),
            townships: Vec::new(),
        });
    }
    let b = Base::new(&state, &ctx, Some(&actor), "orgs.title");
    render(&TreePage {
        total: rows.len(),
        groups,
        filter_q: f.q.clone().unwrap_or_default(),
        filter_kind: f.kind.clone().unwrap_or_default(),
        filter_region: f.region.clone().unwrap_or_default(),
        supervising: f.supervising,
        include_retired: f.include_retired,
        kinds: kinds(ctx.lang),
        regions,
        can_manage: actor.can(Perm::OrgManage),
        can_import_townships: actor.is_city_office() && actor.can(Perm::OrgManage),
        b,
    })
}

#[derive(Template)]
#[template(path = "orgs/detail.html")]
pub struct DetailPage {
    pub b: Base,
    pub org: OrgView,
    pub level_label: String,
    pub parent: Option<OrgView>,
    pub children: Vec<OrgView>,
    pub history: Vec<super::model::NameHistory>,
    pub positions: Vec<PositionRow>,
    pub sector_labels: Vec<String>,
    pub can_manage: bool,
    pub can_manage_people: bool,
    pub errors: FieldErrors,
    pub position_kinds: Vec<(String, String)>,
    /// For a territory's own bodies: this year's 一票否决 / 一票否优 outcome (issue 12).
    pub veto: Option<crate::accidents::assessment::model::TerritoryVeto>,
}

pub fn sector_label(code: &str, lang: Lang) -> String {
    anwei_rules::org::Sector::parse(code)
        .map(|s| {
            if lang == Lang::En {
                s.name_en()
            } else {
                s.name_zh()
            }
            .to_string()
        })
        .unwrap_or_else(|| code.to_string())
}

pub async fn detail_render(
    state: &AppState,
    ctx: &RequestCtx,
    actor: &Actor,
    code: &str,
    errors: FieldErrors,
) -> AppResult<Response> {
    let d = service::get(state, actor, code).await?;
    let territory_body = matches!(
        d.org.kind.as_str(),
        "party_committee" | "government" | "safety_committee" | "safety_office"
    ) && matches!(d.org.level.as_str(), "city" | "county");
    let veto = if territory_body {
        crate::accidents::assessment::service::of_territory(
            state,
            actor,
            &d.org.region_code,
            &d.org.region_path,
        )
        .await?
    } else {
        None
    };
    let positions = crate::people::service::positions_of_org(state, actor, code)
        .await
        .unwrap_or_default();
    let lang = ctx.lang;
    let b = Base::new(state, ctx, Some(actor), "orgs.detail_title").with_title(d.org.name.clone());
    let position_kinds = crate::people::model::POSITION_KINDS
        .iter()
        .map(|k| (k.to_string(), b.t.t(&format!("position.kind.{k}"))))
        .collect();
    render(&DetailPage {
        level_label: level_label(&d.org.level, lang),
        sector_labels: super::model::split_codes(&d.org.sectors)
            .iter()
            .map(|s| sector_label(s, lang))
            .collect(),
        org: d.org.view(lang),
        parent: d.parent.map(|p| p.view(lang)),
        children: d.children.iter().map(|c| c.view(lang)).collect(),
        history: d.history,
        positions,
        can_manage: actor.can(Perm::OrgManage),
        can_manage_people: actor.can(Perm::PeopleManage),
        errors,
        position_kinds,
        veto,
        b,
    })
}

pub async fn detail(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    Path(code): Path<String>,
) -> AppResult<Response> {
    detail_render(&state, &ctx, &actor, &code, FieldErrors::default()).await
}

#[derive(Template)]
#[template(path = "orgs/new.html")]
pub struct NewPage {
    pub b: Base,
    pub input: NewOrgInput,
    pub sectors_text: String,
    pub errors: FieldErrors,
    pub kinds: Vec<(String, String)>,
    pub regions: Vec<RegionRow>,
    pub sectors: Vec<(String, String)>,
}

async fn new_render(
    state: &AppState,
    ctx: &RequestCtx,
    actor: &Actor,
    input: NewOrgInput,
    errors: FieldErrors,
) -> AppResult<Response> {
    let regions = service::regions(state, actor).await?;
    let lang = ctx.lang;
    let sectors = anwei_rules::org::Sector::ALL
        .iter()
        .map(|s| {
            (
                s.code().to_string(),
                if lang == Lang::En {
                    s.name_en()
                } else {
                    s.name_zh()
                }
                .to_string(),
            )
        })
        .collect();
    let b = Base::new(state, ctx, Some(actor), "orgs.new_title");
    render_form(
        &NewPage {
            sectors_text: input.sectors.join(","),
            input,
            errors: errors.clone(),
            kinds: kinds(lang),
            regions,
            sectors,
            b,
        },
        errors.any(),
    )
}

pub async fn new_form(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
) -> AppResult<Response> {
    if !actor.can(Perm::OrgManage) {
        return Err(
            crate::audit::service::deny(&state, &actor.who(), "org.create", "org", "").await,
        );
    }
    new_render(
        &state,
        &ctx,
        &actor,
        NewOrgInput::default(),
        FieldErrors::default(),
    )
    .await
}

pub async fn create(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    WebForm(input): WebForm<NewOrgInput>,
) -> AppResult<Response> {
    let r = match input.parse() {
        Ok(cmd) => service::create(&state, &actor, cmd).await,
        Err(e) => Err(e),
    };
    match r {
        Ok(code) => Ok(Redirect::to(&format!("/orgs/{code}")).into_response()),
        Err(e) => match FieldErrors::from_error(&e, ctx.lang) {
            Some(errors) => new_render(&state, &ctx, &actor, input, errors).await,
            None => Err(e),
        },
    }
}

pub async fn rename(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    Path(code): Path<String>,
    WebForm(f): WebForm<RenameInput>,
) -> AppResult<Response> {
    let renamed = async {
        let mut act = Act::begin(&state, &actor).await?;
        service::rename(&mut act, &code, &f.name).await?;
        act.commit().await
    }
    .await;
    match renamed {
        Ok(()) => Ok(Redirect::to(&format!("/orgs/{code}")).into_response()),
        Err(e) => match FieldErrors::from_error(&e, ctx.lang) {
            Some(errors) => {
                let mut r = detail_render(&state, &ctx, &actor, &code, errors).await?;
                *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
                Ok(r)
            }
            None => Err(e),
        },
    }
}

pub async fn retire(
    State(state): State<AppState>,
    actor: Actor,
    Path(code): Path<String>,
) -> AppResult<Response> {
    let mut act = Act::begin(&state, &actor).await?;
    service::retire(&mut act, &code).await?;
    act.commit().await?;
    Ok(Redirect::to(&format!("/orgs/{code}")).into_response())
}

pub async fn reinstate(
    State(state): State<AppState>,
    actor: Actor,
    Path(code): Path<String>,
) -> AppResult<Response> {
    let mut act = Act::begin(&state, &actor).await?;
    service::reinstate(&mut act, &code).await?;
    act.commit().await?;
    Ok(Redirect::to(&format!("/orgs/{code}")).into_response())
}

/// The township import from the tree page (multipart `file`): what was done, or every problem
/// by row and column (422).
pub async fn import_townships(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    req: axum::extract::Request,
) -> AppResult<Response> {
    super::townships::may_import(&state, &actor).await?;
    let b = Base::new(&state, &ctx, Some(&actor), "township.import_title");
    let page = crate::files::xlsx::ResultPage {
        heading: b.t.t("township.import_title"),
        back: "/orgs".into(),
        back_label: b.t.t("orgs.title"),
        done: String::new(),
        refused: String::new(),
        problems: Vec::new(),
        b,
    };
    let outcome = match crate::files::xlsx::read_upload(req, &state).await {
        Ok(bytes) => super::townships::import(&state, &actor, &bytes).await,
        Err(e) => Err(e),
    };
    match outcome {
        Ok(super::townships::Outcome::Imported(c)) => {
            let done = crate::i18n::Msg::new("township.imported")
                .with("added", c.added)
                .with("renamed", c.renamed)
                .with("unchanged", c.unchanged)
                .render(ctx.lang);
            crate::files::xlsx::ResultPage { done, ..page }.answer(&[])
        }
        Ok(super::townships::Outcome::Refused(p)) => page.answer(&p),
        Err(e) => match crate::files::xlsx::file_problem(&e, ctx.lang) {
            Some(p) => page.answer(&p),
            None => Err(e),
        },
    }
}
