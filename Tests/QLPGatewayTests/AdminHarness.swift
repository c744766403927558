import Foundation
import Logging
import QLPCore
import QLPHTTP
import QLPRouting
import QLPStore
import ServiceLifecycle
import Synchronization

@testable import QLPGateway

/// Every log line written through it, message and metadata, for tests that
/// check what reaches the log (a token must not).
final class CapturedLog: Sendable {
    private let lines = Mutex<[String]>([])

    var text: String { lines.withLock { $0.joined(separator: "\n") } }
    var count: Int { lines.withLock { $0.count } }

    func logger(_ label: String) -> Logger {
        var logger = Logger(label: label) { label in CapturingHandler(label: label, log: self) }
        logger.logLevel = .trace
        return logger
    }

    fileprivate func append(_ line: String) { lines.withLock { $0.append(line) } }
}

private struct CapturingHandler: LogHandler {
    let label: String
    let log: CapturedLog
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let all = metadata.merging(event.metadata ?? [:]) { _, new in new }
        let error = event.error.map { " error=\($0)" } ?? ""
        log.append(
            "\(event.level) \(label): \(event.message) \(all.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: " "))\(error)")
    }
}

/// A route authority over a store in a temporary directory, its admin API on
/// a free loopback port, and a client for it.
struct AdminHarness {
    static let token = "adm-" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
    /// The read-only token, when a test configures one.
    static let viewerToken = "view-" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()

    let authority: RouteAuthority
    let directory: String
    let base: String
    let transport: CurlTransport
    let log: CapturedLog
    private let group: ServiceGroup
    private let task: Task<Void, Never>

    var live: LiveRouteTable { authority.live }
    var store: any RouteStore { authority.store }

    static func start(
        token: String? = AdminHarness.token, viewerToken: String? = nil, adminName: String = "admin",
        viewerName: String = "viewer", table: RouteTable = RouteTableFixture.table()
    ) async throws -> AdminHarness {
        let directory = RouteTableFixture.temporaryDirectory()
        let log = CapturedLog()
        let authority = try RouteAuthority.open(
            databasePath: directory + "/routes.sqlite", configTable: table,
            logger: log.logger("qlp.routes"))
        let bound = AsyncStream<Int>.makeStream()
        var settings = GatewaySettings(adminToken: token.map(Secret.init))
        settings.viewerToken = viewerToken.map(Secret.init)
        settings.adminTokenName = adminName
        settings.viewerTokenName = viewerName
        let service = AdminService(
            authority: authority, settings: settings,
            host: "127.0.0.1", port: 0, logger: log.logger("qlp.admin")
        ) { port in
            bound.continuation.yield(port)
            bound.continuation.finish()
        }
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(services: [service], logger: log.logger("group")))
        let task = Task {
            try? await group.run()
            bound.continuation.finish()
        }
        var port = 0
        for await p in bound.stream { port = p }
        return AdminHarness(
            authority: authority, directory: directory, base: "http://127.0.0.1:\(port)",
            transport: CurlTransport(), log: log, group: group, task: task)
    }

    func stop() async {
        await group.triggerGracefulShutdown()
        await task.value
        transport.shutdown()
        try? FileManager.default.removeItem(atPath: directory)
    }

    func send(
        _ method: HTTPMethod, _ path: String, _ body: String? = nil, token: String? = AdminHarness.token,
        actor: String? = "alice"
    ) async throws -> HTTPResponse {
        var headers = HTTPHeaders()
        if let token { headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let actor { headers.add(name: "X-QLP-Actor", value: actor) }
        if body != nil { headers.add(name: "Content-Type", value: "application/json") }
        return try await transport.send(
            HTTPRequest(
                method: method, url: base + path, headers: headers,
                body: Array((body ?? "").utf8), timeout: .seconds(30)))
    }
}

/// The response's JSON object ([:] if it is not one).
func object(_ response: HTTPResponse) -> [String: Any] {
    (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any] ?? [:]
}

/// The targets the live table's plan for `route` tries first over `requests` consecutive ticks.
func firstChoices(_ live: LiveRouteTable, route: String = "chat", requests: Int = 100) -> [String: Int] {
    let compiled = live.snapshot.compiled
    var counts: [String: Int] = [:]
    guard let resolution = compiled.resolve(model: route) else { return counts }
    for tick in 0..<requests {
        if let first = compiled.plan(resolution, tick: tick, maxAttempts: 3, health: { _ in TargetHealth() }).first {
            counts[first.name, default: 0] += 1
        }
    }
    return counts
}
