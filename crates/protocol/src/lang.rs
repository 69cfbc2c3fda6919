//! The languages people read this product in.

use serde::{Deserialize, Serialize};

/// The language of a reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    En,
    /// Simplified Chinese.
    Zh,
}
