//! placeholder
use super::{table::TableDemuxer, Input};
use crate::EngineError;
pub(crate) struct MkvDemuxer;
impl MkvDemuxer {
    pub(crate) fn open(_input: Input) -> Result<TableDemuxer, EngineError> {
        Err(EngineError::Unreadable("MKV not yet".into()))
    }
}
