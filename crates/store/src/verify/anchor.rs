//! Writing checkpoints: the tip signed and appended to the checkpoint file, by `ecoduty ledger
//! checkpoint` and by the server on a schedule and after bulk writes.
//!
//! A checkpoint is only written over a chain that extends the last one in the file: the
//! entry the last checkpoint signed must still have its hash, and every entry after it must
//! chain from it (recomputed). So a rewritten ledger is never signed as if it were sound; the
//! first checkpoint of a file recomputes the chain from its start.

use std::time::Duration;

use sqlx::Row;

use crate::checkpoints::{Checkpoint, CheckpointFile, SigningKey, Tip};
use crate::error::{StoreError, StoreResult};
use crate::ledger::GENESIS;
use crate::Store;

impl Store {
    /// The chain's latest entry as stored (sequence 0 and the genesis hash while empty).
    pub async fn ledger_head(&self) -> StoreResult<Tip> {
        let row = sqlx::query("SELECT seq, hash FROM ledger ORDER BY seq DESC LIMIT 1")
            .fetch_optional(&self.pool)
            .await?;
        let (seq, hash) = match row {
            Some(r) => (r.try_get::<i64, _>(0)?, r.try_get::<String, _>(1)?),
            None => (0, GENESIS.to_string()),
        };
        Ok(Tip {
            seq,
            hash,
            algorithm: self.hash_algorithm(),
        })
    }

    /// Signs the current tip with `key` and appends it to `file`, after checking that the
    /// chain extends the file's last checkpoint. Refused (nothing written) when it does not.
    pub async fn write_checkpoint(
        &self,
        key: &SigningKey,
        file: &CheckpointFile,
    ) -> StoreResult<Checkpoint> {
        let tip = self.ledger_head().await?;
        self.check_extends(file, &tip).await?;
        let c = key.sign(&tip, &crate::ledger::now());
        file.append(&c)?;
        Ok(c)
    }

    /// [`Store::write_checkpoint`] unless the file's last checkpoint already signs the tip.
    pub async fn checkpoint_if_moved(
        &self,
        key: &SigningKey,
        file: &CheckpointFile,
    ) -> StoreResult<Option<Checkpoint>> {
        let tip = self.ledger_head().await?;
        let last = file.read()?.pop().map(|f| f.checkpoint);
        if last.is_some_and(|l| l.seq == tip.seq && l.hash == tip.hash) {
            return Ok(None);
        }
        self.write_checkpoint(key, file).await.map(Some)
    }

    async fn check_extends(&self, file: &CheckpointFile, tip: &Tip) -> StoreResult<()> {
        let refuse = |problem: String| {
            StoreError::invalid(
                "checkpoint",
                format!(
                    "not signed: {problem}; run `ecoduty ledger verify --checkpoints {}`",
                    file.path().display()
                ),
            )
        };
        let from = match file.read()?.pop() {
            None => (0, GENESIS.to_string()),
            Some(f) => {
                let last = f.checkpoint;
                if last.seq > tip.seq {
                    return Err(refuse(format!(
                        "the last checkpoint signs entry {}, beyond the ledger's end at {}",
                        last.seq, tip.seq
                    )));
                }
                if last.seq > 0 {
                    let now: Option<String> =
                        sqlx::query_scalar("SELECT hash FROM ledger WHERE seq = $1")
                            .bind(last.seq)
                            .fetch_optional(&self.pool)
                            .await?;
                    if now.as_deref() != Some(last.hash.as_str()) {
                        return Err(refuse(format!(
                            "entry {} no longer has the hash the last checkpoint signed",
                            last.seq
                        )));
                    }
                }
                (last.seq, last.hash)
            }
        };
        let walked = super::walk(self, from, tip.seq, super::PAGE, |_| {}).await?;
        if let Some(m) = walked.first {
            return Err(refuse(format!(
                "entry {} does not chain: {}",
                m.seq, m.problem
            )));
        }
        if walked.tip.0 != tip.seq {
            return Err(refuse(format!(
                "the chain ends at entry {}, not {}",
                walked.tip.0, tip.seq
            )));
        }
        Ok(())
    }

    /// Writes a checkpoint whenever the tip has moved, every `every` and as soon as a bulk
    /// write commits (see [`Store::bulk_written`]); runs until dropped. Failures are logged
    /// and tried again next round.
    pub async fn run_checkpoints(&self, key: SigningKey, file: CheckpointFile, every: Duration) {
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                _ = tick.tick() => {}
                _ = self.bulk_written() => {}
            }
            match self.checkpoint_if_moved(&key, &file).await {
                Ok(Some(c)) => {
                    tracing::info!(seq = c.seq, hash = %c.hash, "ledger checkpoint written")
                }
                Ok(None) => {}
                Err(e) => tracing::error!(error = %e, "ledger checkpoint not written"),
            }
        }
    }
}
