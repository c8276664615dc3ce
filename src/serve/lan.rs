//! The addresses to print for the dev server. Bound to every interface
//! (`--bind 0.0.0.0`), `http://0.0.0.0:1111/` opens nothing on a phone: it
//! needs this machine's address on the network, which the routing table gives
//! without a dependency or a packet (connecting a UDP socket sends nothing).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, UdpSocket};

/// The hosts a browser can open for `bind`: itself, or for an unspecified
/// address `localhost` and the LAN address(es) of the default route.
pub(super) fn hosts(bind: &str) -> Vec<String> {
    let Ok(ip) = bind.parse::<IpAddr>() else { return vec![bind.to_string()] };
    if !ip.is_unspecified() {
        return vec![host(ip)];
    }
    let mut hosts = vec!["localhost".to_string()];
    // `::` usually accepts IPv4 too (dual stack), so both are worth showing.
    let probes: &[IpAddr] = match ip {
        IpAddr::V4(_) => &[IpAddr::V4(Ipv4Addr::new(192, 0, 2, 1))],
        IpAddr::V6(_) => {
            &[IpAddr::V6(Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1)), IpAddr::V4(Ipv4Addr::new(192, 0, 2, 1))]
        }
    };
    hosts.extend(probes.iter().filter_map(|&p| route_source(p)).map(host));
    hosts
}

/// The local address the system would send from to reach `target` (a
/// documentation address: nothing is ever sent), None when offline.
fn route_source(target: IpAddr) -> Option<IpAddr> {
    let any: IpAddr = if target.is_ipv4() { Ipv4Addr::UNSPECIFIED.into() } else { Ipv6Addr::UNSPECIFIED.into() };
    let socket = UdpSocket::bind(SocketAddr::new(any, 0)).ok()?;
    socket.connect(SocketAddr::new(target, 9)).ok()?;
    let ip = socket.local_addr().ok()?.ip();
    (!ip.is_loopback() && !ip.is_unspecified()).then_some(ip)
}

fn host(ip: IpAddr) -> String {
    match ip {
        IpAddr::V6(v6) => format!("[{v6}]"),
        IpAddr::V4(v4) => v4.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::hosts;

    #[test]
    fn a_specific_address_is_shown_as_it_is() {
        assert_eq!(hosts("127.0.0.1"), ["127.0.0.1"]);
        assert_eq!(hosts("::1"), ["[::1]"]);
        assert_eq!(hosts("localhost"), ["localhost"]);
    }

    #[test]
    fn every_interface_is_shown_as_openable_addresses() {
        let shown = hosts("0.0.0.0");
        assert_eq!(shown[0], "localhost");
        assert!(shown.iter().all(|h| h != "0.0.0.0" && !h.starts_with("127.")), "{shown:?}");
    }
}
