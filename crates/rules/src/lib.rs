//! Anwei's rules: the regulations behind the platform as pure functions.
//!
//! No IO, no async, no database. Every rule names the regulation it comes from in its doc
//! comment. The first regulation here is 通安委〔2022〕10号, the Tonghua City Work Safety
//! Committee's implementation measures 《关于进一步强化安全生产责任落实坚决防范遏制重特大事故的实施办法》
//! (43 articles under the State Council's 15 measures, with a table of 66 key tasks).
//!
//! - [`org`]: the vocabulary of the organisation tree (kinds, levels, sectors).
//! - [`deadline_phrase`]: the table's 完成时限 phrases as due dates and flags.
//! - [`unit_phrase`]: the table's 责任单位 phrases as selectors over the organisation tree.
//! - [`policy_pack`]: the built-in policy pack of 通安委〔2022〕10号.
//! - [`duties`]: recurring duties of leaders and departments (党政同责、一岗双责): periods, duty
//!   rules, sensitive periods and compliance.
//! - [`enterprise`]: enterprise identity — 统一社会信用代码 (GB 32100-2015), 公民身份号码
//!   (GB 11643-1999), 行业 (GB/T 4754-2017), scale and managing level.
//! - [`risk`]: risk assessment by LEC and LS and the four colours (安委办〔2016〕11号), with
//!   configurable bands.
//! - [`hazard`]: hazards — GB 6441-1986 accident types, grades, the hazard record's life and
//!   the 重大事故隐患判定标准 criteria.
//! - [`supervisors`]: 管行业必须管安全 — which sectors' departments supervise an industry, and
//!   the principles for naming a lead department where none does.
//! - [`report`]: 安全生产举报 — categories, channels, the handling steps and the receipt code.
//! - [`campaign`]: inspections and campaigns — kinds, place types, the two-officer rule and
//!   the unlisted-major-hazard rule (article 十七).
//! - [`accident`]: production-safety accidents (国务院令第493号) — grades and the criterion that
//!   decided them, supplementary-report windows, missing persons, the reporting chain and its
//!   clocks, investigation deadlines, fines, 一票否决 / 一票否优.
//! - [`ban`]: the principal-person ban (安全生产法 第九十四条).
//! - [`reward`]: whistleblower rewards (安监总财〔2018〕19号).

#![forbid(unsafe_code)]

#[macro_use]
mod macros;

pub mod accident;
pub mod ban;
pub mod campaign;
pub mod deadline_phrase;
pub mod deliverables;
pub mod duties;
pub mod enterprise;
pub mod error;
pub mod hazard;
mod hazard_criteria;
mod industry_table;
pub mod org;
pub mod policy_pack;
pub mod report;
pub mod reward;
pub mod risk;
pub mod supervision;
pub mod supervisors;
pub mod unit_phrase;

pub use error::{PhraseError, PhraseProblem, UnknownCode};
