import Foundation

/// Runs the real binary on a pseudo-terminal of its own (python3's pty
/// module does the fork/setsid/controlling-tty dance), capturing every byte
/// it writes, and reads the terminal's modes (`stty -a`) before it starts
/// and after it ends. tmux would hide the raw bytes; this keeps them.
struct PtyRun {
    /// One step of the script: wait, then send bytes or a signal.
    enum Step {
        case wait(seconds: Double)
        /// Waits until the output so far holds `text` (or the step's timeout passes).
        case waitForOutput(String, timeoutSeconds: Double)
        case send(String)
        case signal(Int32)
    }

    struct Outcome {
        /// Every byte the program wrote to its terminal.
        var output: [UInt8]
        /// Exit status, or 128 + signal number.
        var status: Int32
        var sttyBefore: String
        var sttyAfter: String
        /// True when the program was still running at the end and had to be killed.
        var killed: Bool
    }

    var arguments: [String]
    var environment: [String: String]
    var columns = 100
    var rows = 30

    /// Runs `steps`, then gives the program `exitWithinSeconds` to end before
    /// it is killed. The exit's time starts after the last step, so a start
    /// slowed by a loaded machine (the steps wait for output) does not eat it.
    func run(_ steps: [Step], exitWithinSeconds: Double = 20) async throws -> Outcome {
        // A dashboard under test, like one in tmux, waits for a turn (see `MachineTurns.dashboards`).
        await MachineTurns.dashboards.take()
        defer { MachineTurns.dashboards.give() }
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let script = scratch.path + "/pty.py"
        try Self.driver.write(toFile: script, atomically: true, encoding: .utf8)
        let plan: [[String: Any]] = steps.map { step in
            switch step {
            case .wait(let seconds): return ["wait": seconds]
            case .waitForOutput(let text, let timeout): return ["expect": text, "timeout": timeout]
            case .send(let text): return ["send": text]
            case .signal(let number): return ["signal": Int(number)]
            }
        }
        let config: [String: Any] = [
            "argv": arguments, "env": environment, "cols": columns, "rows": rows, "steps": plan,
            "exit_within": exitWithinSeconds, "output": scratch.path + "/output.bin",
        ]
        let configPath = scratch.path + "/config.json"
        try JSONSerialization.data(withJSONObject: config).write(to: URL(fileURLWithPath: configPath))
        let result = try await Subprocess.run(["python3", script, configPath])
        guard result.status == 0,
            let report = try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any]
        else {
            throw WaitFailure(description: "pty driver failed (\(result.status)): \(result.error)\(result.output)")
        }
        let output = try Data(contentsOf: URL(fileURLWithPath: scratch.path + "/output.bin"))
        return Outcome(
            output: [UInt8](output), status: Int32(report["status"] as? Int ?? -1),
            sttyBefore: report["before"] as? String ?? "", sttyAfter: report["after"] as? String ?? "",
            killed: report["killed"] as? Bool ?? true)
    }

    /// The driver: standard library only.
    static let driver = #"""
        import fcntl, json, os, select, signal, struct, subprocess, sys, termios, time

        cfg = json.load(open(sys.argv[1]))
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", cfg["rows"], cfg["cols"], 0, 0))
        slave_name = os.ttyname(slave)

        def stty():
            with open(slave_name) as tty:
                return subprocess.run(["stty", "-a"], stdin=tty, capture_output=True, text=True).stdout

        before = stty()
        env = dict(cfg["env"])
        env.setdefault("TERM", "xterm-256color")

        def become_session_leader():
            os.setsid()
            fcntl.ioctl(0, termios.TIOCSCTTY, 0)
            for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGTSTP, signal.SIGPIPE):
                signal.signal(s, signal.SIG_DFL)

        child = subprocess.Popen(cfg["argv"], stdin=slave, stdout=slave, stderr=slave, env=env,
                                 preexec_fn=become_session_leader, close_fds=True)
        output = bytearray()

        def pump(seconds):
            end = time.monotonic() + seconds
            while True:
                left = end - time.monotonic()
                if left <= 0:
                    return
                ready, _, _ = select.select([master], [], [], min(left, 0.05))
                if ready:
                    try:
                        data = os.read(master, 65536)
                    except OSError:
                        return
                    if not data:
                        return
                    output.extend(data)
                elif child.poll() is not None:
                    # Drain what is left, then stop.
                    ready, _, _ = select.select([master], [], [], 0.1)
                    if not ready:
                        return

        for step in cfg["steps"]:
            if child.poll() is not None:
                break
            if "wait" in step:
                pump(step["wait"])
            elif "expect" in step:
                want = step["expect"].encode()
                end = time.monotonic() + step["timeout"]
                while want not in output and time.monotonic() < end and child.poll() is None:
                    pump(0.1)
            elif "send" in step:
                os.write(master, step["send"].encode())
            elif "signal" in step:
                os.kill(child.pid, step["signal"])

        killed = False
        deadline = time.monotonic() + cfg["exit_within"]
        while child.poll() is None and time.monotonic() < deadline:
            pump(0.1)
        if child.poll() is None:
            killed = True
            child.kill()
            child.wait()
        pump(0.2)
        status = child.returncode if child.returncode >= 0 else 128 - child.returncode
        after = stty()
        open(cfg["output"], "wb").write(bytes(output))
        print(json.dumps({"status": status, "before": before, "after": after, "killed": killed}))
        """#
}
