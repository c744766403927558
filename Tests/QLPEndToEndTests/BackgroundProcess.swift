import Foundation
import QLPTestSupport
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

    init(_ arguments: [String], outputPath: String) throws {
        self.outputPath = outputPath
        self.arguments = arguments
        do {
            pid = try ChildProcess.spawn(arguments, output: outputPath, environment: nil)
        } catch {
            throw Subprocess.SpawnError(description: error.description)
        }
    }

    /// Waits until the output contains `text`.
    func waitForOutput(_ text: String, timeout: Duration = .seconds(20)) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let output = try? String(contentsOfFile: outputPath, encoding: .utf8), output.contains(text) { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw WaitFailure(description: "\(outputPath) never said '\(text)'")
    }

    /// SIGTERM, then waits for it to exit. A program still running after
    /// `limit` is killed and the test fails saying so: a shutdown that hangs
    /// is a defect to see, and an unbounded wait here (on a thread of the
    /// test process's small pool) used to hang the whole suite instead.
    func stop(within limit: Duration = .seconds(40)) {
        kill(pid, SIGTERM)
        let clock = ContinuousClock()
        let deadline = clock.now + limit
        var status: Int32 = 0
        while clock.now < deadline {
            let reaped = waitpid(pid, &status, WNOHANG)
            if reaped == pid || (reaped == -1 && errno != EINTR) { return }
            usleep(10_000)
        }
        kill(pid, SIGKILL)
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        Issue.record("\(arguments.joined(separator: " ")) did not exit within \(limit) of SIGTERM: killed (its output: \(outputPath))")
    }
}

/// `qlp emulate` on a free loopback port, ready to answer; `stop()` it.
struct RunningEmulator {
    let process: BackgroundProcess
    let port: Int

    static func start(in scratch: ScratchDirectory) async throws -> RunningEmulator {
        let port = try freeLoopbackPort()
        let process = try BackgroundProcess(
            [QLPBinary.path, "emulate", "--port", String(port)], outputPath: scratch.path + "/emulator.log")
        do {
            try await process.waitForOutput("listening on")
        } catch {
            process.stop()
            throw error
        }
        return RunningEmulator(process: process, port: port)
    }

    func stop() { process.stop() }
}
