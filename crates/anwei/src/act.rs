//! The use-case context (`Act`): who acts, for which request, in one open transaction.
//!
//! A handler parses its input, opens an `Act` and passes it to the service; the service
//! checks permission (`require`) and data scope (`sees`) — each refusal audited — works
//! through its store on `act.tx()`, may call another capability's *service* with the same
//! `Act` (same transaction: both commit or neither), records its audit event (`audit`), and
//! the handler commits. A capability never calls another capability's store.
//!
//! ```text
//! handler ──parse──▶ Act::begin(state, actor) ──▶ service(&mut act, cmd)
//!                                                   ├─ act.require(perm, action, target)?   403, audited
//!                                                   ├─ act.sees(&object, action, target)?   404, audited
//!                                                   ├─ store::…(act.tx())
//!                                                   ├─ other::service::…(&mut act, …)       same tx
//!                                                   └─ act.audit(Event::ok(…))
//!         ◀──────────────── act.commit() ──────────────┘
//! ```
//!
//! A refusal ends the use case: the transaction opened so far is rolled back (nothing
//! half-saved) before the denial is recorded in a transaction of its own — on SQLite there is
//! one writer, so the denial could not be written while the use case's transaction held it.

use crate::audit::{self, Event};
use crate::auth::model::{Actor, Perm, Scope};
use crate::db::Tx;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// Something that belongs to an organisation and so lies inside or outside a data scope.
pub trait Scoped {
    /// The organisation it belongs to.
    fn scope_org_id(&self) -> crate::ids::OrgId;
    /// The materialised path of that organisation's region (e.g. `/1/3/`).
    fn scope_region_path(&self) -> &str;
}

/// True when `object` lies inside the actor's data scope.
pub fn in_scope(actor: &Actor, object: &impl Scoped) -> bool {
    match actor.scope() {
        Scope::Region(prefix) => object.scope_region_path().starts_with(&prefix),
        Scope::Org(id) => object.scope_org_id() == id,
    }
}

/// What a target is called in an audit record: its type and id.
#[derive(Debug, Clone, Copy)]
pub struct Target<'a> {
    pub kind: &'static str,
    pub id: &'a str,
}

pub struct Act<'s> {
    pub state: &'s AppState,
    pub actor: &'s Actor,
    tx: Tx,
}

impl<'s> Act<'s> {
    /// A use case that changes something: a write transaction (on SQLite the write lock is
    /// taken at once).
    pub async fn begin(state: &'s AppState, actor: &'s Actor) -> AppResult<Act<'s>> {
        Ok(Act {
            state,
            actor,
            tx: state.db.begin().await?,
        })
    }

    /// A use case that only reads: a consistent snapshot that never blocks writers.
    pub async fn read(state: &'s AppState, actor: &'s Actor) -> AppResult<Act<'s>> {
        Ok(Act {
            state,
            actor,
            tx: state.db.read().await?,
        })
    }

    /// The open transaction, for the capability's own store.
    pub fn tx(&mut self) -> &mut Tx {
        &mut self.tx
    }

    /// The actor's role must allow `perm`; otherwise 403, audited as denied.
    pub async fn require(
        &mut self,
        perm: Perm,
        action: &'static str,
        t: Target<'_>,
    ) -> AppResult<()> {
        if self.actor.can(perm) {
            return Ok(());
        }
        self.refuse(action, t).await?;
        Err(AppError::Forbidden)
    }

    /// The object must lie in the actor's data scope; otherwise 404 (outside the scope it
    /// does not exist, for a read and a change alike), audited as denied.
    pub async fn sees(
        &mut self,
        object: &impl Scoped,
        action: &'static str,
        t: Target<'_>,
    ) -> AppResult<()> {
        if in_scope(self.actor, object) {
            return Ok(());
        }
        self.refuse(action, t).await?;
        Err(AppError::NotFound)
    }

    /// Loads the object `id` of kind `kind` for `action`: the role must allow `perm` (403), the
    /// object must exist (404) and lie in the actor's scope (404, audited) — the three checks
    /// every "open this one" use case starts with. `fetch` reads it through the capability's
    /// own store in this use case's transaction.
    pub async fn load<T: Scoped>(
        &mut self,
        perm: Perm,
        action: &'static str,
        kind: &'static str,
        id: impl std::fmt::Display,
        fetch: impl AsyncFnOnce(&mut Tx) -> Result<Option<T>, sqlx::Error>,
    ) -> AppResult<T> {
        let sid = id.to_string();
        let t = Target { kind, id: &sid };
        self.require(perm, action, t).await?;
        let object = fetch(&mut self.tx).await?.ok_or(AppError::NotFound)?;
        self.sees(&object, action, t).await?;
        Ok(object)
    }

    /// [`Act::load`] with the capability's own `by_id` read: `fetch(tx, id)`.
    pub async fn load_by<I: std::fmt::Display + Copy, T: Scoped>(
        &mut self,
        perm: Perm,
        action: &'static str,
        kind: &'static str,
        id: I,
        fetch: impl AsyncFnOnce(&mut Tx, I) -> Result<Option<T>, sqlx::Error>,
    ) -> AppResult<T> {
        self.load(perm, action, kind, id, async |tx| fetch(tx, id).await)
            .await
    }

    /// Records a refusal decided by the capability itself (a rule more specific than a
    /// permission) and returns `err` to answer with.
    pub async fn refused(
        &mut self,
        action: &'static str,
        t: Target<'_>,
        err: AppError,
    ) -> AppError {
        match self.refuse(action, t).await {
            Ok(()) => err,
            Err(e) => e,
        }
    }

    /// Rolls back what the use case did so far and records the denial on its own.
    async fn refuse(&mut self, action: &'static str, t: Target<'_>) -> AppResult<()> {
        let fresh = self.state.db.read().await?;
        let abandoned = std::mem::replace(&mut self.tx, fresh);
        drop(abandoned);
        audit::record_alone(
            self.state,
            &self.actor.who(),
            Event::denied(action, t.kind, t.id),
        )
        .await
    }

    /// Records an audit event in the use case's transaction: it commits with the change or
    /// not at all.
    pub async fn audit(&mut self, ev: Event) -> AppResult<()> {
        audit::record(self.state, &mut self.tx, &self.actor.who(), ev).await
    }

    /// Commits the use case's transaction.
    pub async fn commit(self) -> AppResult<()> {
        self.tx.commit().await?;
        Ok(())
    }

    /// Ends a write to many organisations (issuing a task, requiring a deliverable): one audit
    /// record `ev` with the counts, then the commit.
    pub async fn finish_fanout(mut self, ev: Event, f: Fanout) -> AppResult<Fanout> {
        let detail = serde_json::json!({"created": f.created, "existing": f.existing});
        self.audit(ev.detail(detail)).await?;
        self.commit().await?;
        Ok(f)
    }
}

/// What a write to many organisations did: how many rows were new, how many were there
/// already (issuing twice creates nothing twice).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Fanout {
    pub created: usize,
    pub existing: usize,
}
