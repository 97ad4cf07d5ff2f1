//! HTML handlers of recurring duties: the compliance table with lights, and the form that
//! records an activity. One file per sub-feature:
//!
//! - `activities`: the record form, one record's page, correction, added evidence, late acceptance;
//! - `views`: the heat map, the at-risk list, a leader's scorecard, the workbook export;
//! - `rules`: the duty-rule list and its forms.
//!
//! This file holds what they (and the compliance, sensitive-period and coverage pages) share:
//! choices for selects, labels, rule titles, record lines.

pub mod activities;
pub mod rules;
pub mod views;

use anwei_rules::duties::{ActivityKind, PeriodKind};
use serde::Deserialize;

use super::model::ActivityRow;
use crate::i18n::Lang;
use crate::ids::{ActivityId, Day};
use crate::state::AppState;

/// One recent record on the organisation's page.
pub struct ActivityLine {
    pub id: ActivityId,
    pub date: Day,
    pub kind: String,
    pub title: String,
    pub position: String,
    pub evidence: i64,
    pub late: bool,
    pub accepted: bool,
}

fn kind_label(kind: &str, lang: Lang) -> String {
    match (ActivityKind::parse(kind), lang) {
        (Some(k), Lang::En) => k.name_en().to_string(),
        (Some(k), _) => k.name_zh().to_string(),
        (None, _) => kind.to_string(),
    }
}

pub(super) fn activity_line(a: ActivityRow, lang: Lang) -> ActivityLine {
    ActivityLine {
        id: a.id,
        date: a.date,
        kind: kind_label(a.kind.code(), lang),
        title: a.title,
        position: a.position_title.unwrap_or_default(),
        // A record made from an inspection has the inspection as its evidence.
        evidence: a.evidence_count + i64::from(a.inspection_id.is_some()),
        late: a.entered_late,
        accepted: a.accepted_late,
    }
}

/// Rule titles by code in the reader's language, office-added rules included.
pub(super) async fn rule_titles(
    state: &AppState,
    lang: Lang,
) -> std::collections::HashMap<String, String> {
    super::rules::defs(state)
        .await
        .unwrap_or_default()
        .iter()
        .map(|d| (d.row.code.clone(), d.title(lang).to_string()))
        .collect()
}

pub struct Choice {
    pub value: String,
    pub label: String,
}

#[derive(Deserialize, Default)]
pub struct RecordedQuery {
    pub recorded: Option<String>,
    pub saved: Option<String>,
}

pub(super) fn period_label(code: &str, lang: Lang) -> String {
    match (PeriodKind::parse(code), lang) {
        (Some(p), Lang::En) => p.name_en().to_string(),
        (Some(p), _) => p.name_zh().to_string(),
        (None, _) => code.to_string(),
    }
}
