#!/usr/bin/env python3
"""Measures how late a gateway passes on each streamed chunk (issue 15, item 5).

Two modes:

  upstream --port P   An OpenAI-compatible upstream on 127.0.0.1:P that answers
                      every POST /v1/chat/completions with a stream of --chunks
                      chat.completion.chunk events, --gap ms apart, each
                      carrying the CLOCK_MONOTONIC time it was written (ns) in
                      its delta. GET /api/tags lists the model (for probes).
                      Runs until killed.
  client --url URL    Sends --requests streaming chat requests to URL one after
                      the other and reads every chunk as it arrives; a chunk's
                      delay is the time it was read minus the time the
                      upstream wrote it (one machine, one monotonic clock).

The benchmark runs the client against the upstream directly and through the
gateway: the gateway's added delay is the difference. The first chunk is the
first token; later chunks show whether chunks are passed on one by one (a
gateway that buffers delays the early ones by the later ones' gaps).

The client prints `key<TAB>value` lines in milliseconds: first_p50, first_p90,
later_p50, later_p90, chunks_per_stream, errors. Loopback only.
"""
import argparse
import asyncio
import json
import socket
import statistics
import sys
import time


def chunk_event(content, finish=None):
    body = {
        "id": "chatcmpl-bench", "object": "chat.completion.chunk", "created": 0, "model": "llama3:8b",
        "choices": [{"index": 0, "delta": {"content": content}, "finish_reason": finish}],
    }
    return b"data: " + json.dumps(body, separators=(",", ":")).encode() + b"\n\n"


def http_chunk(payload):
    return b"%x\r\n%s\r\n" % (len(payload), payload)


async def serve(reader, writer, chunks, gap):
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")
            method, path, _ = lines[0].split(" ", 2)
            length = 0
            for line in lines[1:]:
                name, _, value = line.partition(":")
                if name.strip().lower() == "content-length":
                    length = int(value.strip())
            if length:
                await reader.readexactly(length)
            if method == "GET" and path == "/api/tags":
                body = json.dumps({"models": [{"name": "llama3:8b", "model": "llama3:8b"}]}).encode()
                writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body))
                await writer.drain()
                continue
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n"
                         b"Transfer-Encoding: chunked\r\n\r\n")
            await writer.drain()
            for index in range(chunks):
                if index:
                    await asyncio.sleep(gap)
                finish = "stop" if index == chunks - 1 else None
                writer.write(http_chunk(chunk_event(f"t={time.monotonic_ns()}", finish)))
                await writer.drain()
            writer.write(http_chunk(b"data: [DONE]\n\n") + b"0\r\n\r\n")
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError):
        pass
    finally:
        writer.close()


def run_upstream(args):
    async def main():
        server = await asyncio.start_server(
            lambda r, w: serve(r, w, args.chunks, args.gap / 1000), "127.0.0.1", args.port)
        async with server:
            await server.serve_forever()
    asyncio.run(main())


def read_stream(url, body):
    """Sends one streaming request on a new connection; returns each chunk's delay in ms."""
    rest = url.split("://", 1)[1]
    hostport, _, path = rest.partition("/")
    host, _, port = hostport.partition(":")
    sock = socket.create_connection((host, int(port)), timeout=30)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    try:
        sock.sendall(("POST /%s HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\n"
                      "Content-Length: %d\r\nConnection: close\r\n\r\n" % (path, hostport, len(body))).encode() + body)
        delays, buffer = [], b""
        while True:
            data = sock.recv(65536)
            now = time.monotonic_ns()
            if not data:
                break
            buffer += data
            # Every "t=<ns>" that arrived in this read was read now.
            while True:
                start = buffer.find(b"t=")
                if start < 0:
                    break
                end = start + 2
                while end < len(buffer) and buffer[end:end + 1].isdigit():
                    end += 1
                if end == len(buffer):
                    break  # the number may go on in the next read
                delays.append((now - int(buffer[start + 2:end])) / 1e6)
                buffer = buffer[end:]
            if b"data: [DONE]" in buffer:
                break
        return delays
    finally:
        sock.close()


def run_client(args):
    body = json.dumps({"model": args.model, "stream": True, "max_tokens": 16,
                       "messages": [{"role": "user", "content": "hi"}]}).encode()
    first, later, counts, errors = [], [], [], 0
    for _ in range(args.warmup):
        try:
            read_stream(args.url, body)
        except OSError:
            pass
    for _ in range(args.requests):
        try:
            delays = read_stream(args.url, body)
        except OSError:
            errors += 1
            continue
        if not delays:
            errors += 1
            continue
        first.append(delays[0])
        later.extend(delays[1:])
        counts.append(len(delays))
    if not first:
        sys.exit(f"no stream from {args.url} ({errors} errors)")

    def quantile(values, q):
        ordered = sorted(values)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]
    print(f"first_p50\t{statistics.median(first):.4f}")
    print(f"first_p90\t{quantile(first, 0.9):.4f}")
    if later:
        print(f"later_p50\t{statistics.median(later):.4f}")
        print(f"later_p90\t{quantile(later, 0.9):.4f}")
    print(f"chunks_per_stream\t{statistics.median(counts):.0f}")
    print(f"streams\t{len(first)}")
    print(f"errors\t{errors}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    modes = parser.add_subparsers(dest="mode", required=True)
    upstream = modes.add_parser("upstream")
    upstream.add_argument("--port", type=int, required=True)
    upstream.add_argument("--chunks", type=int, default=8)
    upstream.add_argument("--gap", type=float, default=5.0, help="milliseconds between chunks")
    client = modes.add_parser("client")
    client.add_argument("--url", required=True)
    client.add_argument("--model", default="llama3:8b")
    client.add_argument("--requests", type=int, default=200)
    client.add_argument("--warmup", type=int, default=20)
    args = parser.parse_args()
    run_upstream(args) if args.mode == "upstream" else run_client(args)


if __name__ == "__main__":
    main()
