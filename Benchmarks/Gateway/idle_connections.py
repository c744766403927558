#!/usr/bin/env python3
"""Holds many idle keep-alive client connections to a gateway and reports what they cost it.

scripts/gateway-benchmark runs it against `qlp gateway` (issue 15, item 4):
opens --count connections to 127.0.0.1:--port, sends one GET /healthz on each
and reads the answer (so each is a used keep-alive connection, as a client
pool leaves it), holds them all --hold seconds, then checks how many the
gateway still holds open and whether it still answers a new connection. The
gateway's resident memory (VmRSS, and its private part RssAnon) is read from
/proc/--pid before and while they are held.

Prints tab-separated `key<TAB>value` lines (read by the benchmark's summary).
Loopback only; it stops by itself; every socket it opens is closed.
"""
import argparse
import resource
import socket
import sys
import time


def memory_kib(pid):
    fields = {}
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            name, _, rest = line.partition(":")
            if name in ("VmRSS", "RssAnon", "RssFile"):
                fields[name] = int(rest.split()[0])
    return fields


def request(sock):
    """One GET /healthz on a kept-alive connection; True when a whole 200 came back."""
    sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(4096)
        if not chunk:
            return False
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    while len(body) < length:
        chunk = sock.recv(4096)
        if not chunk:
            return False
        body += chunk
    return head.startswith(b"HTTP/1.1 200")


def still_open(sock):
    # Non-blocking: with a timeout set, Python's recv reports an idle socket as an error, not as "no data yet".
    sock.setblocking(False)
    try:
        return sock.recv(1, socket.MSG_PEEK) != b""
    except BlockingIOError:
        return True
    except OSError:
        return False


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--pid", type=int, required=True, help="the gateway's process id, for its memory")
    parser.add_argument("--count", type=int, default=10000)
    parser.add_argument("--hold", type=float, default=5.0, help="seconds the connections stay idle before the check")
    args = parser.parse_args()

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    needed = args.count + 64
    if soft < needed:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (max(needed, soft), max(needed, hard)))
        except (ValueError, OSError) as error:
            sys.exit(f"cannot open {args.count} sockets: the descriptor limit is {soft} (hard {hard}) and cannot be raised: {error}")

    before = memory_kib(args.pid)
    sockets, refused, failed = [], 0, 0
    started = time.monotonic()
    try:
        for _ in range(args.count):
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.settimeout(10)
            try:
                sock.connect(("127.0.0.1", args.port))
            except OSError:
                refused += 1
                sock.close()
                continue
            sockets.append(sock)
            try:
                if not request(sock):
                    failed += 1
            except OSError:
                failed += 1
        opened_in = time.monotonic() - started
        time.sleep(args.hold)
        held = sum(1 for sock in sockets if still_open(sock))
        during = memory_kib(args.pid)
        # A new client still gets an answer with all of them held.
        with socket.create_connection(("127.0.0.1", args.port), timeout=10) as fresh:
            answers = request(fresh)
    finally:
        for sock in sockets:
            sock.close()
    time.sleep(1)
    after = memory_kib(args.pid)

    grown = during["VmRSS"] - before["VmRSS"]
    grown_private = during.get("RssAnon", 0) - before.get("RssAnon", 0)
    print(f"idle_requested\t{args.count}")
    print(f"idle_connected\t{len(sockets)}")
    print(f"idle_refused\t{refused}")
    print(f"idle_request_failures\t{failed}")
    print(f"idle_held\t{held}")
    print(f"idle_hold_seconds\t{args.hold}")
    print(f"idle_open_seconds\t{opened_in:.1f}")
    print(f"idle_new_client_answered\t{1 if answers else 0}")
    print(f"idle_rss_before_kib\t{before['VmRSS']}")
    print(f"idle_rss_held_kib\t{during['VmRSS']}")
    print(f"idle_rss_after_close_kib\t{after['VmRSS']}")
    print(f"idle_private_before_kib\t{before.get('RssAnon', 0)}")
    print(f"idle_private_held_kib\t{during.get('RssAnon', 0)}")
    per = grown / len(sockets) if sockets else 0
    per_private = grown_private / len(sockets) if sockets else 0
    print(f"idle_kib_per_connection\t{per:.2f}")
    print(f"idle_private_kib_per_connection\t{per_private:.2f}")


if __name__ == "__main__":
    main()
