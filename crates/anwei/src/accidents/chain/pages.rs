//! Accident pages: the list, the filing form (the six contents of 第十二条), an accident with
//! its versions, its chain and live clocks (server-rendered; correct without script), the
//! acknowledge and record forms for those who may, and the office's board of open hops.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use serde::Deserialize;

use super::model::RecordInput;
use super::service;
use super::store::BoardRow;
use super::views::{HopStateView, NoticeView};
use crate::accidents::filter::AccidentFilter;
use crate::accidents::model::AccidentInput;
use crate::accidents::views::{AccidentView, VersionView, instant};
use crate::auth::model::{Actor, Perm};
use crate::db::now_ms;
use crate::error::AppResult;
use crate::ids::AccidentId;
use crate::state::AppState;
use crate::web::Base;
use crate::web::ctx::RequestCtx;
use crate::web::extract::{Q, WebForm};
use crate::web::page::{FieldErrors, redirect_or_again, render, render_form};

/// A `datetime-local` value (`2026-06-01T08:30`) is read in UTC+8; one with an offset as is.
pub(crate) fn with_offset(s: &str) -> String {
    let s = s.trim();
    match s.len() {
        16 => format!("{s}:00+08:00"),
        19 => format!("{s}+08:00"),
        _ => s.to_string(),
    }
}

fn count(s: &str) -> Option<i64> {
    s.trim().parse().ok()
}

/// The filing form's fields (flat, text as typed).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct AccidentForm {
    #[serde(default)]
    pub occurred_at: String,
    #[serde(default)]
    pub region_code: String,
    #[serde(default)]
    pub unit_name: String,
    #[serde(default, rename = "type")]
    pub accident_type: String,
    #[serde(default)]
    pub category: String,
    #[serde(default)]
    pub location: String,
    #[serde(default)]
    pub deaths: String,
    #[serde(default)]
    pub serious_injuries: String,
    #[serde(default)]
    pub missing: String,
    #[serde(default)]
    pub direct_loss_yuan: String,
    #[serde(default)]
    pub summary: String,
    #[serde(default)]
    pub measures: String,
    #[serde(default)]
    pub other: String,
}

impl AccidentForm {
    fn input(&self) -> AccidentInput {
        AccidentInput {
            occurred_at: with_offset(&self.occurred_at),
            region_code: self.region_code.clone(),
            unit_name: self.unit_name.clone(),
            accident_type: self.accident_type.clone(),
            category: self.category.clone(),
            location: self.location.clone(),
            deaths: count(&self.deaths),
            serious_injuries: count(&self.serious_injuries),
            missing: count(&self.missing),
            direct_loss_yuan: count(&self.direct_loss_yuan),
            summary: self.summary.clone(),
            measures: self.measures.clone(),
            other: self.other.clone(),
            ..AccidentInput::default()
        }
    }
}

#[derive(Template)]
#[template(path = "accidents/list.html")]
pub struct ListPage {
    pub b: Base,
    pub items: Vec<crate::accidents::model::ListRow>,
    pub pager: crate::web::page::Pager,
    pub f: AccidentFilter,
    pub can_file: bool,
    /// The flag filtered by (blank: all).
    pub flag: String,
    /// A government account (region scope): links to the statistics and the veto.
    pub can_see_stats: bool,
}

impl ListPage {
    pub fn when(&self, ms: &i64) -> String {
        short(*ms)
    }
    /// The filter's value of `v`, blank when not given (for the form).
    pub fn val<'a>(&self, v: &'a Option<String>) -> &'a str {
        v.as_deref().unwrap_or("")
    }
}

fn short(ms: i64) -> String {
    instant(ms)
        .chars()
        .take(16)
        .collect::<String>()
        .replace('T', " ")
}

/// The accident list, through the same use case as `GET /api/v1/accidents` (its filters and
/// scope); a bad filter value is the same 422.
pub async fn list(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    Q(f): Q<AccidentFilter>,
) -> AppResult<Response> {
    let p = crate::accidents::service::list(&state, &actor, &f).await?;
    let b = Base::new(&state, &ctx, Some(&actor), "accident_pages.title");
    let can_file = actor.can(Perm::AccidentReport) && !actor.is_read_only();
    let flag = f.flag.clone().unwrap_or_default();
    let can_see_stats = crate::orgs::service::scope_params(&actor)
        .path_like
        .is_some();
    let query: Vec<(&str, String)> = [
        ("region_code", &f.region_code),
        ("grade", &f.grade),
        ("status", &f.status),
        ("flag", &f.flag),
        ("from", &f.from),
        ("to", &f.to),
        ("enterprise", &f.enterprise),
    ]
    .into_iter()
    .filter_map(|(k, v)| v.clone().filter(|s| !s.is_empty()).map(|v| (k, v)))
    .collect();
    let pager = crate::web::page::Pager {
        page: p.page,
        per_page: p.per_page,
        total: p.total,
        base_query: serde_urlencoded::to_string(query).unwrap_or_default(),
    };
    render(&ListPage {
        b,
        items: p.items,
        pager,
        f,
        can_file,
        flag,
        can_see_stats,
    })
}

#[derive(Template)]
#[template(path = "accidents/new.html")]
pub struct NewPage {
    pub b: Base,
    pub input: AccidentForm,
    pub errors: FieldErrors,
    pub types: Vec<(&'static str, &'static str)>,
}

fn new_render(
    state: &AppState,
    ctx: &RequestCtx,
    actor: &Actor,
    input: AccidentForm,
    errors: FieldErrors,
) -> AppResult<Response> {
    let b = Base::new(state, ctx, Some(actor), "accident_pages.new");
    let types = anwei_rules::hazard::AccidentType::ALL
        .iter()
        .map(|t| (t.code(), t.name_zh()))
        .collect();
    let invalid = errors.any();
    let page = NewPage {
        b,
        input,
        errors,
        types,
    };
    render_form(&page, invalid)
}

pub async fn new_form(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
) -> AppResult<Response> {
    let input = AccidentForm {
        deaths: "0".into(),
        serious_injuries: "0".into(),
        missing: "0".into(),
        direct_loss_yuan: "0".into(),
        ..AccidentForm::default()
    };
    new_render(&state, &ctx, &actor, input, FieldErrors::default())
}

pub async fn create(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    WebForm(f): WebForm<AccidentForm>,
) -> AppResult<Response> {
    let r = crate::accidents::service::create(&state, &actor, &f.input()).await;
    redirect_or_again(
        r,
        ctx.lang,
        |a| format!("/accidents/{}", a.id),
        async |errors| new_render(&state, &ctx, &actor, f, errors),
    )
    .await
}

/// An accident's page: its latest figures, versions, chain with clocks, notifications.
#[derive(Template)]
#[template(path = "accidents/accident.html")]
pub struct DetailPage {
    pub b: Base,
    pub a: AccidentView,
    pub versions: Vec<VersionView>,
    pub hops: Vec<HopStateView>,
    pub notices: Vec<NoticeView>,
    /// The levels the actor acts for (may acknowledge / record).
    pub acts: Vec<String>,
    pub input: RecordInput,
    pub errors: FieldErrors,
    /// What verified concealment cases found (`concealed`, `falsified`, `omitted`), with the
    /// detail, and the cases about the accident.
    pub flags: Vec<(String, String)>,
    pub cases: Vec<i64>,
    /// 追责问责: the outcomes (None: the actor may not read them), and whether the actor records.
    pub outcomes: Option<Vec<crate::accidents::accountability::model::OutcomeView>>,
    pub can_record_outcome: bool,
    /// The outcome and notification forms as typed, with their errors.
    pub forms: crate::accidents::page_forms::Forms,
    /// The four bodies of 第十条 (code, name), for the notification form.
    pub bodies: Vec<(&'static str, &'static str)>,
    /// At a registered enterprise: its open hazards, risk points, last year's inspections.
    pub related: Option<crate::accidents::related::Related>,
    /// The server's time the clocks were read at (epoch ms), for the ticking script.
    pub now: i64,
}

impl DetailPage {
    pub fn may(&self, level: &str) -> bool {
        self.acts.iter().any(|l| l == level)
    }
    /// The seconds past the whole minutes left to a hop's deadline (RFC 3339), two digits.
    pub fn seconds_left(&self, due: &Option<String>) -> String {
        let due = due
            .as_deref()
            .and_then(|d| chrono::DateTime::parse_from_rfc3339(d).ok())
            .map_or(self.now, |d| d.timestamp_millis());
        seconds_between(self.now, due)
    }
}

pub(crate) async fn detail_render(
    state: &AppState,
    ctx: &RequestCtx,
    actor: &Actor,
    id: AccidentId,
    input: RecordInput,
    errors: FieldErrors,
    forms: crate::accidents::page_forms::Forms,
) -> AppResult<Response> {
    let d = crate::accidents::service::get(state, actor, id).await?;
    let (outcomes, can_record_outcome) =
        crate::accidents::page_forms::outcomes(state, actor, id).await?;
    let now = now_ms();
    let acts = anwei_rules::accident::chain::ReportLevel::ALL
        .iter()
        .filter(|l| !actor.is_read_only() && service::acts_for(actor, &d.accident, **l))
        .map(|l| l.code().to_string())
        .collect();
    let b = Base::new(state, ctx, Some(actor), "accident_pages.accident");
    let invalid = errors.any() || forms.any();
    let page = DetailPage {
        b,
        a: d.accident.view(crate::time::today()),
        versions: d.versions.into_iter().map(VersionView::from).collect(),
        hops: d.hops.iter().map(|h| h.view(now)).collect(),
        notices: d.notices.iter().map(Into::into).collect(),
        acts,
        input,
        errors,
        flags: d.flags.into_iter().map(|f| (f.flag, f.detail)).collect(),
        cases: d.cases,
        outcomes,
        can_record_outcome,
        forms,
        bodies: anwei_rules::accident::chain::Notified::ALL
            .iter()
            .map(|n| (n.code(), n.name_zh()))
            .collect(),
        related: d.related,
        now,
    };
    render_form(&page, invalid)
}

pub async fn detail(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    Path(id): Path<AccidentId>,
) -> AppResult<Response> {
    let (i, e) = (RecordInput::default(), FieldErrors::default());
    detail_render(&state, &ctx, &actor, id, i, e, Default::default()).await
}

pub async fn acknowledge(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    Path((id, level)): Path<(AccidentId, String)>,
) -> AppResult<Response> {
    let r = service::acknowledge(&state, &actor, id, &level).await;
    redirect_or_again(
        r,
        ctx.lang,
        |_| format!("/accidents/{id}"),
        async |errors| {
            let i = RecordInput::default();
            detail_render(&state, &ctx, &actor, id, i, errors, Default::default()).await
        },
    )
    .await
}

pub async fn record(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    Path((id, level)): Path<(AccidentId, String)>,
    WebForm(mut input): WebForm<RecordInput>,
) -> AppResult<Response> {
    input.sent_at = with_offset(&input.sent_at);
    let r = service::record(&state, &actor, id, &level, &input).await;
    redirect_or_again(
        r,
        ctx.lang,
        |_| format!("/accidents/{id}"),
        async |errors| {
            detail_render(&state, &ctx, &actor, id, input, errors, Default::default()).await
        },
    )
    .await
}

/// A line of the board with its clock.
pub struct BoardLine {
    pub row: BoardRow,
    pub due: String,
    /// The deadline in RFC 3339 (UTC+8), for the ticking script.
    pub due_at: String,
    pub late_minutes: Option<i64>,
    pub minutes_left: Option<i64>,
    /// The seconds past the whole minutes left, two digits (`07`), while running.
    pub seconds_left: String,
}

/// The seconds past the whole minutes from `now` to `due` (epoch ms), two digits; `00` once
/// past. The server renders them and `assets/clock.js` ticks them.
pub fn seconds_between(now: i64, due: i64) -> String {
    format!("{:02}", ((due - now).max(0) / 1000) % 60)
}

#[derive(Template)]
#[template(path = "accidents/board.html")]
pub struct BoardPage {
    pub b: Base,
    pub lines: Vec<BoardLine>,
    /// The server's time the clocks were read at (epoch ms), for the ticking script.
    pub now: i64,
}

pub async fn board(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
) -> AppResult<Response> {
    let rows = service::board(&state, &actor).await?;
    let now = now_ms();
    let lines = rows
        .into_iter()
        .map(|row| {
            let due = anwei_rules::accident::chain::clock(
                chrono::DateTime::from_timestamp_millis(row.due_at).unwrap_or_default(),
                None,
                chrono::DateTime::from_timestamp_millis(now).unwrap_or_default(),
            );
            let (late, left) = match due {
                anwei_rules::accident::chain::Clock::Overdue { minutes } => (Some(minutes), None),
                anwei_rules::accident::chain::Clock::Running { minutes_left } => {
                    (None, Some(minutes_left))
                }
                _ => (None, None),
            };
            BoardLine {
                due: short(row.due_at),
                due_at: instant(row.due_at),
                seconds_left: seconds_between(now, row.due_at),
                row,
                late_minutes: late,
                minutes_left: left,
            }
        })
        .collect();
    let b = Base::new(&state, &ctx, Some(&actor), "accident_pages.board");
    render(&BoardPage { b, lines, now })
}
