//! [`Act`]: what a business step (a domain's `actions.rs`) works with besides its transaction
//! and its input — who acts, the app's state, and the work that waits for the commit.
//!
//! A REST route and a sync push make one the same way and call the same action, so a step has
//! one set of rules (validation, scope, audit) whichever way it arrives:
//!
//! ```text
//! let act = Act::new(&state, &ctx);
//! let mut tx = state.db.begin_write().await?;
//! let contact = contacts::actions::create(&act, &mut tx, &body).await?;
//! tx.commit().await?;
//! act.committed().await;
//! ```

use crate::auth::Ctx;
use crate::error::AppResult;
use crate::scope::Scope;
use crate::state::AppState;
use std::future::Future;
use std::pin::Pin;
use std::sync::Mutex;

type Later = Pin<Box<dyn Future<Output = ()> + Send>>;

pub struct Act<'a> {
    pub state: &'a AppState,
    pub ctx: &'a Ctx,
    /// Work for after the commit (telling matching buyers of a listing put on the market).
    later: Mutex<Vec<Later>>,
}

impl<'a> Act<'a> {
    pub fn new(state: &'a AppState, ctx: &'a Ctx) -> Act<'a> {
        Act { state, ctx, later: Mutex::new(Vec::new()) }
    }

    /// The records the caller may see and change. An action reads every record it touches
    /// through it, so a record out of scope is "not found" to a write as it is to a read.
    pub async fn scope(&self) -> AppResult<&'a Scope> {
        Ok(self.ctx.scope(&self.state.db).await?)
    }

    /// Runs `work` once the transaction has committed ([`Act::committed`]); never if it does not.
    pub fn after_commit(&self, work: impl Future<Output = ()> + Send + 'static) {
        self.later.lock().unwrap_or_else(std::sync::PoisonError::into_inner).push(Box::pin(work));
    }

    /// How much work waits: a mark to [`Act::forget_since`] when a savepoint is rolled back.
    pub fn waiting(&self) -> usize {
        self.later.lock().unwrap_or_else(std::sync::PoisonError::into_inner).len()
    }

    /// Drops the work queued since `mark`: the writes it followed were rolled back.
    pub fn forget_since(&self, mark: usize) {
        self.later.lock().unwrap_or_else(std::sync::PoisonError::into_inner).truncate(mark);
    }

    /// The transaction has committed: do what waited for it.
    pub async fn committed(self) {
        let later = self.later.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner);
        for work in later {
            work.await;
        }
    }
}
