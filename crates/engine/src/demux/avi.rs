//! placeholder
use super::{table::TableDemuxer, Input};
use crate::EngineError;
pub(crate) fn open(_input: Input) -> Result<TableDemuxer, EngineError> {
    Err(EngineError::Unreadable("AVI not yet".into()))
}
