"""Fleet benchmark: propagation of route changes between three qlp gateway
replicas on one Redis, and committed changes per second. See scripts/fleet-benchmark."""
import argparse
import json
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

# A new admin token each run: the replicas live only as long as the benchmark.
TOKEN = secrets.token_urlsafe(24)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(predicate, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise SystemExit(f"timed out waiting for {what}")


def request(method, url, body=None, token=TOKEN):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method)
    req.add_header("Authorization", f"Bearer {token}")
    req.add_header("X-QLP-Actor", "fleet-benchmark")
    if data is not None:
        req.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, json.loads(r.read() or b"{}")
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"{}")


def config(repo, emulator, port, admin, state, redis_port, name):
    text = open(os.path.join(repo, "config/qlp.yaml"), encoding="utf-8").read()
    budget = text[text.index("budget:"):text.index("# --- The seed's service configuration")]
    return f"""{budget}
ollama:
  endpoint: "http://127.0.0.1:{emulator}"
  models: ["llama3:8b", "mistral:7b", "codellama:13b"]
  vpn_connection: ""
  fallback_to_azure: false
routing:
  targets:
    llama3: {{backend: ollama, model: "llama3:8b", cost_per_1k_input: 0, cost_per_1k_output: 0}}
    mistral: {{backend: ollama, model: "mistral:7b", cost_per_1k_input: 0, cost_per_1k_output: 0}}
    codellama: {{backend: ollama, model: "codellama:13b", cost_per_1k_input: 0, cost_per_1k_output: 0}}
  routes:
    chat: {{policy: weighted, weights: {{llama3: 40, mistral: 40, codellama: 20}}, fallback: [mistral, llama3, codellama]}}
gateway:
  listen: "127.0.0.1:{port}"
  admin_listen: "127.0.0.1:{admin}"
  admin_token: "{TOKEN}"
  probe_interval: 0s
dashboard:
  log_file: {state}/gateway.log
  state_dir: {state}
fleet:
  redis_url: "redis://127.0.0.1:{redis_port}"
  replica_name: {name}
  key_prefix: "bench:"
"""


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--qlp", required=True)
    parser.add_argument("--repo", required=True)
    parser.add_argument("--changes", type=int, default=200)
    parser.add_argument("--writes", type=int, default=300)
    parser.add_argument("--out")
    args = parser.parse_args()
    out = args.out or tempfile.mkdtemp(prefix="qlp-fleet-bench.")
    os.makedirs(out, exist_ok=True)
    print(f"logs: {out}", file=sys.stderr)
    processes = []

    def start(argv, log):
        process = subprocess.Popen(argv, stdout=open(os.path.join(out, log), "w"), stderr=subprocess.STDOUT,
                                   start_new_session=True)
        processes.append(process)
        return process

    try:
        redis_port = free_port()
        start(["redis-server", "--port", str(redis_port), "--bind", "127.0.0.1", "--dir", out, "--save", "",
               "--appendonly", "yes", "--appendfsync", "everysec"], "redis.log")
        wait_for(lambda: subprocess.run(["redis-cli", "-p", str(redis_port), "ping"], capture_output=True).stdout.strip() == b"PONG",
                 10, "redis-server")
        emulator = free_port()
        start([args.qlp, "emulate", "--port", str(emulator), "--model-latency", "off"], "emulator.log")
        wait_for(lambda: "listening on" in open(os.path.join(out, "emulator.log")).read(), 30, "the emulator")
        replicas = []
        for index in range(3):
            name = f"replica-{index + 1}"
            port, admin = free_port(), free_port()
            state = os.path.join(out, name)
            os.makedirs(state, exist_ok=True)
            path = os.path.join(out, f"{name}.yaml")
            # It holds the admin token: readable by this user only.
            with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w", encoding="utf-8") as f:
                f.write(config(args.repo, emulator, port, admin, state, redis_port, name))
            start([args.qlp, "gateway", "--config", path], f"{name}.out")
            replicas.append((name, f"http://127.0.0.1:{port}", f"http://127.0.0.1:{admin}"))
        for name, _, _ in replicas:
            wait_for(lambda name=name: "listening on" in open(os.path.join(out, f"{name}.out")).read(), 60, name)

        def version(base):
            with urllib.request.urlopen(base + "/healthz", timeout=5) as r:
                return json.loads(r.read())["routes_version"]

        # Propagation: a change through replica 1, timed until replicas 2 and 3 serve it.
        samples = []
        weights = [{"llama3": 40, "mistral": 40, "codellama": 20}, {"llama3": 20, "mistral": 60, "codellama": 20}]
        for i in range(args.changes):
            current = request("GET", replicas[0][2] + "/admin/routes")[1]["version"]
            sent = time.monotonic()
            status, body = request("PUT", replicas[0][2] + "/admin/routes/chat/weights",
                                   {"version": current, "weights": weights[i % 2]})
            if status != 200:
                raise SystemExit(f"change {i} refused: {status} {body}")
            target = body["version"]
            for _, base, _ in replicas[1:]:
                while version(base) < target:
                    if time.monotonic() - sent > 10:
                        raise SystemExit(f"version {target} did not reach {base} in 10 s")
                    time.sleep(0.001)
                samples.append((time.monotonic() - sent) * 1000)

        # Throughput: three writers, each through its own replica, with versions; 409 -> retry.
        applied = [0, 0, 0]
        conflicts = [0, 0, 0]

        def writer(index):
            admin = replicas[index][2]
            done = 0
            while done < args.writes:
                current = request("GET", admin + "/admin/routes")[1]["version"]
                status, _ = request("PUT", admin + "/admin/routes/chat/weights",
                                    {"version": current, "weights": weights[(done + index) % 2]})
                if status == 200:
                    done += 1
                    applied[index] += 1
                elif status == 409:
                    conflicts[index] += 1
                else:
                    raise SystemExit(f"writer {index}: {status}")

        began = time.monotonic()
        threads = [threading.Thread(target=writer, args=(i,)) for i in range(3)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.monotonic() - began
        wait_for(lambda: len({version(base) for _, base, _ in replicas}) == 1, 5, "the replicas to agree")
        final = [version(base) for _, base, _ in replicas]
        audits = [json.dumps(request("GET", admin + "/admin/audit?limit=10000")[1]) for _, _, admin in replicas]

        print(f"fleet benchmark: 3 replicas, redis-server {subprocess.run(['redis-server', '--version'], capture_output=True, text=True).stdout.split()[2]}, qlp {args.qlp}")
        print(f"propagation over {args.changes} changes x 2 replicas: p50 {statistics.median(samples):.1f} ms, "
              f"p99 {percentile(samples, 99):.1f} ms, max {max(samples):.1f} ms")
        print(f"throughput: {sum(applied)} changes committed in {elapsed:.2f} s by 3 writers = {sum(applied) / elapsed:.0f} changes/s "
              f"({sum(conflicts)} 409s retried)")
        print(f"replica versions after: {final}; audit logs identical: {len(set(audits)) == 1}")
        p99 = percentile(samples, 99)
        print(f"{'PASS' if p99 <= 1000 else 'MISS'}: p99 propagation {p99:.1f} ms <= 1000 ms")
    finally:
        for process in reversed(processes):
            try:
                os.killpg(process.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        for process in processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)


if __name__ == "__main__":
    main()
