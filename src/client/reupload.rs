//! The last uploaded file, kept as a handle (a `Blob` in the browser, not its bytes), so that a
//! session lost between the upload and the run (1002, replaced by a new session) gets the file
//! again instead of the run answering "upload a video first".

use super::{Client, ClientError, Transport};

/// What [`Client::upload_file`] last sent, and into which session.
pub(super) struct LastUpload<F> {
    file: F,
    name: String,
    size: u64,
    mime: String,
    session: String,
}

impl<T: Transport> Client<T> {
    /// Note a successful upload of `file` into the current session.
    pub(super) fn remember_upload(&self, file: &T::File, name: &str, size: u64, mime: &str) {
        let Some(session) = self.session_id() else {
            return;
        };
        self.last_upload.replace(Some(LastUpload {
            file: file.clone(),
            name: name.to_owned(),
            size,
            mime: mime.to_owned(),
            session,
        }));
    }

    /// If the session changed since the last upload, upload that file into the current one.
    pub(super) async fn carry_upload_over(&self) -> Result<(), ClientError> {
        let moved = match (&*self.last_upload.borrow(), self.session_id()) {
            (Some(last), Some(now)) if last.session != now => Some((
                last.file.clone(),
                last.name.clone(),
                last.size,
                last.mime.clone(),
            )),
            _ => None,
        };
        if let Some((file, name, size, mime)) = moved {
            self.upload_file(&file, &name, size, &mime, std::rc::Rc::new(|_, _| {}))
                .await?;
        }
        Ok(())
    }
}
