import Foundation
import QLPTestSupport
import Testing

@testable import QLPAzure

#if canImport(Glibc)
    import Glibc
#endif

/// The runner `az` is started with (BoundedSubprocess, on swift-subprocess),
/// against /bin/sh scripts in a temporary directory: each guarantee the Azure
/// CLI credential relies on, in a form a broken runner fails.
@Suite struct AzureCLIProcessTests {
    /// A temporary directory holding an executable `run` with `body` as its script; removed by `remove()`.
    struct Script {
        let directory: String
        var path: String { directory + "/run" }

        init(_ body: String) throws {
            directory = NSTemporaryDirectory() + "qlp-process-\(UUID().uuidString)"
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try ExecutableScript.write(body, to: directory + "/run")
        }

        /// The script under `timeout`; HOME is the directory, so a script writes its files to "$HOME/...".
        func process(timeout: Duration = .seconds(20), environment: [String: String]? = nil) -> BoundedSubprocess {
            BoundedSubprocess(
                path: path, arguments: [], environment: environment ?? ["PATH": "/usr/bin:/bin", "HOME": directory],
                timeout: timeout)
        }

        func remove() { try? FileManager.default.removeItem(atPath: directory) }
    }

    /// Leaves a child in the background that holds stdout and stderr open, writes
    /// its pid to $HOME/grandchild.pid, and sleeps in the foreground.
    static let leavesAGrandchild = """
        sleep 30 &
        echo $! > "$HOME/grandchild.pid"
        sleep 30
        """

    @Test func atTheDeadlineTheWholeGroupIsKilledAndTheCallReturnsTimedOut() async throws {
        let script = try Script(Self.leavesAGrandchild)
        defer { script.remove() }
        let started = ContinuousClock.now
        await #expect(throws: BoundedSubprocess.Failure.timedOut) {
            _ = try await script.process(timeout: .seconds(2)).run()
        }
        // Waiting for the grandchild's EOF would take 30 s.
        #expect(ContinuousClock.now - started < .seconds(10))
        let grandchild = try #require(await Self.pid(writtenTo: script.directory + "/grandchild.pid"))
        let ended = await Self.ends(grandchild)
        #expect(ended, "the background child \(grandchild), which held the pipes, outlived the deadline")
        if !ended { kill(grandchild, SIGKILL) }
    }

    @Test func aCancelledCallKillsTheGroupAndSaysCancelled() async throws {
        let script = try Script(Self.leavesAGrandchild)
        defer { script.remove() }
        let process = script.process(timeout: .seconds(60))
        let call = Task { try await process.run() }
        defer { call.cancel() }
        // Cancelled once the script is running, not before it started.
        let grandchild = try #require(await Self.pid(writtenTo: script.directory + "/grandchild.pid"))
        let started = ContinuousClock.now
        call.cancel()
        await #expect(throws: BoundedSubprocess.Failure.cancelled) {
            _ = try await call.value
        }
        #expect(ContinuousClock.now - started < .seconds(10))
        let ended = await Self.ends(grandchild)
        #expect(ended, "the background child \(grandchild) outlived the cancelled call")
        if !ended { kill(grandchild, SIGKILL) }
    }

    @Test func outputOverTheLimitIsRefusedAndTheProgramStopped() async throws {
        // 1 MiB + 1 byte on stdout, then on stderr; the script would then sleep 30 s.
        for redirect in ["", " >&2"] {
            let script = try Script(
                """
                head -c 1048577 /dev/zero\(redirect)
                sleep 30
                """)
            defer { script.remove() }
            let started = ContinuousClock.now
            await #expect(throws: BoundedSubprocess.Failure.outputTooLarge(limit: 1 << 20)) {
                _ = try await script.process(timeout: .seconds(20)).run()
            }
            // Stopped at the limit, not left to the deadline.
            #expect(ContinuousClock.now - started < .seconds(10), "with output\(redirect)")
        }
    }

    @Test func outputUpToTheLimitIsKeptWhole() async throws {
        let script = try Script("head -c 1048576 /dev/zero")
        defer { script.remove() }
        let result = try await script.process().run()
        #expect(result.status == 0)
        #expect(result.output.count == 1 << 20)
        #expect(result.output.allSatisfy { $0 == 0 })
    }

    @Test func stdoutStderrAndTheExitStatusAreAllKept() async throws {
        let script = try Script(
            """
            echo to-stdout
            echo to-stderr >&2
            exit 3
            """)
        defer { script.remove() }
        let result = try await script.process().run()
        #expect(result.status == 3)
        #expect(String(decoding: result.output, as: UTF8.self) == "to-stdout\n")
        #expect(String(decoding: result.error, as: UTF8.self) == "to-stderr\n")
    }

    @Test func theEnvironmentIsExactlyTheOneGiven() async throws {
        let script = try Script("env")
        defer { script.remove() }
        let given = ["PATH": "/usr/bin:/bin", "HOME": script.directory, "QLP_PROBE": "two words=and an equals sign"]
        let result = try await script.process(environment: given).run()
        #expect(result.status == 0)
        var seen: [String: String] = [:]
        for line in String(decoding: result.output, as: UTF8.self).split(separator: "\n") {
            guard let equals = line.firstIndex(of: "=") else { continue }
            seen[String(line[..<equals])] = String(line[line.index(after: equals)...])
        }
        // What a shell sets for itself whatever it is given (dash: PWD; bash: SHLVL and _ too).
        let setByTheShell: Set<String> = ["PWD", "OLDPWD", "SHLVL", "_"]
        // Anything of the test runner's own environment would show here as an extra name.
        #expect(seen.filter { !setByTheShell.contains($0.key) } == given)
    }

    @Test func aProgramThatCannotStartIsCannotStartNamingIt() async throws {
        let script = try Script("exit 0")
        defer { script.remove() }
        let missing = BoundedSubprocess(path: script.directory + "/missing", arguments: [], environment: [:], timeout: .seconds(20))
        // Present but not executable: no x bit at all refuses even root.
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: script.path)
        let notExecutable = script.process()
        for process in [missing, notExecutable] {
            do {
                _ = try await process.run()
                Issue.record("\(process.path) must not start")
            } catch {
                guard case .cannotStart(let reason) = error else {
                    Issue.record("\(process.path): got \(error)")
                    continue
                }
                #expect(reason.contains(process.path), "the reason names the program: \(reason)")
            }
        }
    }

    /// The pid a script writes to `file`, once it is there (within 10 s).
    static func pid(writtenTo file: String) async -> Int32? {
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            if let text = try? String(contentsOfFile: file, encoding: .utf8),
                let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines))
            {
                return pid
            }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return nil
    }

    /// Whether `pid` stops running within 5 s (its sleep would run 30 s).
    static func ends(_ pid: Int32) async -> Bool {
        let deadline = ContinuousClock.now + .seconds(5)
        while ContinuousClock.now < deadline {
            if !isRunning(pid) { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return !isRunning(pid)
    }

    /// Gone, or a zombie: a killed orphan answers kill(pid, 0) until its new
    /// parent reaps it, which in a container may be a process that never does.
    static func isRunning(_ pid: Int32) -> Bool {
        guard kill(pid, 0) == 0 else { return false }
        #if os(Linux)
            // /proc/<pid>/stat: "pid (comm) S ...", the state after the last ')'.
            let descriptor = open("/proc/\(pid)/stat", O_RDONLY)
            guard descriptor >= 0 else { return false }
            defer { close(descriptor) }
            var buffer = [UInt8](repeating: 0, count: 1024)
            let count = read(descriptor, &buffer, buffer.count)
            guard count > 0 else { return false }
            let line = String(decoding: buffer[0..<count], as: UTF8.self)
            guard let paren = line.lastIndex(of: ")") else { return false }
            let state = line[line.index(after: paren)...].first { $0 != " " }
            return state != "Z" && state != "X"
        #else
            return true
        #endif
    }
}
