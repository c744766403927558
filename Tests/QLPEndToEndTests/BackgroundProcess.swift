import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A program running beside a test (the emulator, say), with its output in a
/// file; `stop()` ends it with SIGTERM and reaps it.
final class BackgroundProcess: @unchecked Sendable {
    let pid: pid_t
    let outputPath: String

    init(_ arguments: [String], outputPath: String) throws {
        self.outputPath = outputPath
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var spawned: pid_t = 0
        let status = posix_spawn(&spawned, arguments[0], &actions, &attributes, argv, environ)
        guard status == 0 else { throw Subprocess.SpawnError(description: "cannot start \(arguments[0]): \(String(cString: strerror(status)))") }
        pid = spawned
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

    func stop() {
        kill(pid, SIGTERM)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
    }
}

/// `qlp emulate` on a free loopback port, ready to answer; `stop()` it.
struct RunningEmulator {
    let process: BackgroundProcess
    let port: Int

    static func start(in scratch: ScratchDirectory) async throws -> RunningEmulator {
        let port = try freeLoopbackPort()
        let process = try BackgroundProcess([QLPBinary.path, "emulate", "--port", String(port)], outputPath: scratch.path + "/emulator.log")
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

