import Foundation
import QLPTestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// A private tmux server running one command, read the way a person sees it
/// (capture-pane). Each session has its own socket, so tests never touch the
/// user's tmux, and `kill()` ends the server and everything in it.
final class TmuxSession: @unchecked Sendable {
    let socket: String

    init(command: String, width: Int, height: Int, environment: [String: String]) throws {
        socket = "qlp-e2e-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let exports = environment.sorted { $0.key < $1.key }.map { "\($0.key)=\(Self.quote($0.value))" }.joined(separator: " ")
        // The server this starts inherits the client's output: it must not be
        // a pipe we read to the end, or the read would last as long as the server.
        try run(
            ["new-session", "-d", "-s", "t", "-x", String(width), "-y", String(height), "env \(exports) \(command)"],
            captureOutput: false)
    }

    @discardableResult
    func run(_ arguments: [String], captureOutput: Bool = true) throws -> String {
        try Subprocess.runBlocking(["tmux", "-L", socket] + arguments, capture: captureOutput).output
    }

    func screen() -> String { (try? run(["capture-pane", "-p", "-t", "t"])) ?? "" }

    func send(_ keys: String...) throws { try run(["send-keys", "-t", "t"] + keys) }

    /// How long a test waits for a dashboard's first screen: `qlp demo` starts
    /// an emulator and a gateway first, and in a whole-suite run on two cores
    /// (a debug build, beside load tests) that once took more than 30 s.
    static let firstScreenTimeout: Duration = .seconds(90)

    /// Polls the screen until `condition` holds; returns the last screen.
    @discardableResult
    func waitFor(_ what: String, timeout: Duration = .seconds(30), _ condition: (String) -> Bool) async throws -> String {
        let deadline = ContinuousClock.now + timeout
        var last = ""
        while ContinuousClock.now < deadline {
            last = screen()
            if condition(last) { return last }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw WaitFailure(description: "timed out waiting for \(what); the screen was:\n\(last)")
    }

    /// Ends the server and removes its socket file, which kill-server leaves behind.
    func kill() {
        _ = try? run(["kill-server"], captureOutput: false)
        let directory =
            (ProcessInfo.processInfo.environment["TMUX_TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp")
            + "/tmux-\(getuid())"
        unlink(directory + "/" + socket)
    }

    static func quote(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'" }
}

struct WaitFailure: Error, CustomStringConvertible {
    var description: String
}

/// The built `qlp` binary: $QLP_BINARY, or next to this test bundle.
enum QLPBinary {
    static var path: String {
        if let path = ProcessInfo.processInfo.environment["QLP_BINARY"], !path.isEmpty { return path }
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("qlp").path
        if FileManager.default.isExecutableFile(atPath: beside) { return beside }
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../.build/debug/qlp")
        return repo.standardized.path
    }
}

/// A scratch directory removed at the end.
struct ScratchDirectory {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "qlp-e2e-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// Removes the folder, unless QLP_KEEP_SCRATCH is set: then a failed run's logs and configs stay to be read.
    func remove() {
        if ProcessInfo.processInfo.environment["QLP_KEEP_SCRATCH"] == nil { try? FileManager.default.removeItem(atPath: path) }
    }
}
