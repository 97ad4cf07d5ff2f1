//! The home page: what concerns the signed-in person's organisation right now.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use serde::Deserialize;

use crate::auth::model::{Actor, Perm};
use crate::error::AppResult;
use crate::policy::model::DeliverableRow;
use crate::state::AppState;
use crate::web::Base;
use crate::web::ctx::RequestCtx;
use crate::web::extract::Q;
use crate::web::page::render;

pub fn routes() -> Router<AppState> {
    Router::new().route("/", get(home))
}

pub struct Tile {
    pub label_key: &'static str,
    pub value: String,
    pub href: String,
    pub light: &'static str,
}

#[derive(Template)]
#[template(path = "home.html")]
pub struct HomePage {
    pub b: Base,
    pub tiles: Vec<Tile>,
    pub deliverables: Vec<DeliverableRow>,
    pub today: String,
    pub notifications: Vec<crate::notify::service::Notification>,
    pub org_code: String,
    pub org_name: String,
    pub role_label: String,
}

#[derive(Deserialize, Default)]
pub struct HomeQuery {
    pub flash: Option<String>,
}

pub async fn home(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    Q(q): Q<HomeQuery>,
) -> AppResult<Response> {
    let mut tiles = Vec::new();
    let mut deliverables = Vec::new();
    let today = crate::time::today().to_string();
    if actor.can(Perm::TaskRead) {
        // What is wrong right now comes first: red, then yellow, then our own open work.
        let f = crate::supervision::model::AssignmentFilter {
            per_page: Some(1),
            ..Default::default()
        };
        if let Ok(r) = crate::supervision::service::list(&state, &actor, &f).await {
            let n = |l: &str| {
                r.counts
                    .iter()
                    .find(|(k, _)| k == l)
                    .map(|(_, v)| *v)
                    .unwrap_or(0)
            };
            tiles.push(Tile {
                label_key: "home.red_assignments",
                value: n("red").to_string(),
                href: "/supervision?light=red".into(),
                light: if n("red") > 0 { "red" } else { "green" },
            });
            tiles.push(Tile {
                label_key: "home.yellow_assignments",
                value: n("yellow").to_string(),
                href: "/supervision?light=yellow".into(),
                light: if n("yellow") > 0 { "yellow" } else { "none" },
            });
        }
        if actor.can(Perm::TaskReport) {
            let mine = crate::supervision::model::AssignmentFilter {
                org: Some(actor.org_code.clone()),
                per_page: Some(1),
                ..Default::default()
            };
            if let Ok(r) = crate::supervision::service::list(&state, &actor, &mine).await {
                let open: i64 = r
                    .counts
                    .iter()
                    .filter(|(k, _)| k != "grey")
                    .map(|(_, v)| v)
                    .sum();
                tiles.push(Tile {
                    label_key: "home.my_open_assignments",
                    value: open.to_string(),
                    href: "/supervision/inbox".into(),
                    light: "none",
                });
            }
        }
    }
    if actor.can(Perm::TaskRead)
        && let Ok((missed, at_risk)) = crate::duties::views::board_counts(&state, &actor).await
    {
        tiles.push(Tile {
            label_key: "home.duties_missed",
            value: missed.to_string(),
            href: "/duties/heatmap".into(),
            light: if missed > 0 { "red" } else { "green" },
        });
        tiles.push(Tile {
            label_key: "home.duties_at_risk",
            value: at_risk.to_string(),
            href: "/duties/at-risk".into(),
            light: if at_risk > 0 { "yellow" } else { "none" },
        });
    }
    if actor.can(Perm::OrgRead) {
        let orgs = crate::orgs::service::list(&state, &actor, &Default::default()).await?;
        let supervising = orgs.iter().filter(|o| o.supervises_safety).count();
        tiles.push(Tile {
            label_key: "home.orgs_in_scope",
            value: orgs.len().to_string(),
            href: "/orgs".into(),
            light: "none",
        });
        tiles.push(Tile {
            label_key: "home.supervising_depts",
            value: supervising.to_string(),
            href: "/orgs?supervising=true".into(),
            light: "none",
        });
    }
    if actor.can(Perm::PeopleRead) {
        let (positions, _) =
            crate::people::service::positions(&state, &actor, None, 1, 100_000).await?;
        let vacant = positions.iter().filter(|p| p.holder_id.is_none()).count();
        tiles.push(Tile {
            label_key: "home.vacant_positions",
            value: vacant.to_string(),
            href: "/people".into(),
            light: if vacant > 0 { "yellow" } else { "green" },
        });
    }
    if actor.can(Perm::PolicyRead) {
        let o = crate::policy::service::overview(&state, &actor, &Default::default()).await?;
        tiles.push(Tile {
            label_key: "home.policy_tasks",
            value: o.tasks.len().to_string(),
            href: "/policy".into(),
            light: "none",
        });
        let ongoing = o.tasks.iter().filter(|t| t.ongoing).count();
        tiles.push(Tile {
            label_key: "home.ongoing_tasks",
            value: ongoing.to_string(),
            href: "/policy?kind=dated_then_ongoing".into(),
            light: "none",
        });
        deliverables = o.deliverables;
    }
    // Issue 12: the year's assessment inputs (一票否决 / 一票否优) of a government account.
    if actor.can(Perm::AccidentRead)
        && crate::orgs::service::scope_params(&actor)
            .path_like
            .is_some()
    {
        let v = crate::accidents::assessment::service::veto(&state, &actor, &Default::default())
            .await?;
        let hit =
            |x: &&crate::accidents::assessment::model::TerritoryVeto| x.veto || x.no_excellent;
        let vetoed = v.territories.iter().any(|x| x.veto);
        tiles.push(Tile {
            label_key: "assessment.tile",
            value: v.territories.iter().filter(hit).count().to_string(),
            href: "/assessment/veto".into(),
            light: if vetoed {
                "red"
            } else if v.territories.iter().any(|x| x.no_excellent) {
                "yellow"
            } else {
                "green"
            },
        });
    }
    let notifications = crate::notify::service::list(&state, &actor, 5).await?;
    let unread = notifications.iter().filter(|n| n.read_at.is_none()).count();
    tiles.push(Tile {
        label_key: "home.unread",
        value: unread.to_string(),
        href: "/inbox".into(),
        light: if unread > 0 { "yellow" } else { "none" },
    });
    let flash = q.flash.as_deref().map(|f| {
        crate::i18n::t(
            ctx.lang,
            &format!(
                "flash.{}",
                f.chars()
                    .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect::<String>()
            ),
        )
    });
    let b = Base::new(&state, &ctx, Some(&actor), "home.title").with_flash(flash);
    render(&HomePage {
        role_label: b.t.t(&actor.role.label_key()),
        org_code: actor.org_code.clone(),
        org_name: actor.org_name.clone(),
        tiles,
        deliverables,
        today,
        notifications,
        b,
    })
}
