//! Who is asking: passwords (argon2id), sessions in cookies, CSRF tokens, API tokens, and the
//! extractors that give handlers the signed-in user and their scope.

pub mod assessment;
pub mod password;
pub mod scoped;
pub mod secrets;
pub mod viewer;

pub use scoped::{ApiScoped, Scoped};
pub use viewer::{ApiViewer, Viewer};
