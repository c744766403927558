import Foundation
import QLPCore
import QLPRouting
import QLPStore
import Testing
@testable import QLPGateway
#if canImport(Glibc)
import Glibc
#endif

/// Issue 14, finding 2: a client that opens a connection and sends nothing
/// (or stops half-way through its request) is closed after
/// gateway.idle_timeout, on the data plane and on the admin API alike.
@Suite(.timeLimit(.minutes(2))) struct ListenerIdleTimeoutTests {
    /// Opens a TCP connection to 127.0.0.1:`port`, writes `send`, and waits up
    /// to `limit` seconds for the server to close it. True when it did.
    static func serverCloses(port: Int, sending send: String = "", within limit: Int = 15) throws -> Bool {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw Failure(message: "socket() failed: errno \(errno)") }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw Failure(message: "connect() to port \(port) failed: errno \(errno)") }
        if !send.isEmpty {
            let bytes = Array(send.utf8)
            guard write(descriptor, bytes, bytes.count) == bytes.count else { throw Failure(message: "write() failed: errno \(errno)") }
        }
        var wait = timeval(tv_sec: limit, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &wait, socklen_t(MemoryLayout<timeval>.size))
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = read(descriptor, &buffer, buffer.count)
            if count == 0 { return true }           // closed by the server
            if count < 0 { return errno == ECONNRESET }  // EAGAIN: still open when the wait ran out
            // A 408 or similar before the close is fine: keep reading until it closes.
        }
    }

    struct Failure: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }

    @Test func finding02_silentClientsAreClosedOnBothListeners() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("qlp-idle-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let adminPort = try ReservedFreePort.take()
        var settings = GatewaySettings(adminPort: adminPort, probeInterval: .zero)
        settings.idleTimeout = .seconds(1)
        let table = RouteTable(version: 1, targets: [ollamaTarget("llama3", "http://127.0.0.1:9")],
                               routes: [Route(name: "chat", policy: .priority, shares: [.init(target: "llama3", weight: 100)], fallback: [])])
        let stack = try GatewayStack(configTable: table, databasePath: directory + "/routes.sqlite", settings: settings,
                                     upstream: UpstreamSettings())
        let base = try await stack.start(host: "127.0.0.1", port: 0)
        defer { Task { await stack.stop() } }
        let port = try #require(Int(base.split(separator: ":").last ?? ""))
        try await AdminPortWait.untilListening(adminPort)

        #expect(try Self.serverCloses(port: port), "the gateway kept a silent connection open")
        #expect(try Self.serverCloses(port: port, sending: "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n"),
                "the gateway kept a connection open whose request head stopped half-way")
        #expect(try Self.serverCloses(port: adminPort), "the admin API kept a silent connection open")
    }
}

/// A free loopback port for a listener the test configures by number (the admin API's).
enum ReservedFreePort {
    static func take() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) } }
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        let port = Int(UInt16(bigEndian: address.sin_port))
        guard port > 0 else { throw ListenerIdleTimeoutTests.Failure(message: "no free loopback port: errno \(errno)") }
        return port
    }
}

/// The admin API starts alongside the data plane; its port answers a moment later.
enum AdminPortWait {
    static func untilListening(_ port: Int) async throws {
        for _ in 0..<100 {
            let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            close(descriptor)
            if connected == 0 { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw ListenerIdleTimeoutTests.Failure(message: "the admin API never listened on \(port)")
    }
}
