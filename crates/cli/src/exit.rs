//! Exit codes and error reporting for the command line.
//!
//! Exit status 2 means the user's input was refused (a bad file, an unknown code, an overlapping
//! tenure); the message names the file, line and field where there is one. Exit status 1 means
//! something else failed (the database could not be reached, a disk error).

use std::fmt;

/// An error caused by the user's input. Commands wrap refusals in it so `main` exits with 2.
#[derive(Debug)]
pub struct UserError(pub String);

impl fmt::Display for UserError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UserError {}

/// Builds an `anyhow::Error` that exits with status 2.
pub fn user_error(message: impl Into<String>) -> anyhow::Error {
    anyhow::Error::new(UserError(message.into()))
}

/// Prints the error chain to stderr and returns the exit status for it.
pub fn report(err: &anyhow::Error) -> i32 {
    eprintln!("error: {err:#}");
    if err
        .chain()
        .any(|cause| cause.downcast_ref::<UserError>().is_some())
    {
        2
    } else {
        1
    }
}
