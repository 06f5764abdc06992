//! Timing of long operations (a roster import, a scheduler pass) phase by phase, logged at
//! debug level: `ECODUTY_LOG=ecoduty_store=debug` shows where such an operation spends its time.

use std::time::Instant;

/// The start of an operation whose phases are timed.
pub(crate) struct Phases {
    operation: &'static str,
    started: Instant,
}

impl Phases {
    pub fn start(operation: &'static str) -> Phases {
        Phases {
            operation,
            started: Instant::now(),
        }
    }

    /// Logs that a phase ended, with the time since the operation started.
    pub fn done(&self, phase: &str) {
        tracing::debug!(
            operation = self.operation,
            phase,
            elapsed_ms = self.started.elapsed().as_millis() as u64,
            "phase done"
        );
    }
}
