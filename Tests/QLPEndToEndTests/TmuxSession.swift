import Foundation
import QLPTestSupport
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A private tmux server running one command, read the way a person sees it
/// (capture-pane). Each session has its own socket, so tests never touch the
/// user's tmux, and `kill()` ends the server and everything in it.
final class TmuxSession: @unchecked Sendable {
    let socket: String
    /// Whether `kill()` has ended it (and given back its dashboard turn).
    private let ended = Mutex(false)

    /// Waits for one of the machine's dashboard turns (`MachineTurns.dashboards`),
    /// then starts `command`; `kill()` gives the turn back.
    static func start(command: String, width: Int, height: Int, environment: [String: String]) async throws -> TmuxSession {
        await MachineTurns.dashboards.take()
        do {
            return try TmuxSession(command: command, width: width, height: height, environment: environment)
        } catch {
            MachineTurns.dashboards.give()
            throw error
        }
    }

    private init(command: String, width: Int, height: Int, environment: [String: String]) throws {
        socket = "qlp-e2e-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let exports = environment.sorted { $0.key < $1.key }.map { "\($0.key)=\(Self.quote($0.value))" }.joined(separator: " ")
        // The server this starts inherits the client's output: it must not be
        // a pipe we read to the end, or the read would last as long as the server.
        // The pane stays when its program ends (remain-on-exit, set in the same command list, before the
        // server can see the program end): a dashboard that exits at once leaves its message on the screen a
        // failed wait quotes, where a closed session left a blank screen and a 90 s wait unexplained.
        try run(
            [
                "new-session", "-d", "-s", "t", "-x", String(width), "-y", String(height), "env \(exports) \(command)",
                ";", "set-option", "-t", "t", "remain-on-exit", "on",
            ],
            captureOutput: false)
    }

    /// A tmux command, waited for on the calling thread: only where the caller cannot suspend (the
    /// initializer, `kill()` in a test's `defer`).
    @discardableResult
    func run(_ arguments: [String], captureOutput: Bool = true) throws -> String {
        try Subprocess.runBlocking(["tmux", "-L", socket] + arguments, capture: captureOutput).output
    }

    /// A tmux command on a thread of its own: screens are polled several times a second by a dozen
    /// tests at once, and on a loaded machine each command takes long enough that waiting on the
    /// async pool's threads stalled other tests (see `onOwnThread`).
    @discardableResult
    func command(_ arguments: [String]) async throws -> String {
        try await Subprocess.run(["tmux", "-L", socket] + arguments).output
    }

    func screen() async -> String { (try? await command(["capture-pane", "-p", "-t", "t"])) ?? "" }

    func send(_ keys: String...) async throws { try await command(["send-keys", "-t", "t"] + keys) }

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
            last = await screen()
            if condition(last) { return last }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw WaitFailure(description: "timed out waiting for \(what); the screen was:\n\(last)")
    }

    /// Ends the server and removes its socket file, which kill-server leaves behind.
    func kill() {
        guard
            ended.withLock({ state in
                defer { state = true }
                return !state
            })
        else { return }
        defer { MachineTurns.dashboards.give() }
        _ = try? run(["kill-server"], captureOutput: false)
        let directory =
            (ProcessInfo.processInfo.environment["TMUX_TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp")
            + "/tmux-\(getuid())"
        unlink(directory + "/" + socket)
    }

    static func quote(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'" }
}

/// Where the shell writes the exit status of a command a test runs in tmux,
/// so the test can see how it ended after it pressed `q`.
struct ExitStatusFile {
    let path: String

    init(_ scratch: ScratchDirectory) { path = scratch.path + "/exit-status-\(UUID().uuidString)" }

    /// `command`, then its status written here: for `sh -c`.
    func recording(_ command: String) -> String { "\(command); echo $? > \(path)" }

    /// How long a test waits for a dashboard to end once it pressed `q`. The
    /// dashboard ends its pollers and the embedded gateway before it exits; in
    /// a whole-suite run on two cores a 10 s wait was once too short.
    static let quitTimeout: Duration = .seconds(30)

    /// The status once the command has ended, or nil if it has not within `limit`.
    func wait(within limit: Duration = quitTimeout) async throws -> String? {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            if let text = try? String(contentsOfFile: path, encoding: .utf8), text.hasSuffix("\n") {
                return text.trimmingCharacters(in: .whitespacesAndNewlines)
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        return nil
    }
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
