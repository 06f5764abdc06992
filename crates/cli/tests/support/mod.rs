//! The `ecoduty` binary run over a database of its own in a temporary folder (included by the
//! CLI tests that share it).

#![allow(dead_code)]

use std::path::PathBuf;
use std::process::{Command, Output};

pub struct Cli {
    pub dir: tempfile::TempDir,
    pub db: String,
}

impl Cli {
    pub fn demo() -> Cli {
        let dir = tempfile::tempdir().unwrap();
        let db = format!("sqlite://{}/cli.db", dir.path().display());
        let cli = Cli { dir, db };
        cli.ok("办事员", &["demo", "--quiet"]);
        cli
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn run(&self, actor: &str, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_ecoduty"))
            .args(["--db", &self.db, "--actor", actor])
            .args(args)
            .output()
            .unwrap()
    }

    pub fn ok(&self, actor: &str, args: &[&str]) -> String {
        let out = self.run(actor, args);
        assert!(
            out.status.success(),
            "{args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    pub fn refused(&self, actor: &str, args: &[&str]) -> String {
        let out = self.run(actor, args);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stdout)
        );
        String::from_utf8(out.stderr).unwrap()
    }
}
