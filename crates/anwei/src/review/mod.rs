//! The submit-and-review core (提交—审核): an organisation submits text and evidence files
//! about a subject of some capability; someone else decides — accept, or return with a
//! comment; the other side is told; the history is kept.
//!
//! A capability owns its subject and its state machine (in `anwei-rules`): supervision's
//! assignments (`supervision/`), deliverable requirements (`deliverables/`), and next hazards'
//! rectification and public reports' handling. It calls this core's service inside its own
//! use case (`Act`), so the submission, the state change and the audit record commit
//! together. The core keeps what every such loop shares:
//!
//! - one table of submissions (`submission`, keyed by `subject_kind` + `subject_id`) with
//!   their files (`submission_file`), at most one waiting for a decision per subject;
//! - the checks of the text and the files before anything is stored ([`service::draft`]);
//! - the reviewer rule ([`service::may_review`]): never an account of the organisation whose
//!   work it is, never the account that submitted it — refused and audited; duties' late
//!   acceptance applies the same rule;
//! - the decision ([`service::decide`]) with its comment (required to return) and the notice
//!   to the submitting organisation.

pub mod model;
pub mod pages;
pub mod service;
mod store;
