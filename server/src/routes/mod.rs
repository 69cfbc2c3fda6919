//! HTTP handlers, one file per area of the API.

pub mod account;
pub mod files;
pub mod render;
pub mod run;
pub mod session_state;
pub mod upload;
