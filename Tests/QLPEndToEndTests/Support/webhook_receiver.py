#!/usr/bin/env python3
"""A loopback webhook receiver for the notification end-to-end tests.

    webhook_receiver.py OUTPUT.jsonl [--statuses 500,500,500,200] [--port N] [--max-seconds N] [--exit-on-stdin-eof]

Listens on 127.0.0.1 (on --port, or a port the kernel picks) and prints
"listening on 127.0.0.1 port N" once ready. Every POST is appended to
OUTPUT.jsonl as one JSON object: path, headers (a list of [name, value]),
body (text), the status it was answered with. The answers follow
--statuses in order; once the list is spent its last status repeats
(default: 200). Independent of the Swift code under test: Python's own
HTTP server reads what qlp sends.

It exits on SIGTERM or SIGINT, after --max-seconds (300) so that nothing
outlives a test run, and with --exit-on-stdin-eof when its stdin closes.
"""

import argparse
import http.server
import json
import os
import signal
import sys
import threading


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("output")
    parser.add_argument("--statuses", default="200")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--max-seconds", type=float, default=300)
    parser.add_argument("--exit-on-stdin-eof", action="store_true")
    arguments = parser.parse_args()
    statuses = [int(s) for s in arguments.statuses.split(",") if s]
    lock = threading.Lock()
    answered = [0]

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self):
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length).decode("utf-8", "replace")
            with lock:
                status = statuses[min(answered[0], len(statuses) - 1)]
                answered[0] += 1
                record = {"path": self.path, "headers": [[k, v] for k, v in self.headers.items()], "body": body, "status": status}
                with open(arguments.output, "a", encoding="utf-8") as out:
                    out.write(json.dumps(record) + "\n")
            reply = b"ok" if status < 300 else b"receiver says no"
            self.send_response(status)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(reply)))
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(reply)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", arguments.port), Handler)
    print(f"listening on 127.0.0.1 port {server.server_address[1]}", flush=True)

    def stop(*_):
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    threading.Timer(arguments.max_seconds, stop).start()

    def watch_stdin():
        try:
            while os.read(sys.stdin.fileno(), 1024):
                pass
        except OSError:
            pass
        stop()

    if arguments.exit_on_stdin_eof:
        threading.Thread(target=watch_stdin, daemon=True).start()
    server.serve_forever()
    os._exit(0)


if __name__ == "__main__":
    main()
