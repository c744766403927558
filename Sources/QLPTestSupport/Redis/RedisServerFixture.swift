import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A redis-server of a test's own on 127.0.0.1, with its data in a temporary directory (append-only file
/// on, so data survives `stop()` and `start()` like a real restart). `stop()` and `start()` again keep
/// the port and directory (fleet tests take Redis away and bring it back); `kill9()` is a crash.
/// `remove()` stops it and deletes the directory: call it in every test, also on failure paths.
public final class RedisServerFixture: Sendable {
    public let port: Int
    public let directory: String
    /// Extra redis-server arguments (--requirepass, TLS files...).
    public let extraArguments: [String]
    /// When the server listens only for TLS, readiness is read from its log instead of a PING.
    private let tlsOnly: Bool
    private let process = Mutex<pid_t?>(nil)

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
        public init(description: String) { self.description = description }
    }

    /// Starts a server on a free loopback port (redis-server cannot pick one itself: a port is chosen
    /// here, and another one tried if something takes it before redis binds it).
    /// With `tlsPort: true` the chosen port is the TLS port and the plain port is off; pass the TLS
    /// files in `arguments`.
    public static func start(arguments: [String] = [], tlsPort: Bool = false) async throws -> RedisServerFixture {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("qlp-redis-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var lastFailure: (any Error)?
        for _ in 0..<5 {
            let fixture = RedisServerFixture(
                port: try freeLoopbackPort(), directory: directory,
                extraArguments: arguments, tlsOnly: tlsPort)
            do {
                try await fixture.start()
                return fixture
            } catch let failure as Failure where failure.description.contains("Address already in use") {
                lastFailure = failure
            } catch {
                try? FileManager.default.removeItem(atPath: directory)
                throw error
            }
        }
        try? FileManager.default.removeItem(atPath: directory)
        throw lastFailure ?? Failure(description: "redis-server found no free port")
    }

    private init(port: Int, directory: String, extraArguments: [String], tlsOnly: Bool) {
        self.port = port
        self.directory = directory
        self.extraArguments = extraArguments
        self.tlsOnly = tlsOnly
    }

    public var url: String { "\(tlsOnly ? "rediss" : "redis")://127.0.0.1:\(port)" }
    public var logPath: String { directory + "/redis.log" }
    public var isRunning: Bool { process.withLock { $0 != nil } }

    /// Starts (or restarts) the server on this fixture's port and directory; returns once it answers.
    public func start() async throws {
        guard !isRunning else { return }
        let listen = tlsOnly ? ["--port", "0", "--tls-port", String(port)] : ["--port", String(port)]
        let arguments =
            ["/usr/bin/redis-server"] + listen + [
                "--bind", "127.0.0.1", "--dir", directory, "--save", "", "--appendonly", "yes",
                "--appendfsync", "everysec", "--daemonize", "no", "--logfile", logPath,
            ] + extraArguments
        // The log outlives restarts: only what this start writes says it is ready.
        let logStart = ((try? FileManager.default.attributesOfItem(atPath: logPath))?[.size] as? Int) ?? 0
        let pid = try spawn(arguments)
        process.withLock { $0 = pid }
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid {
                process.withLock { $0 = nil }
                let log = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
                throw Failure(description: "redis-server on port \(port) exited at start: \(log.suffix(600))")
            }
            // The ping blocks for up to a second: on a thread of its own, not the async pool's.
            let port = self.port
            if tlsOnly ? logSaysReady(after: logStart) : await onOwnThread({ Self.answersPing(port: port) }) { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        kill9()
        throw Failure(description: "redis-server on port \(port) did not answer within 10 s")
    }

    /// SIGTERM, then SIGKILL if it is still there after 5 s; reaps the process.
    public func stop() async {
        guard let pid = process.withLock({ $0 }) else { return }
        kill(pid, SIGTERM)
        let deadline = ContinuousClock.now + .seconds(5)
        var status: Int32 = 0
        while ContinuousClock.now < deadline {
            if waitpid(pid, &status, WNOHANG) == pid {
                process.withLock { $0 = nil }
                return
            }
            try? await Task.sleep(for: .milliseconds(20))
        }
        kill9()
    }

    /// A crash: SIGKILL, no shutdown, no goodbye to clients.
    public func kill9() {
        guard
            let pid = process.withLock({ state -> pid_t? in
                defer { state = nil }
                return state
            })
        else { return }
        kill(pid, SIGKILL)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
    }

    /// Stops the server and deletes its directory.
    public func remove() async {
        await stop()
        try? FileManager.default.removeItem(atPath: directory)
    }

    deinit {
        // A test that forgot `remove()` must still not leave a server behind.
        kill9()
    }

    private func logSaysReady(after offset: Int) -> Bool {
        let log = (try? Data(contentsOf: URL(fileURLWithPath: logPath))) ?? Data()
        return String(decoding: log.dropFirst(offset), as: UTF8.self).contains("Ready to accept connections")
    }

    /// One PING on a fresh socket. -NOAUTH counts: a server with requirepass is up too.
    private static func answersPing(port: Int) -> Bool {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var timeout = timeval(tv_sec: 1, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = loopbackAddress(port: port)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { return false }
        let ping = Array("PING\r\n".utf8)
        guard write(descriptor, ping, ping.count) == ping.count else { return false }
        var reply = [UInt8](repeating: 0, count: 64)
        let count = read(descriptor, &reply, reply.count)
        guard count > 0 else { return false }
        let text = String(decoding: reply[..<count], as: UTF8.self)
        return text.hasPrefix("+PONG") || text.hasPrefix("-NOAUTH")
    }

    private func spawn(_ arguments: [String]) throws -> pid_t {
        do {
            return try ChildProcess.spawn(arguments, output: directory + "/redis.stdout", appending: true)
        } catch {
            throw Failure(description: error.description)
        }
    }
}
