import Foundation
import Synchronization

/// Counts what the emulator served: requests per endpoint and how many were
/// in flight at once (the most ever), so tests can check a client's
/// concurrency limits from the far side of the wire.
public final class EmulatorStatistics: Sendable {
    private struct Counts {
        var perEndpoint: [EmulatedEndpoint: Int] = [:]
        var perModel: [String: Int] = [:]
        var inFlight = 0
        var maxInFlight = 0
        var log: [(endpoint: EmulatedEndpoint, at: Date)] = []
        var statuses: [EmulatedEndpoint: [Int: Int]] = [:]
        var openConnections: Set<ObjectIdentifier> = []
        var maxConnections = 0
        var connectionsOpened = 0
        var userAgents: [String: Int] = [:]
    }

    /// The request log keeps the most recent requests, enough for tests that
    /// ask "did anything reach the endpoint in this window?".
    public static let logLimit = 10_000

    private let counts = Mutex(Counts())

    public init() {}

    func begin() {
        counts.withLock {
            $0.inFlight += 1
            $0.maxInFlight = max($0.maxInFlight, $0.inFlight)
        }
    }

    func end() { counts.withLock { $0.inFlight -= 1 } }

    func count(_ endpoint: EmulatedEndpoint, at time: Date) {
        counts.withLock {
            $0.perEndpoint[endpoint, default: 0] += 1
            $0.log.append((endpoint, time))
            // Trimmed in batches: trimming one entry per request would move the
            // whole log on every request once full (benchmarks send tens of thousands).
            if $0.log.count >= 2 * Self.logLimit { $0.log.removeFirst($0.log.count - Self.logLimit) }
        }
    }

    /// Counts the User-Agent of a request to an emulated API ("" when it sent none).
    func count(userAgent: String?) { counts.withLock { $0.userAgents[userAgent ?? "", default: 0] += 1 } }

    /// Requests per User-Agent ("" for none), for tests that check every client names itself.
    public var userAgents: [String: Int] { counts.withLock { $0.userAgents } }

    func count(model: String) { counts.withLock { $0.perModel[model, default: 0] += 1 } }

    /// Requests for one Azure OpenAI deployment or Ollama model (faulted ones included).
    public func requests(toModel model: String) -> Int { counts.withLock { $0.perModel[model] ?? 0 } }

    /// Requests per deployment or model, for every one asked for so far.
    public var requestsPerModel: [String: Int] { counts.withLock { $0.perModel } }

    func answered(_ endpoint: EmulatedEndpoint, status: Int) {
        counts.withLock { $0.statuses[endpoint, default: [:]][status, default: 0] += 1 }
    }

    /// How many answers to `endpoint` had this status.
    public func responses(from endpoint: EmulatedEndpoint, status: Int) -> Int {
        counts.withLock { $0.statuses[endpoint]?[status] ?? 0 }
    }

    /// When each request to `endpoint` arrived (emulator clock), oldest first.
    public func arrivals(at endpoint: EmulatedEndpoint) -> [Date] {
        counts.withLock { $0.log.suffix(Self.logLimit).filter { $0.endpoint == endpoint }.map(\.at) }
    }

    /// Records a connection the first time a request arrives on it.
    /// - Returns: true when it is new.
    func connectionSeen(_ id: ObjectIdentifier) -> Bool {
        counts.withLock {
            guard $0.openConnections.insert(id).inserted else { return false }
            $0.connectionsOpened += 1
            $0.maxConnections = max($0.maxConnections, $0.openConnections.count)
            return true
        }
    }

    func connectionClosed(_ id: ObjectIdentifier) { _ = counts.withLock { $0.openConnections.remove(id) } }

    /// The most client connections open at once.
    public var maxConcurrentConnections: Int { counts.withLock { $0.maxConnections } }
    /// Connections clients opened in all.
    public var connectionsOpened: Int { counts.withLock { $0.connectionsOpened } }

    public func requests(to endpoint: EmulatedEndpoint) -> Int { counts.withLock { $0.perEndpoint[endpoint] ?? 0 } }
    public var maxConcurrentRequests: Int { counts.withLock { $0.maxInFlight } }

    /// Clears the counts; connections still open stay counted as open.
    public func reset() {
        counts.withLock { current in
            let open = current.openConnections
            current = Counts()
            current.openConnections = open
            current.maxConnections = open.count
        }
    }
}
