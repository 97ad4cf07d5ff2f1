//! The system's own account (`系统`, username `@system`: a person's username cannot hold an `@`,
//! so no account made through the service or the CLI takes it first). What the platform writes
//! by itself — the missing-person version of an accident after its window — is attributed to
//! it, not to a person. It belongs to the city office's organisation, is disabled for good (the
//! table's check `account_system_ck`), has no password hash any password matches, is left out
//! of the account list and the first-run count, and cannot be enabled (409). So no login,
//! session or token ever acts as it.

use crate::db::Tx;
use crate::db::now_ms;
use crate::error::{AppError, AppResult};
use crate::ids::{AccountId, OrgId};
use crate::state::AppState;

use super::store;

/// The system account's username.
pub const USERNAME: &str = "@system";
/// Its display name (shown as a version's author).
pub const DISPLAY_NAME: &str = "系统";

/// The system's account and its organisation, created in the city office's organisation the
/// first time it is needed, inside the caller's transaction. An error when the organisations
/// are not loaded yet (there is no city office to hold it).
pub async fn account_in(tx: &mut Tx) -> AppResult<(AccountId, OrgId)> {
    if let Some(found) = store::system_account(tx).await? {
        return Ok(found);
    }
    let org = store::city_office(tx).await?.ok_or_else(|| {
        AppError::Internal(anyhow::anyhow!("no city office to hold the system account"))
    })?;
    let id = store::insert_system(tx, USERNAME, DISPLAY_NAME, org, now_ms()).await?;
    Ok((id, org))
}

/// Creates the system's account at start-up when the organisations exist and it does not
/// yet. Safe to run at every start.
pub async fn ensure(state: &AppState) -> AppResult<()> {
    let mut tx = state.db.begin().await?;
    if store::city_office(&mut tx).await?.is_none() {
        return Ok(());
    }
    account_in(&mut tx).await?;
    tx.commit().await?;
    Ok(())
}
