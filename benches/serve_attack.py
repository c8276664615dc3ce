#!/usr/bin/env python3
"""Latency of a normal `GET /` from `rapport serve` while hostile clients hold
their sockets (issue 12: each must stay under 100 ms). For each attack, 30
normal requests are timed while it is in place; prints median and min-max.
Usage: benches/serve_attack.py [SITE_ROOT] [RAPPORT_BINARY]
(defaults: the bundled site, target/release/rapport)."""
import socket, statistics, subprocess, sys, time

root = sys.argv[1] if len(sys.argv) > 1 else "."
binary = sys.argv[2] if len(sys.argv) > 2 else "target/release/rapport"
port = 18998
server = subprocess.Popen([binary, "--root", root, "serve", "--port", str(port)],
                          stderr=open("/tmp/serve_attack.log", "w"))


def connect():
    s = socket.create_connection(("127.0.0.1", port))
    s.settimeout(30)
    return s


def normal_request_ms():
    start = time.perf_counter()
    s = connect()
    s.sendall(b"GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
    data = b""
    while chunk := s.recv(65536):
        data += chunk
    s.close()
    assert data.startswith(b"HTTP/1.1 200"), data[:80]
    return (time.perf_counter() - start) * 1000


def wait_up():
    for _ in range(600):
        try:
            return normal_request_ms()
        except (OSError, AssertionError):
            time.sleep(0.1)
    sys.exit("the server did not start; see /tmp/serve_attack.log")


def holding(count, payload):
    """`count` connections that each sent `payload` and then wait."""
    socks = []
    for i in range(count):
        s = connect()
        try:
            s.sendall(payload(i) if callable(payload) else payload)
        except OSError:
            pass  # the server may refuse and close first
        socks.append(s)
    return socks


def huge_content_length():
    return holding(50, b"GET / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 99999999999\r\n\r\n")


def slowloris():
    return holding(400, b"GET / HTTP/1.1\r\nHost: loc")


def idle_clients():
    return [connect() for _ in range(500)]


def oversized_headers():
    return holding(50, b"GET / HTTP/1.1\r\nHost: localhost\r\nX: " + b"a" * 200_000 + b"\r\n\r\n")


def malformed_lines():
    lines = [b"GARBAGE\r\n\r\n", b"\x00\xff binary\r\n\r\n", b"GET / HTTP/9.9\r\n\r\n"]
    return holding(200, lambda i: lines[i % 3])


wait_up()
print(f"{'attack':28} {'median ms':>10} {'min-max ms':>16}")
for name, attack in [("none", lambda: []), ("huge Content-Length x50", huge_content_length),
                     ("slowloris x400", slowloris), ("500 idle clients", idle_clients),
                     ("200 kB headers x50", oversized_headers), ("malformed lines x200", malformed_lines)]:
    held = attack()
    times = [normal_request_ms() for _ in range(30)]
    print(f"{name:28} {statistics.median(times):10.2f} {min(times):7.2f}-{max(times):.2f}")
    for s in held:
        s.close()
server.terminate()
