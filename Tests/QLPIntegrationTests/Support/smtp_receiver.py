#!/usr/bin/env python3
"""A loopback SMTP receiver for the SMTP tests (SMTPMailTests.swift).

    smtp_receiver.py OUTPUT.jsonl [--user NAME] [--exit-on-stdin-eof] [--max-seconds N]

Listens on 127.0.0.1 on a port the kernel picks (so parallel tests never
race for one) and prints "listening on 127.0.0.1 port N" once ready. Each
accepted message is appended to OUTPUT.jsonl as one JSON object:
mail_from, rcpt_tos, content (the DATA bytes as UTF-8, dot-unstuffed),
auth_login (the user it logged in as, or null), and what Python's own
email package reads in the message (headers decoded, RFC 2047 included,
and the body after its transfer encoding), so that the Swift renderer is
checked against an independent MIME parser rather than against itself.

With --user, AUTH PLAIN or LOGIN is required, with that user and the
password in $QLP_SMTP_RECEIVER_PASSWORD (the environment rather than
argv, which any process can read); over plain TCP, since the tests have no
TLS. The password is never printed or recorded.

It exits on SIGTERM or SIGINT, after --max-seconds (300) so that nothing
outlives a test run, and with --exit-on-stdin-eof when its stdin closes:
the test holds the pipe's other end, so even a crashed test runner takes
the receiver with it.
"""

import argparse
import asyncio
import json
import logging
import os
import signal
import sys
import warnings

from email import message_from_bytes, policy

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


class Recorder:
    def __init__(self, path):
        self.path = path

    async def handle_DATA(self, server, session, envelope):
        login = None
        if session.authenticated and isinstance(session.auth_data, LoginPassword):
            login = session.auth_data.login.decode("utf-8", "replace")
        parsed = message_from_bytes(envelope.original_content, policy=policy.default)
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "content": envelope.original_content.decode("utf-8", "replace"),
            "auth_login": login,
            "headers": [[name, str(value)] for name, value in parsed.items()],
            "body": parsed.get_content(),
            "defects": [type(defect).__name__ for defect in parsed.defects],
        }
        with open(self.path, "a", encoding="utf-8") as out:
            out.write(json.dumps(record) + "\n")
        return "250 2.0.0 Ok: queued"


def make_authenticator(user, password):
    def authenticate(server, session, envelope, mechanism, auth_data):
        ok = (
            isinstance(auth_data, LoginPassword)
            and auth_data.login == user.encode()
            and auth_data.password == password.encode()
        )
        # handled=False lets aiosmtpd answer a failure with its standard
        # "535 5.7.8 Authentication credentials invalid".
        return AuthResult(success=ok, handled=False, auth_data=auth_data if ok else None)

    return authenticate


async def serve(arguments):
    # aiosmtpd warns that AUTH without TLS is unsafe (true, and deliberate
    # here on loopback) and that login_data is deprecated (its own use);
    # neither says anything a failing test needs.
    warnings.filterwarnings("ignore", message="Requiring AUTH while not requiring TLS")
    logging.getLogger("mail.log").setLevel(logging.ERROR)
    loop = asyncio.get_running_loop()
    options = {"hostname": "qlp-test-receiver"}
    if arguments.user is not None:
        password = os.environ.get("QLP_SMTP_RECEIVER_PASSWORD", "")
        options.update(
            authenticator=make_authenticator(arguments.user, password),
            auth_required=True,
            auth_require_tls=False,
        )
    handler = Recorder(arguments.output)
    server = await loop.create_server(lambda: SMTP(handler, **options), host="127.0.0.1", port=0)
    port = server.sockets[0].getsockname()[1]
    print(f"listening on 127.0.0.1 port {port}", flush=True)

    stop = asyncio.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    if arguments.exit_on_stdin_eof:
        def on_stdin():
            if not os.read(sys.stdin.fileno(), 4096):
                loop.remove_reader(sys.stdin.fileno())
                stop.set()

        loop.add_reader(sys.stdin.fileno(), on_stdin)
    try:
        await asyncio.wait_for(stop.wait(), timeout=arguments.max_seconds)
    except asyncio.TimeoutError:
        print("stopping: --max-seconds passed", file=sys.stderr, flush=True)
    server.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", help="file to append one JSON line per received message to")
    parser.add_argument("--user", help="require SMTP AUTH as this user (password in $QLP_SMTP_RECEIVER_PASSWORD)")
    parser.add_argument("--exit-on-stdin-eof", action="store_true", help="exit when stdin closes")
    parser.add_argument("--max-seconds", type=float, default=300.0, help="exit after this long (default 300)")
    asyncio.run(serve(parser.parse_args()))


if __name__ == "__main__":
    main()
