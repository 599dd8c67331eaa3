//! Where webhooks may be sent: an `http(s)` URL without credentials whose host resolves
//! only to public addresses — never loopback, private, link-local, carrier-grade NAT,
//! multicast or unspecified ones (server-side request forgery: a workspace admin must
//! not reach the server's own network) unless the operator allows private targets
//! (`--webhook-allow-private`). The check runs when a subscription is made and again at
//! every delivery, and the delivery connects to the address that was checked (no second
//! DNS answer can swap it), following no redirects.

use std::net::{IpAddr, SocketAddr};

use reqwest::Url;

/// Why a target was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refused {
    #[error("not an http or https URL")]
    NotHttp,
    #[error("a URL with a user name or password")]
    Credentials,
    #[error("the host does not resolve")]
    Unresolved,
    #[error("the host resolves to a private or local address ({0})")]
    Private(IpAddr),
}

/// Whether `ip` is an address on the public internet.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            !(v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_multicast()
                || v4.is_documentation()
                // 100.64.0.0/10 (carrier-grade NAT), 0.0.0.0/8, 192.0.0.0/24, 198.18.0.0/15,
                // 240.0.0.0/4.
                || (a == 100 && (64..128).contains(&b))
                || a == 0
                || (a == 192 && b == 0 && v4.octets()[2] == 0)
                || (a == 198 && (18..20).contains(&b))
                || a >= 240)
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_public(IpAddr::V4(v4));
            }
            let first = v6.segments()[0];
            !(v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                // fc00::/7 unique local, fe80::/10 link-local, 2001:db8::/32 documentation.
                || (first & 0xfe00) == 0xfc00
                || (first & 0xffc0) == 0xfe80
                || (first == 0x2001 && v6.segments()[1] == 0x0db8))
        }
    }
}

/// Parses a target URL (scheme and credentials only; no lookup).
pub fn parse(url: &str) -> Result<Url, Refused> {
    let url = Url::parse(url.trim()).map_err(|_| Refused::NotHttp)?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(Refused::NotHttp);
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Refused::Credentials);
    }
    Ok(url)
}

/// Resolves `url`'s host and checks every address; returns the one to connect to.
pub async fn resolve(url: &Url, allow_private: bool) -> Result<SocketAddr, Refused> {
    let host = url.host_str().ok_or(Refused::NotHttp)?;
    let port = url.port_or_known_default().ok_or(Refused::NotHttp)?;
    // An IPv6 literal comes bracketed.
    let host = host.trim_start_matches('[').trim_end_matches(']');
    let addrs: Vec<SocketAddr> = tokio::net::lookup_host((host, port))
        .await
        .map_err(|_| Refused::Unresolved)?
        .collect();
    let first = *addrs.first().ok_or(Refused::Unresolved)?;
    if !allow_private && let Some(bad) = addrs.iter().find(|a| !is_public(a.ip())) {
        return Err(Refused::Private(bad.ip()));
    }
    Ok(first)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_public_addresses_are_targets() {
        for private in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "0.0.0.0",
            "100.64.0.1",
            "::1",
            "fd00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
            "224.0.0.1",
        ] {
            assert!(!is_public(private.parse().unwrap()), "{private}");
        }
        for public in ["8.8.8.8", "185.60.216.35", "2a00:1450:4001:80b::200e"] {
            assert!(is_public(public.parse().unwrap()), "{public}");
        }
    }

    #[test]
    fn urls_are_http_without_credentials() {
        assert!(parse("https://erp.example.com/hooks/saha").is_ok());
        assert_eq!(parse("ftp://example.com/").unwrap_err(), Refused::NotHttp);
        assert_eq!(parse("file:///etc/passwd").unwrap_err(), Refused::NotHttp);
        assert_eq!(
            parse("https://u:p@example.com/").unwrap_err(),
            Refused::Credentials
        );
        assert_eq!(parse("not a url").unwrap_err(), Refused::NotHttp);
    }

    #[tokio::test]
    async fn local_names_and_addresses_are_refused_unless_allowed() {
        for url in [
            "http://127.0.0.1:9/x",
            "http://localhost:9/x",
            "http://[::1]:9/",
        ] {
            let url = parse(url).unwrap();
            assert!(
                matches!(resolve(&url, false).await, Err(Refused::Private(_))),
                "{url}"
            );
            assert!(resolve(&url, true).await.is_ok(), "{url}");
        }
    }
}
