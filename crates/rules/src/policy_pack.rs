//! The built-in policy pack of 通安委〔2022〕10号: the Tonghua City Work Safety Committee's
//! 《关于进一步强化安全生产责任落实坚决防范遏制重特大事故的实施办法》 (issued 2022-05-30).
//!
//! It holds the document's 15 measures (the State Council Work Safety Committee's 15 measures),
//! its 43 articles, the 66 key tasks of its attachment 重点任务分工表 with their original
//! responsible-unit and deadline texts, and the six dated deliverables (报送事项) the document
//! names. The texts are faithful to the source; every repair of an extraction defect is noted
//! in a comment beside the entry in `policy_pack/tonghua_2022_10.rs`.

use chrono::NaiveDate;
use serde::Serialize;

use crate::deadline_phrase::{self, Deadline};
use crate::error::PhraseError;
use crate::unit_phrase::{self, UnitSelector};

pub mod notes;
mod tonghua_2022_10;

/// Identifies a policy document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct PackMeta {
    /// Stable identifier of the pack.
    pub code: &'static str,
    /// 文号.
    pub doc_number: &'static str,
    /// 标题, without the issuer.
    pub title: &'static str,
    /// English title.
    pub title_en: &'static str,
    /// 发文机关.
    pub issuer: &'static str,
    /// 成文日期.
    pub issued_on: NaiveDate,
}

/// One of the 15 measures (一 … 十五), the document's headings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Measure {
    /// 1 ..= 15.
    pub number: u8,
    /// The heading as printed in the body, without its numbering.
    pub title_zh: &'static str,
    pub title_en: &'static str,
    /// The heading as printed in the attachment's first column, where it differs from the body
    /// in wording (kept so that an import of the table can recognise it).
    pub table_title_zh: &'static str,
}

/// One of the 43 articles (（一） … （四十三）).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Article {
    /// 1 ..= 43.
    pub number: u8,
    /// The measure it belongs to, 1 ..= 15.
    pub measure: u8,
    /// The lead phrase, e.g. 树牢安全发展理念.
    pub title_zh: &'static str,
    /// The whole paragraph including the lead phrase, without the （一） numbering.
    pub text_zh: &'static str,
}

/// One of the 66 key tasks of the attachment 重点任务分工表.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct PackTask {
    /// 1 ..= 66.
    pub number: u8,
    /// The measure it belongs to, 1 ..= 15.
    pub measure: u8,
    /// The article(s) it implements, determined by reading the task against the body.
    pub articles: &'static [u8],
    /// 重点任务: the task text, without its leading number.
    pub content: &'static str,
    /// 责任单位: see [`unit_phrase::parse`].
    pub units_text: &'static str,
    /// 完成时限: see [`deadline_phrase::parse`].
    pub deadline_text: &'static str,
}

impl PackTask {
    /// The deadline phrase read into structure.
    pub fn deadline(&self) -> Result<Deadline, PhraseError> {
        deadline_phrase::parse(self.deadline_text)
    }

    /// The responsible-unit phrase read into selectors.
    pub fn units(&self) -> Result<Vec<UnitSelector>, PhraseError> {
        unit_phrase::parse(self.units_text)
    }
}

/// A dated deliverable (报送事项) that every locality and department sends to the city
/// committee office (市安委会办公室).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct PackDeliverable {
    pub code: &'static str,
    pub title_zh: &'static str,
    pub title_en: &'static str,
    pub due: NaiveDate,
    /// The article that asks for it; `None` for the closing paragraph after article 43.
    pub source_article: Option<u8>,
}

/// A whole policy pack.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Pack {
    pub meta: PackMeta,
    /// The paragraph before the first measure.
    pub preamble_zh: &'static str,
    /// The paragraph after the last article (the implementation requirements and the
    /// deliverables' dates).
    pub closing_zh: &'static str,
    pub measures: &'static [Measure],
    pub articles: &'static [Article],
    pub tasks: &'static [PackTask],
    pub deliverables: &'static [PackDeliverable],
}

impl Pack {
    /// The measure with this number.
    pub fn measure(&self, number: u8) -> Option<&'static Measure> {
        self.measures.iter().find(|m| m.number == number)
    }

    /// The article with this number.
    pub fn article(&self, number: u8) -> Option<&'static Article> {
        self.articles.iter().find(|a| a.number == number)
    }

    /// The task with this number.
    pub fn task(&self, number: u8) -> Option<&'static PackTask> {
        self.tasks.iter().find(|t| t.number == number)
    }
}

/// The identity of 通安委〔2022〕10号.
pub static META: PackMeta = tonghua_2022_10::META;
/// Its 15 measures.
pub static MEASURES: &[Measure] = &tonghua_2022_10::MEASURES;
/// Its 43 articles.
pub static ARTICLES: &[Article] = &tonghua_2022_10::ARTICLES;
/// Its 66 key tasks.
pub static TASKS: &[PackTask] = &tonghua_2022_10::TASKS;
/// Its 6 dated deliverables.
pub static DELIVERABLES: &[PackDeliverable] = &tonghua_2022_10::DELIVERABLES;

static BUILTIN: Pack = Pack {
    meta: tonghua_2022_10::META,
    preamble_zh: tonghua_2022_10::PREAMBLE_ZH,
    closing_zh: tonghua_2022_10::CLOSING_ZH,
    measures: &tonghua_2022_10::MEASURES,
    articles: &tonghua_2022_10::ARTICLES,
    tasks: &tonghua_2022_10::TASKS,
    deliverables: &tonghua_2022_10::DELIVERABLES,
};

/// The built-in pack: 通安委〔2022〕10号.
pub fn builtin() -> &'static Pack {
    &BUILTIN
}

/// A task with its phrases read: the deadline and the responsible units.
pub type ParsedTask = (
    &'static PackTask,
    Result<Deadline, PhraseError>,
    Result<Vec<UnitSelector>, PhraseError>,
);

/// Every built-in task with its deadline and unit phrases parsed, in task order.
pub fn parsed_tasks() -> Vec<ParsedTask> {
    TASKS
        .iter()
        .map(|task| (task, task.deadline(), task.units()))
        .collect()
}

#[cfg(test)]
mod tests;
