//! Where Offboard may send the user's API token: https anywhere, plain
//! http only to this computer (a local test server or proxy). The endpoint
//! can come from the command line, the environment or a saved state file,
//! and a hand-edited file must not be able to send the token elsewhere.

use std::net::IpAddr;
use url::{Host, Url};

/// The endpoint as a URL, or why it is refused, in words for the user.
pub fn check_api_endpoint(base: &str) -> Result<Url, String> {
    let refuse = |why: &str| {
        Err(format!(
            "the API endpoint \"{base}\" is refused: {why}. Use https, or http to this computer \
             (127.0.0.1, [::1] or localhost); check --api-base, OFFBOARD_UPWORK_API_BASE or the \
             saved progress"
        ))
    };
    let url = match Url::parse(base.trim()) {
        Ok(url) => url,
        Err(e) => return refuse(&format!("it is not a URL ({e})")),
    };
    if !url.username().is_empty() || url.password().is_some() {
        return refuse("it carries a user name or password");
    }
    match url.scheme() {
        "https" if url.host().is_some() => Ok(url),
        "http" if is_loopback(url.host()) => Ok(url),
        "http" => refuse("plain http would send your token unencrypted to another computer"),
        _ => refuse("only https and http addresses can be used"),
    }
}

fn is_loopback(host: Option<Host<&str>>) -> bool {
    match host {
        Some(Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        Some(Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn https_anywhere_and_http_only_to_this_computer() {
        for ok in [
            "https://api.upwork.com/graphql",
            "https://proxy.example.org:8443/graphql",
            "http://127.0.0.1:8080/graphql",
            "http://127.8.9.10/graphql",
            "http://[::1]:9000/graphql",
            "http://localhost:3000/graphql",
            "http://LOCALHOST/graphql",
        ] {
            assert!(check_api_endpoint(ok).is_ok(), "{ok}");
        }
        for bad in [
            "http://api.upwork.com/graphql",
            "http://10.0.0.5/graphql",
            "http://192.168.1.2/graphql",
            "http://localhost.evil.example/graphql",
            "http://127.0.0.1.nip.io/graphql",
            "ftp://127.0.0.1/graphql",
            "file:///etc/passwd",
            "https://user:pass@api.upwork.com/graphql",
            "not a url",
            "",
        ] {
            let refused = check_api_endpoint(bad);
            assert!(refused.is_err(), "{bad}");
            let message = refused.err().unwrap_or_default();
            assert!(message.contains("is refused"), "{message}");
            assert!(message.contains("https"), "{message}");
        }
    }
}
