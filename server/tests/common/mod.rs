//! Helpers shared by the server's integration tests (`mod common;` in a test file).

pub mod extract;
pub mod fake;
pub mod media;
pub mod server;
