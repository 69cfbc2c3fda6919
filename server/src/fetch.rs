//! Downloading a by-URL upload safely: http/https only, every hop's host resolved and refused
//! when it is a private, loopback, link-local, unique-local, CGNAT, multicast or unspecified
//! address (unless `--allow-private-urls`), the connection pinned to the address that was
//! checked (no DNS rebinding), redirects followed by hand at most 5 times, the size limit
//! enforced from Content-Length and again while streaming, and connect/read/total timeouts.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::path::Path;
use std::time::Duration;

use futures_util::StreamExt;
use tokio::io::AsyncWriteExt;
use url::{Host, Url};

use crate::error::ApiError;

/// Redirects followed before giving up.
pub const MAX_REDIRECTS: usize = 5;
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
const READ_TIMEOUT: Duration = Duration::from_secs(30);
const TOTAL_TIMEOUT: Duration = Duration::from_secs(15 * 60);

/// Rules for one download.
#[derive(Debug, Clone, Copy)]
pub struct FetchRules {
    pub max_bytes: u64,
    pub allow_private: bool,
}

/// Download `url` into `dest`; returns the final URL (for naming). Errors are 4003 with the
/// reason, or 4002 over the limit.
pub async fn download(url: &str, dest: &Path, rules: FetchRules) -> Result<Url, ApiError> {
    match tokio::time::timeout(TOTAL_TIMEOUT, download_inner(url, dest, rules)).await {
        Ok(result) => result,
        Err(_) => Err(ApiError::UrlRefused(format!(
            "it took longer than {} minutes",
            TOTAL_TIMEOUT.as_secs() / 60
        ))),
    }
}

/// `url` without its query, fragment, user name and password, for the log.
pub fn loggable(url: &str) -> String {
    match Url::parse(url.trim()) {
        Ok(mut url) => {
            let _ = url.set_username("");
            let _ = url.set_password(None);
            url.set_query(None);
            url.set_fragment(None);
            url.to_string()
        }
        Err(_) => "(not a URL)".into(),
    }
}

async fn download_inner(url: &str, dest: &Path, rules: FetchRules) -> Result<Url, ApiError> {
    let mut url =
        Url::parse(url.trim()).map_err(|_| ApiError::UrlRefused("it is not a valid URL".into()))?;
    for hop in 0..=MAX_REDIRECTS {
        // Refused, not stripped: the person may not know the link carries a password, and a
        // redirect adding one is as suspicious as the first URL.
        if !url.username().is_empty() || url.password().is_some() {
            return Err(ApiError::UrlHasCredentials);
        }
        let (client, host) = pinned_client(&url, rules.allow_private).await?;
        let response = client.get(url.clone()).send().await.map_err(|e| {
            tracing::info!(error = %e, "URL fetch failed");
            ApiError::UrlRefused(if e.is_timeout() {
                format!("{host} did not answer in time")
            } else {
                format!("{host} could not be reached")
            })
        })?;
        let status = response.status();
        if status.is_redirection() {
            let location = response
                .headers()
                .get(reqwest::header::LOCATION)
                .and_then(|v| v.to_str().ok())
                .ok_or_else(|| {
                    ApiError::UrlRefused(format!("{host} redirected without saying where"))
                })?;
            if hop == MAX_REDIRECTS {
                return Err(ApiError::UrlRefused(format!(
                    "it redirected more than {MAX_REDIRECTS} times"
                )));
            }
            url = url.join(location).map_err(|_| {
                ApiError::UrlRefused(format!("{host} redirected to an invalid address"))
            })?;
            continue;
        }
        if !status.is_success() {
            return Err(ApiError::UrlRefused(format!("{host} answered {status}")));
        }
        if response
            .content_length()
            .is_some_and(|n| n > rules.max_bytes)
        {
            return Err(ApiError::TooLarge(rules.max_bytes));
        }
        save(response, dest, rules, &host).await?;
        return Ok(url);
    }
    Err(ApiError::UrlRefused(format!(
        "it redirected more than {MAX_REDIRECTS} times"
    )))
}

async fn save(
    response: reqwest::Response,
    dest: &Path,
    rules: FetchRules,
    host: &str,
) -> Result<(), ApiError> {
    let mut file = tokio::fs::File::create(dest).await?;
    let mut written = 0u64;
    let mut body = response.bytes_stream();
    while let Some(chunk) = body.next().await {
        let chunk = chunk.map_err(|e| {
            tracing::info!(error = %e, "URL body failed");
            ApiError::UrlRefused(format!("the download from {host} broke off"))
        })?;
        written += chunk.len() as u64;
        if written > rules.max_bytes {
            return Err(ApiError::TooLarge(rules.max_bytes));
        }
        file.write_all(&chunk).await?;
    }
    file.flush().await?;
    Ok(())
}

/// Check the URL's scheme and address, and build a client that connects only to the checked
/// address. Returns the client and the host name for messages.
async fn pinned_client(
    url: &Url,
    allow_private: bool,
) -> Result<(reqwest::Client, String), ApiError> {
    if !matches!(url.scheme(), "http" | "https") {
        return Err(ApiError::UrlRefused(format!(
            "only http and https links are accepted, not {}:",
            url.scheme()
        )));
    }
    let port = url.port_or_known_default().unwrap_or(80);
    let host = url
        .host()
        .ok_or_else(|| ApiError::UrlRefused("it has no host".into()))?;
    let name = url.host_str().unwrap_or_default().to_owned();
    let builder = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(CONNECT_TIMEOUT)
        .read_timeout(READ_TIMEOUT)
        .no_proxy();
    let builder = match host {
        Host::Ipv4(ip) => {
            check_ip(IpAddr::V4(ip), allow_private, &name)?;
            builder
        }
        Host::Ipv6(ip) => {
            check_ip(IpAddr::V6(ip), allow_private, &name)?;
            builder
        }
        Host::Domain(domain) => {
            let addrs: Vec<SocketAddr> = tokio::net::lookup_host((domain, port))
                .await
                .map_err(|_| {
                    ApiError::UrlRefused(format!("the name {domain} could not be resolved"))
                })?
                .collect();
            if addrs.is_empty() {
                return Err(ApiError::UrlRefused(format!(
                    "the name {domain} has no address"
                )));
            }
            // Every address must pass, and the client connects only to these checked addresses
            // (a second lookup could answer differently: DNS rebinding).
            for addr in &addrs {
                check_ip(addr.ip(), allow_private, &name)?;
            }
            builder.resolve_to_addrs(domain, &addrs)
        }
    };
    let client = builder.build().map_err(ApiError::internal)?;
    Ok((client, name))
}

fn check_ip(ip: IpAddr, allow_private: bool, host: &str) -> Result<(), ApiError> {
    if allow_private || is_public(ip) {
        Ok(())
    } else {
        Err(ApiError::UrlRefused(format!(
            "{host} is a private, local or reserved address ({ip}), which this server does not fetch"
        )))
    }
}

/// True for addresses on the public internet.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => is_public_v6(v6),
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    !(ip.is_private()
        || ip.is_loopback()
        || ip.is_link_local()
        || ip.is_unspecified()
        || ip.is_broadcast()
        || ip.is_multicast()
        || ip.is_documentation()
        || a == 0
        || a >= 240
        || (a == 100 && (64..128).contains(&b)) // CGNAT 100.64/10
        || (a == 192 && b == 0 && c == 0) // IETF protocol assignments
        || (a == 198 && (18..20).contains(&b))) // benchmarking
}

fn is_public_v6(ip: Ipv6Addr) -> bool {
    let s = ip.segments();
    if let Some(v4) = ip.to_ipv4_mapped() {
        return is_public_v4(v4);
    }
    let embedded_v4 =
        |hi: u16, lo: u16| Ipv4Addr::new((hi >> 8) as u8, hi as u8, (lo >> 8) as u8, lo as u8);
    if s[0] == 0x64 && s[1] == 0xff9b && s[2..6] == [0, 0, 0, 0] {
        return is_public_v4(embedded_v4(s[6], s[7])); // NAT64
    }
    if s[0] == 0x2002 {
        return is_public_v4(embedded_v4(s[1], s[2])); // 6to4
    }
    !(ip.is_loopback()
        || ip.is_unspecified()
        || ip.is_multicast()
        || s[0..6] == [0, 0, 0, 0, 0, 0] // v4-compatible and other ::/96
        || (s[0] & 0xfe00) == 0xfc00 // unique local fc00::/7
        || (s[0] & 0xffc0) == 0xfe80 // link-local fe80::/10
        || (s[0] & 0xffc0) == 0xfec0 // site-local fec0::/10
        || (s[0] == 0x2001 && s[1] == 0x0db8) // documentation
        || (s[0] == 0x2001 && s[1] == 0)) // Teredo
}

/// The name of a download: the given one, else the URL path's last segment, percent-decoded.
pub fn name_from_url(url: &Url, given: Option<&str>) -> String {
    if let Some(name) = given.map(str::trim).filter(|n| !n.is_empty()) {
        return name.to_owned();
    }
    let last = url
        .path_segments()
        .and_then(|mut s| s.next_back())
        .unwrap_or("");
    let decoded = percent_encoding::percent_decode_str(last)
        .decode_utf8_lossy()
        .into_owned();
    if decoded.trim().is_empty() {
        url.host_str().unwrap_or("download").to_owned()
    } else {
        decoded
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn public(s: &str) -> bool {
        is_public(s.parse().expect("test address"))
    }

    #[test]
    fn private_ranges_are_refused_in_both_families() {
        for ip in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "0.0.0.0",
            "100.64.0.1",
            "224.0.0.1",
            "255.255.255.255",
            "::1",
            "::",
            "fe80::1",
            "fc00::1",
            "fd12::1",
            "ff02::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "64:ff9b::7f00:1",
            "2002:7f00:1::",
        ] {
            assert!(!public(ip), "{ip} must be refused");
        }
        for ip in [
            "93.184.216.34",
            "8.8.8.8",
            "2606:4700::1111",
            "::ffff:8.8.8.8",
        ] {
            assert!(public(ip), "{ip} is public");
        }
    }

    #[test]
    fn names_come_from_the_url_path() {
        let url = Url::parse("https://example.com/videos/My%20Lecture.mp4?x=1").expect("url");
        assert_eq!(name_from_url(&url, None), "My Lecture.mp4");
        assert_eq!(name_from_url(&url, Some("talk.mov")), "talk.mov");
        let bare = Url::parse("https://example.com/").expect("url");
        assert_eq!(name_from_url(&bare, None), "example.com");
    }
}
