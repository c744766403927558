import Foundation
import QLPTestSupport
import Synchronization
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A program running beside a test (the emulator, say), with its output in a
/// file; `stop()` ends it with SIGTERM and reaps it.
final class BackgroundProcess: @unchecked Sendable {
    let pid: pid_t
    let outputPath: String
    let arguments: [String]

    /// - Parameter environment: the program's whole environment; nil: this process's.
    init(_ arguments: [String], outputPath: String, environment: [String: String]? = nil) throws {
        self.outputPath = outputPath
        self.arguments = arguments
        do {
            pid = try ChildProcess.spawn(arguments, output: outputPath, environment: environment)
        } catch {
            throw Subprocess.SpawnError(description: error.description)
        }
    }

    /// Waits until the output contains `text`.
    /// A program that ends first (its port taken, say) fails the wait at once, and either failure quotes
    /// the end of what it wrote: a bare "never said" left a 20 s wait unexplained.
    func waitForOutput(_ text: String, timeout: Duration = .seconds(20)) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let output = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
            if output.contains(text) { return }
            if hasEnded {
                let command = arguments.joined(separator: " ")
                throw WaitFailure(description: "\(command) ended without saying '\(text)'; it wrote:\n\(output.suffix(1500))")
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        let output = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        throw WaitFailure(description: "\(outputPath) never said '\(text)' within \(timeout); it wrote:\n\(output.suffix(1500))")
    }

    /// True once the program has exited (a zombie not yet reaped, or gone), read from /proc without reaping it.
    var hasEnded: Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return true }
        // The state follows the command name, which is in parentheses and may itself hold spaces.
        guard let close = stat.lastIndex(of: ")") else { return false }
        return stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).hasPrefix("Z")
    }

    /// SIGTERM, then waits for it to exit, blocking the calling thread: for a
    /// test's `defer`, where nothing can suspend. Where a test can, `terminate()`
    /// waits without holding one of the async pool's threads (see `onOwnThread`):
    /// a gateway draining for seconds stalls every other test meanwhile. After
    /// either, this does nothing (the pid may already be another process's).
    func stop(within limit: Duration = .seconds(40)) {
        guard beginStopping() else { return }
        let clock = ContinuousClock()
        let deadline = clock.now + limit
        while clock.now < deadline {
            if hasBeenReaped() { return }
            usleep(10_000)
        }
        killAfter(limit)
    }

    /// SIGTERM, then waits for it to exit, suspending between looks. A program
    /// still running after `limit` is killed and the test fails saying so: a
    /// shutdown that hangs is a defect to see.
    func terminate(within limit: Duration = .seconds(40)) async {
        guard beginStopping() else { return }
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            if hasBeenReaped() { return }
            try? await Task.sleep(for: .milliseconds(10))
        }
        killAfter(limit)
    }

    /// A crash: SIGKILL, no shutdown, no goodbye to clients; reaped at once.
    func kill9() {
        stopping.withLock { $0 = true }
        kill(pid, SIGKILL)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
    }

    /// The wait status once the program has exited (a test signalled it), reaped; nil if it is still
    /// running after `limit`. It suspends between looks, like `terminate()`.
    func exitStatus(within limit: Duration) async -> Int32? {
        let deadline = ContinuousClock.now + limit
        var status: Int32 = 0
        while ContinuousClock.now < deadline {
            if waitpid(pid, &status, WNOHANG) == pid {
                stopping.withLock { $0 = true }
                return status
            }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return nil
    }

    /// Whether a stop is already done or under way.
    private let stopping = Mutex(false)

    /// Sends SIGTERM unless a stop came first; false then.
    private func beginStopping() -> Bool {
        guard
            stopping.withLock({ state in
                defer { state = true }
                return !state
            })
        else { return false }
        kill(pid, SIGTERM)
        return true
    }

    private func hasBeenReaped() -> Bool {
        var status: Int32 = 0
        let reaped = waitpid(pid, &status, WNOHANG)
        return reaped == pid || (reaped == -1 && errno != EINTR)
    }

    private func killAfter(_ limit: Duration) {
        kill(pid, SIGKILL)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        Issue.record("\(arguments.joined(separator: " ")) did not exit within \(limit) of SIGTERM: killed (its output: \(outputPath))")
    }
}

/// `qlp emulate` on a loopback port of its own choosing, ready to answer; `stop()` it.
struct RunningEmulator {
    let process: BackgroundProcess
    let port: Int

    /// The emulator with `arguments` (faults, say) added, its output in `scratch`/`logName`. It binds port 0
    /// and says which port it got: a port picked here and handed over could be taken, by the client end of
    /// some other test's connection, before the emulator binds it.
    static func start(in scratch: ScratchDirectory, arguments: [String] = [], logName: String = "emulator.log") async throws
        -> RunningEmulator
    {
        let process = try BackgroundProcess(
            [QLPBinary.path, "emulate", "--port", "0"] + arguments, outputPath: scratch.path + "/" + logName)
        do {
            try await process.waitForOutput("listening on")
            let output = try String(contentsOfFile: process.outputPath, encoding: .utf8)
            guard let port = listeningPort(in: output) else {
                throw WaitFailure(description: "no port in the emulator's first line: \(output.prefix(200))")
            }
            return RunningEmulator(process: process, port: port)
        } catch {
            process.stop()
            throw error
        }
    }

    /// The port in "listening on http://127.0.0.1:PORT".
    static func listeningPort(in output: String) -> Int? {
        guard let range = output.range(of: "listening on http://127.0.0.1:") else { return nil }
        return Int(output[range.upperBound...].prefix { $0.isNumber })
    }

    func stop() { process.stop() }

    /// `stop()` for where a test can suspend (see `BackgroundProcess.terminate`).
    func terminate() async { await process.terminate() }
}
