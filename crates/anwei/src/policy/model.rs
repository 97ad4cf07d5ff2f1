use serde::{Deserialize, Serialize};

use crate::ids::{Day, PolicyId};

#[derive(Debug, Clone, sqlx::FromRow, Serialize, utoipa::ToSchema)]
pub struct PolicyRow {
    pub id: PolicyId,
    pub code: String,
    pub doc_number: String,
    pub title: String,
    pub issuer: String,
    pub issued_on: String,
    pub builtin: bool,
}

#[derive(Debug, Clone, sqlx::FromRow, Serialize, utoipa::ToSchema)]
pub struct MeasureRow {
    pub number: i64,
    pub title_zh: String,
    pub title_en: String,
}

#[derive(Debug, Clone, sqlx::FromRow, Serialize, utoipa::ToSchema)]
pub struct ArticleRow {
    pub number: i64,
    pub measure_number: i64,
    pub title_zh: String,
    pub text_zh: String,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TaskRow {
    pub number: i64,
    pub measure_number: i64,
    pub articles: String,
    pub content: String,
    pub units_text: String,
    pub deadline_text: String,
    pub deadline_kind: String,
    pub due: Option<Day>,
    pub ongoing: bool,
    pub window_start: Option<Day>,
    pub window_end: Option<Day>,
    pub selectors: String,
    pub updated_at: i64,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DeadlineView {
    pub kind: String,
    pub due: Option<Day>,
    pub ongoing: bool,
    pub window_start: Option<Day>,
    pub window_end: Option<Day>,
}

impl DeadlineView {
    /// "by 2022年9月30日, then ongoing" in the reader's language.
    pub fn label(&self, t: &crate::i18n::Tr) -> String {
        let mut parts = Vec::new();
        if let (Some(s), Some(e)) = (&self.window_start, &self.window_end) {
            parts.push(format!("{} – {}", t.date(s), t.date(e)));
        } else if let Some(due) = &self.due {
            parts.push(format!("{} {}", t.t("deadline.due_by"), t.date(due)));
        }
        if self.ongoing {
            parts.push(t.t("deadline.ongoing"));
        }
        if parts.is_empty() {
            parts.push(t.t("deadline.no_fixed_date"));
        }
        parts.join(if t.lang == crate::i18n::Lang::En {
            ", "
        } else {
            "，"
        })
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SelectorView {
    pub code: String,
    pub scope: String,
    pub target: String,
    pub description: String,
}

/// A key task as the API shows it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct TaskView {
    pub number: i64,
    pub measure: i64,
    pub articles: Vec<i64>,
    pub content: String,
    pub units_text: String,
    pub deadline_text: String,
    pub deadline: DeadlineView,
    pub units: Vec<SelectorView>,
}

impl TaskRow {
    pub fn view(&self, lang: crate::i18n::Lang) -> TaskView {
        TaskView {
            number: self.number,
            measure: self.measure_number,
            articles: self.article_numbers(),
            content: self.content.clone(),
            units_text: self.units_text.clone(),
            deadline_text: self.deadline_text.clone(),
            deadline: DeadlineView {
                kind: self.deadline_kind.clone(),
                due: self.due,
                ongoing: self.ongoing,
                window_start: self.window_start,
                window_end: self.window_end,
            },
            units: self.selector_views(lang),
        }
    }
    pub fn article_numbers(&self) -> Vec<i64> {
        self.articles
            .split(',')
            .filter_map(|s| s.trim().parse().ok())
            .collect()
    }
    pub fn selector_views(&self, lang: crate::i18n::Lang) -> Vec<SelectorView> {
        self.selectors
            .split(';')
            .filter(|s| !s.is_empty())
            .filter_map(anwei_rules::unit_phrase::UnitSelector::parse_code)
            .map(|s| SelectorView {
                code: s.code(),
                scope: s.scope.code().to_string(),
                target: s.target.code(),
                description: if lang == crate::i18n::Lang::En {
                    s.describe_en()
                } else {
                    s.describe_zh()
                },
            })
            .collect()
    }
}

#[derive(Debug, Clone, sqlx::FromRow, Serialize, utoipa::ToSchema)]
pub struct DeliverableRow {
    pub code: String,
    pub title_zh: String,
    pub title_en: String,
    pub due: String,
    pub article_number: Option<i64>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct TaskFilter {
    pub measure: Option<i64>,
    pub q: Option<String>,
    /// `dated`, `dated_then_ongoing`, `ongoing`, `window`, `no_fixed_date`.
    pub kind: Option<String>,
    pub policy: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct EditTaskInput {
    pub content: String,
    pub units_text: String,
    pub deadline_text: String,
}
