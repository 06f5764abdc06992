//! Signed checkpoints: the ledger's tip (sequence number, hash, time) signed with a key kept
//! outside the database, and exported where the database's owner cannot silently change it.
//!
//! The chain alone is keyless: whoever can write the database can rewrite an entry and
//! recompute every hash after it, or delete the last entries, and the chain still verifies.
//! A checkpoint pins the chain as trusted logs pin theirs (signed tree heads): a later
//! verification against the checkpoints finds a rewrite (a signed hash no longer in the chain
//! at its sequence number) and a truncation (a signed sequence number beyond the tip).
//!
//! This module owns the keys (generation, the key file format, key ids), the checkpoint
//! record and its signature, the append-only JSON-lines file sink, and the comparison of
//! checkpoints with a chain. It knows nothing of the records the chain vouches for.
//!
//! Choices:
//! - Ed25519 (RFC 8032, `ed25519-dalek`) by default; SM2 (GB/T 32918, the RustCrypto `sm2`
//!   crate, deterministic RFC 6979 nonces) for a database whose chain hashes with SM3, so that
//!   such a deployment uses national algorithms throughout. Either verifies either kind.
//! - A key's id is derived from its public key (the first 16 hex digits of the SHA-256 of the
//!   algorithm's name and the public key's bytes), so that a checkpoint naming a key id can
//!   only verify with that key, and several keys (a rotation) can verify one file.
//! - Keys, public keys and checkpoints are one JSON object each, one per line: a keyring is a
//!   file of public keys, and the sink is a file of checkpoints that only grows.
//! - What is signed is the JSON array of every field but the signature, in a fixed order
//!   (the same way the chain's entries are hashed).

use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use ed25519_dalek::Signer as _;
use serde::{Deserialize, Serialize};
use sha2::Digest;

use crate::error::{StoreError, StoreResult};
use crate::ledger::HashAlgorithm;

/// The format of a checkpoint, named in each and covered by its signature.
pub const CHECKPOINT_FORMAT: &str = "ecoduty-ledger-checkpoint/1";
const SECRET_KIND: &str = "ecoduty-ledger-signing-key";
const PUBLIC_KIND: &str = "ecoduty-ledger-public-key";

/// The SM2 distinguishing identifier: GM/T 0009-2012's default, which other SM2 software
/// assumes when none is agreed.
const SM2_DISTID: &str = "1234567812345678";

/// How checkpoints are signed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum SignatureAlgorithm {
    /// Ed25519 (RFC 8032), the default.
    Ed25519,
    /// SM2 (GB/T 32918.2-2016), for databases whose chain hashes with SM3.
    Sm2,
}

impl SignatureAlgorithm {
    pub fn key(self) -> &'static str {
        match self {
            SignatureAlgorithm::Ed25519 => "ed25519",
            SignatureAlgorithm::Sm2 => "sm2",
        }
    }

    /// The algorithm that goes with a chain's hash: SM2 with SM3, Ed25519 otherwise.
    pub fn for_hash(hash: HashAlgorithm) -> SignatureAlgorithm {
        match hash {
            HashAlgorithm::Sm3 => SignatureAlgorithm::Sm2,
            HashAlgorithm::Sha256 => SignatureAlgorithm::Ed25519,
        }
    }
}

impl FromStr for SignatureAlgorithm {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim().to_lowercase().as_str() {
            "ed25519" => Ok(SignatureAlgorithm::Ed25519),
            "sm2" => Ok(SignatureAlgorithm::Sm2),
            other => Err(format!(
                "unknown signature algorithm {other:?}: expected ed25519 or sm2"
            )),
        }
    }
}

impl fmt::Display for SignatureAlgorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

fn invalid(problem: impl Into<String>) -> StoreError {
    StoreError::invalid("key", problem)
}

fn key_id(alg: SignatureAlgorithm, public: &[u8]) -> String {
    let mut h = sha2::Sha256::new();
    h.update(alg.key().as_bytes());
    h.update([0u8]);
    h.update(public);
    hex::encode(&h.finalize()[..8])
}

#[derive(Clone)]
enum Secret {
    Ed25519(Box<ed25519_dalek::SigningKey>),
    Sm2(Box<sm2::dsa::SigningKey>),
}

#[derive(Clone)]
enum Public {
    Ed25519(ed25519_dalek::VerifyingKey),
    Sm2(Box<sm2::dsa::VerifyingKey>),
}

/// A key that signs checkpoints. Its text (see [`SigningKey::to_text`]) is a secret: keep it
/// in a file readable only by the server's account, or in `ECODUTY_LEDGER_KEY`.
#[derive(Clone)]
pub struct SigningKey {
    secret: Secret,
    public: PublicKey,
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningKey")
            .field("algorithm", &self.public.algorithm)
            .field("key_id", &self.public.key_id)
            .finish_non_exhaustive()
    }
}

/// A key that verifies checkpoints, with the id checkpoints name it by.
#[derive(Clone)]
pub struct PublicKey {
    algorithm: SignatureAlgorithm,
    key_id: String,
    key: Public,
}

impl fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PublicKey")
            .field("algorithm", &self.algorithm)
            .field("key_id", &self.key_id)
            .finish()
    }
}

#[derive(Serialize, Deserialize)]
struct KeyText {
    kind: String,
    algorithm: SignatureAlgorithm,
    key_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    secret: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    public: Option<String>,
}

fn random32() -> StoreResult<[u8; 32]> {
    let mut bytes = [0u8; 32];
    getrandom::getrandom(&mut bytes)
        .map_err(|e| invalid(format!("the operating system's random generator: {e}")))?;
    Ok(bytes)
}

impl SigningKey {
    /// A new key from the operating system's random generator.
    pub fn generate(algorithm: SignatureAlgorithm) -> StoreResult<SigningKey> {
        loop {
            // An SM2 secret must lie in [1, n-1]; a random 32 bytes almost always does.
            if let Ok(key) = SigningKey::from_secret(algorithm, &random32()?) {
                return Ok(key);
            }
        }
    }

    fn from_secret(algorithm: SignatureAlgorithm, bytes: &[u8]) -> StoreResult<SigningKey> {
        let (secret, public) = match algorithm {
            SignatureAlgorithm::Ed25519 => {
                let bytes: [u8; 32] = bytes
                    .try_into()
                    .map_err(|_| invalid("an Ed25519 secret key is 32 bytes"))?;
                let key = ed25519_dalek::SigningKey::from_bytes(&bytes);
                let public = Public::Ed25519(key.verifying_key());
                (Secret::Ed25519(Box::new(key)), public)
            }
            SignatureAlgorithm::Sm2 => {
                let key = sm2::dsa::SigningKey::from_slice(SM2_DISTID, bytes)
                    .map_err(|_| invalid("not an SM2 secret key"))?;
                let public = Public::Sm2(Box::new(key.verifying_key().clone()));
                (Secret::Sm2(Box::new(key)), public)
            }
        };
        Ok(SigningKey {
            secret,
            public: PublicKey::new(algorithm, public),
        })
    }

    /// Reads a key from its text (as [`SigningKey::to_text`] writes it).
    pub fn from_text(text: &str) -> StoreResult<SigningKey> {
        let k: KeyText = serde_json::from_str(text.trim())
            .map_err(|e| invalid(format!("not a ledger signing key: {e}")))?;
        if k.kind != SECRET_KIND {
            return Err(invalid(format!(
                "not a ledger signing key (kind {:?}; a public key cannot sign)",
                k.kind
            )));
        }
        let secret = k
            .secret
            .as_deref()
            .ok_or_else(|| invalid("the key has no secret"))
            .and_then(|s| hex::decode(s).map_err(|e| invalid(format!("secret: {e}"))))?;
        let key = SigningKey::from_secret(k.algorithm, &secret)?;
        if key.public.key_id != k.key_id {
            return Err(invalid(format!(
                "the key file names key id {} but its key is {}",
                k.key_id, key.public.key_id
            )));
        }
        Ok(key)
    }

    /// Reads a key from a file.
    pub fn from_file(path: &Path) -> StoreResult<SigningKey> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| invalid(format!("{}: {e}", path.display())))?;
        SigningKey::from_text(&text)
    }

    /// The key as one line of JSON (a secret: the caller keeps it private).
    pub fn to_text(&self) -> String {
        let secret = match &self.secret {
            Secret::Ed25519(k) => hex::encode(k.to_bytes()),
            Secret::Sm2(k) => hex::encode(k.to_bytes()),
        };
        serde_json::to_string(&KeyText {
            kind: SECRET_KIND.into(),
            algorithm: self.public.algorithm,
            key_id: self.public.key_id.clone(),
            secret: Some(secret),
            public: None,
        })
        .expect("a key serialises")
    }

    pub fn public_key(&self) -> &PublicKey {
        &self.public
    }

    pub fn algorithm(&self) -> SignatureAlgorithm {
        self.public.algorithm
    }

    pub fn key_id(&self) -> &str {
        &self.public.key_id
    }

    fn sign_bytes(&self, message: &[u8]) -> String {
        match &self.secret {
            Secret::Ed25519(k) => hex::encode(k.sign(message).to_bytes()),
            Secret::Sm2(k) => {
                use sm2::dsa::signature::Signer;
                let sig: sm2::dsa::Signature = k.sign(message);
                hex::encode(sig.to_bytes())
            }
        }
    }

    /// Signs a chain's tip as of `signed_at` (RFC 3339).
    pub fn sign(&self, tip: &Tip, signed_at: &str) -> Checkpoint {
        let mut c = Checkpoint {
            format: CHECKPOINT_FORMAT.into(),
            seq: tip.seq,
            hash: tip.hash.clone(),
            hash_algorithm: tip.algorithm,
            signed_at: signed_at.to_string(),
            algorithm: self.public.algorithm,
            key_id: self.public.key_id.clone(),
            signature: String::new(),
        };
        c.signature = self.sign_bytes(&c.message());
        c
    }
}

impl PublicKey {
    fn new(algorithm: SignatureAlgorithm, key: Public) -> PublicKey {
        let bytes = Self::bytes_of(&key);
        PublicKey {
            algorithm,
            key_id: key_id(algorithm, &bytes),
            key,
        }
    }

    fn bytes_of(key: &Public) -> Vec<u8> {
        match key {
            Public::Ed25519(k) => k.to_bytes().to_vec(),
            Public::Sm2(k) => k.to_sec1_bytes().to_vec(),
        }
    }

    pub fn algorithm(&self) -> SignatureAlgorithm {
        self.algorithm
    }

    pub fn key_id(&self) -> &str {
        &self.key_id
    }

    /// The key as one line of JSON, to hand to whoever verifies.
    pub fn to_text(&self) -> String {
        serde_json::to_string(&KeyText {
            kind: PUBLIC_KIND.into(),
            algorithm: self.algorithm,
            key_id: self.key_id.clone(),
            secret: None,
            public: Some(hex::encode(Self::bytes_of(&self.key))),
        })
        .expect("a key serialises")
    }

    /// Reads one public key from its text; a signing key's text gives its public key.
    pub fn from_text(text: &str) -> StoreResult<PublicKey> {
        let k: KeyText = serde_json::from_str(text.trim())
            .map_err(|e| invalid(format!("not a ledger public key: {e}")))?;
        if k.kind == SECRET_KIND {
            return Ok(SigningKey::from_text(text)?.public);
        }
        if k.kind != PUBLIC_KIND {
            return Err(invalid(format!(
                "not a ledger public key (kind {:?})",
                k.kind
            )));
        }
        let bytes = k
            .public
            .as_deref()
            .ok_or_else(|| invalid("the key has no public part"))
            .and_then(|s| hex::decode(s).map_err(|e| invalid(format!("public key: {e}"))))?;
        let key = match k.algorithm {
            SignatureAlgorithm::Ed25519 => {
                let b: [u8; 32] = bytes
                    .as_slice()
                    .try_into()
                    .map_err(|_| invalid("an Ed25519 public key is 32 bytes"))?;
                Public::Ed25519(
                    ed25519_dalek::VerifyingKey::from_bytes(&b)
                        .map_err(|_| invalid("not an Ed25519 public key"))?,
                )
            }
            SignatureAlgorithm::Sm2 => Public::Sm2(Box::new(
                sm2::dsa::VerifyingKey::from_sec1_bytes(SM2_DISTID, &bytes)
                    .map_err(|_| invalid("not an SM2 public key"))?,
            )),
        };
        let key = PublicKey::new(k.algorithm, key);
        if key.key_id != k.key_id {
            return Err(invalid(format!(
                "the key names key id {} but its key is {}",
                k.key_id, key.key_id
            )));
        }
        Ok(key)
    }

    /// Reads a keyring: one key per non-empty line (a file of one key is a keyring too).
    pub fn keyring_from_file(path: &Path) -> StoreResult<Vec<PublicKey>> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| invalid(format!("{}: {e}", path.display())))?;
        text.lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
            .map(|(i, l)| {
                PublicKey::from_text(l)
                    .map_err(|e| invalid(format!("{} line {}: {e}", path.display(), i + 1)))
            })
            .collect()
    }

    fn verifies(&self, message: &[u8], signature: &str) -> bool {
        let Ok(sig) = hex::decode(signature) else {
            return false;
        };
        match &self.key {
            Public::Ed25519(k) => ed25519_dalek::Signature::from_slice(&sig)
                .is_ok_and(|s| k.verify_strict(message, &s).is_ok()),
            Public::Sm2(k) => {
                use sm2::dsa::signature::Verifier;
                sm2::dsa::Signature::from_slice(&sig).is_ok_and(|s| k.verify(message, &s).is_ok())
            }
        }
    }
}

/// The chain's latest entry: its sequence number (0 for an empty ledger) and hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Tip {
    pub seq: i64,
    pub hash: String,
    pub algorithm: HashAlgorithm,
}

/// A signed tip, as exported (one line of JSON each).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Checkpoint {
    pub format: String,
    pub seq: i64,
    pub hash: String,
    pub hash_algorithm: HashAlgorithm,
    /// When it was signed (RFC 3339, UTC).
    pub signed_at: String,
    pub algorithm: SignatureAlgorithm,
    pub key_id: String,
    /// The signature (hex) of every other field, see [`Checkpoint::message`].
    pub signature: String,
}

impl Checkpoint {
    /// The bytes the signature covers: every field but the signature, in a fixed order.
    fn message(&self) -> Vec<u8> {
        serde_json::to_vec(&(
            &self.format,
            self.seq,
            &self.hash,
            self.hash_algorithm,
            &self.signed_at,
            self.algorithm,
            &self.key_id,
        ))
        .expect("a tuple of strings and integers serialises")
    }

    /// The checkpoint as one line of JSON (without the newline).
    pub fn to_line(&self) -> String {
        serde_json::to_string(self).expect("a checkpoint serialises")
    }

    /// Whether one of `keys` (the one the checkpoint names) signed exactly this checkpoint.
    pub fn signature_problem(&self, keys: &[PublicKey]) -> Option<String> {
        if self.format != CHECKPOINT_FORMAT {
            return Some(format!("unknown format {:?}", self.format));
        }
        let Some(key) = keys.iter().find(|k| k.key_id == self.key_id) else {
            return Some(format!(
                "signed by key {}, which is not among the public keys given",
                self.key_id
            ));
        };
        if key.algorithm != self.algorithm || !key.verifies(&self.message(), &self.signature) {
            return Some(format!(
                "the signature does not verify with key {}",
                self.key_id
            ));
        }
        None
    }
}

/// One line of a checkpoint file, with its line number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FiledCheckpoint {
    pub line: usize,
    pub checkpoint: Checkpoint,
}

/// The append-only file of checkpoints: JSON lines, each written whole and synced before the
/// next. Put it where the database's owner cannot rewrite it (another machine's share, a
/// WORM volume, a file with `chattr +a`), or copy each line on as it is written.
#[derive(Debug, Clone)]
pub struct CheckpointFile {
    path: PathBuf,
}

impl CheckpointFile {
    pub fn new(path: impl Into<PathBuf>) -> CheckpointFile {
        CheckpointFile { path: path.into() }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Appends a checkpoint and syncs it to disk.
    pub fn append(&self, c: &Checkpoint) -> StoreResult<()> {
        let io = |e: std::io::Error| {
            StoreError::invalid("checkpoints", format!("{}: {e}", self.path.display()))
        };
        if let Some(dir) = self.path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(io)?;
        }
        let mut f = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.path)
            .map_err(io)?;
        let mut line = c.to_line();
        line.push('\n');
        f.write_all(line.as_bytes()).map_err(io)?;
        f.sync_all().map_err(io)
    }

    /// Every checkpoint in the file, in file order (none if the file does not exist yet).
    pub fn read(&self) -> StoreResult<Vec<FiledCheckpoint>> {
        let text = match std::fs::read_to_string(&self.path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => {
                return Err(StoreError::invalid(
                    "checkpoints",
                    format!("{}: {e}", self.path.display()),
                ))
            }
        };
        parse_checkpoints(&text).map_err(|e| {
            StoreError::invalid("checkpoints", format!("{}: {e}", self.path.display()))
        })
    }
}

/// Checkpoints from JSON lines (blank lines skipped).
pub fn parse_checkpoints(text: &str) -> Result<Vec<FiledCheckpoint>, String> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            serde_json::from_str(l.trim())
                .map(|checkpoint| FiledCheckpoint {
                    line: i + 1,
                    checkpoint,
                })
                .map_err(|e| format!("line {}: not a checkpoint: {e}", i + 1))
        })
        .collect()
}

/// What comparing checkpoints with the chain found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CheckpointReport {
    /// Checkpoints compared.
    pub checked: usize,
    /// The latest (highest sequence number) checkpoint that holds.
    pub latest_held: Option<Checkpoint>,
    /// The first checkpoint (in file order) that does not hold, with why.
    pub first_broken: Option<BrokenCheckpoint>,
}

/// A checkpoint that does not hold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BrokenCheckpoint {
    /// Its line in the checkpoint file.
    pub line: usize,
    pub checkpoint: Checkpoint,
    pub problem: String,
}

impl CheckpointReport {
    pub fn ok(&self) -> bool {
        self.first_broken.is_none()
    }
}

/// Compares checkpoints with a chain whose tip is `tip` and whose hash at a sequence number
/// `hash_at` gives (for numbers up to the tip). A checkpoint holds when one of `keys` signed
/// it and the chain still has its hash at its sequence number.
pub fn compare(
    checkpoints: &[FiledCheckpoint],
    keys: &[PublicKey],
    tip: &Tip,
    hash_at: impl Fn(i64) -> Option<String>,
) -> CheckpointReport {
    let mut report = CheckpointReport {
        checked: 0,
        latest_held: None,
        first_broken: None,
    };
    for f in checkpoints {
        report.checked += 1;
        let c = &f.checkpoint;
        let problem = if let Some(p) = c.signature_problem(keys) {
            Some(p)
        } else if c.hash_algorithm != tip.algorithm {
            Some(format!(
                "it signs a {} chain; this ledger hashes with {}",
                c.hash_algorithm, tip.algorithm
            ))
        } else if c.seq > tip.seq {
            Some(format!(
                "truncated: entry {} was signed on {}, but the ledger ends at entry {}",
                c.seq, c.signed_at, tip.seq
            ))
        } else {
            let now = if c.seq == 0 {
                Some(crate::ledger::GENESIS.to_string())
            } else {
                hash_at(c.seq)
            };
            match now {
                Some(h) if h == c.hash => None,
                Some(h) => Some(format!(
                    "rewritten: entry {} had hash {} when signed on {}; it is now {}",
                    c.seq, c.hash, c.signed_at, h
                )),
                None => Some(format!(
                    "rewritten: entry {} signed on {} is missing from the chain",
                    c.seq, c.signed_at
                )),
            }
        };
        match problem {
            Some(problem) => {
                if report.first_broken.is_none() {
                    report.first_broken = Some(BrokenCheckpoint {
                        line: f.line,
                        checkpoint: c.clone(),
                        problem,
                    });
                }
            }
            None => {
                if report.latest_held.as_ref().is_none_or(|l| c.seq >= l.seq) {
                    report.latest_held = Some(c.clone());
                }
            }
        }
    }
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tip(seq: i64, hash: &str) -> Tip {
        Tip {
            seq,
            hash: hash.into(),
            algorithm: HashAlgorithm::Sha256,
        }
    }

    #[test]
    fn keys_round_trip_and_sign_for_both_algorithms() {
        for alg in [SignatureAlgorithm::Ed25519, SignatureAlgorithm::Sm2] {
            let key = SigningKey::generate(alg).unwrap();
            let again = SigningKey::from_text(&key.to_text()).unwrap();
            assert_eq!(again.key_id(), key.key_id());
            let public = PublicKey::from_text(&key.public_key().to_text()).unwrap();
            assert_eq!(public.key_id(), key.key_id());
            let c = key.sign(&tip(7, "ab"), "2026-01-01T00:00:00Z");
            assert_eq!(c.signature_problem(std::slice::from_ref(&public)), None);
            // Any field changed breaks the signature.
            let mut forged = c.clone();
            forged.seq = 6;
            assert!(forged
                .signature_problem(std::slice::from_ref(&public))
                .is_some());
            let mut forged = c.clone();
            forged.hash = "cd".into();
            assert!(forged
                .signature_problem(std::slice::from_ref(&public))
                .is_some());
            // Another key of the same algorithm does not verify it.
            let other = SigningKey::generate(alg).unwrap();
            assert!(c
                .signature_problem(std::slice::from_ref(other.public_key()))
                .unwrap()
                .contains("not among"));
        }
    }

    #[test]
    fn a_key_file_naming_another_key_id_is_refused() {
        let key = SigningKey::generate(SignatureAlgorithm::Ed25519).unwrap();
        let text = key.public_key().to_text();
        let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
        v["key_id"] = "0000000000000000".into();
        assert!(PublicKey::from_text(&v.to_string()).is_err());
    }

    #[test]
    fn compare_finds_rewrite_and_truncation() {
        let key = SigningKey::generate(SignatureAlgorithm::Ed25519).unwrap();
        let keys = [key.public_key().clone()];
        let filed = |line, c| FiledCheckpoint {
            line,
            checkpoint: c,
        };
        let at = |seq: i64| Some(format!("h{seq}"));
        let good = key.sign(&tip(3, "h3"), "t1");
        let r = compare(&[filed(1, good.clone())], &keys, &tip(5, "h5"), at);
        assert!(r.ok() && r.latest_held == Some(good.clone()));
        let rewritten = key.sign(&tip(4, "old"), "t2");
        let beyond = key.sign(&tip(9, "h9"), "t3");
        let r = compare(
            &[filed(1, good), filed(2, rewritten), filed(3, beyond)],
            &keys,
            &tip(5, "h5"),
            at,
        );
        let b = r.first_broken.unwrap();
        assert_eq!((b.line, b.checkpoint.seq), (2, 4));
        assert!(b.problem.contains("rewritten"), "{}", b.problem);
        let r = compare(
            &[filed(1, key.sign(&tip(9, "h9"), "t3"))],
            &keys,
            &tip(5, "h5"),
            at,
        );
        assert!(r.first_broken.unwrap().problem.contains("truncated"));
    }
}
