//! Signed download links: `?exp=<unix>&sig=<hex hmac-sha256(secret, "<media_id>:<exp>")>`, so
//! a browser's download manager (which sends no headers) can fetch a file until it expires.

use std::io::Write;
use std::path::Path;
use std::sync::Arc;

use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// Holds the secret, created once in the data dir so links survive restarts.
#[derive(Clone)]
pub struct Signer(Arc<[u8; 32]>);

impl Signer {
    /// Read `<dir>/signing.key`, creating it (owner-only) with 32 random bytes if missing.
    pub fn load_or_create(dir: &Path) -> std::io::Result<Self> {
        let path = dir.join("signing.key");
        if let Ok(bytes) = std::fs::read(&path) {
            if let Ok(key) = <[u8; 32]>::try_from(bytes.as_slice()) {
                return Ok(Self(Arc::new(key)));
            }
        }
        let mut key = [0u8; 32];
        rand::rng().fill_bytes(&mut key);
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        options.open(&path)?.write_all(&key)?;
        Ok(Self(Arc::new(key)))
    }

    fn mac(&self, media_id: &str, exp: i64) -> HmacSha256 {
        let mut mac =
            HmacSha256::new_from_slice(self.0.as_slice()).expect("HMAC takes keys of any length");
        mac.update(format!("{media_id}:{exp}").as_bytes());
        mac
    }

    /// The hex signature for a file id and expiry.
    pub fn sign(&self, media_id: &str, exp: i64) -> String {
        hex::encode(self.mac(media_id, exp).finalize().into_bytes())
    }

    /// Constant-time check of a signature; expiry is checked by the caller.
    pub fn verify(&self, media_id: &str, exp: i64, sig: &str) -> bool {
        match hex::decode(sig) {
            Ok(bytes) => self.mac(media_id, exp).verify_slice(&bytes).is_ok(),
            Err(_) => false,
        }
    }

    /// The signed download path (relative to the base URL).
    pub fn download_url(&self, media_id: &str, exp: i64) -> String {
        format!(
            "{}?exp={exp}&sig={}",
            v2a_protocol::paths::file(media_id),
            self.sign(media_id, exp)
        )
    }
}
