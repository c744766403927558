import Foundation
import Synchronization

/// Counts what the emulator served: requests per endpoint and how many were
/// in flight at once (the most ever), so tests can check a client's
/// concurrency limits from the far side of the wire.
public final class EmulatorStatistics: Sendable {
    private struct Counts {
        var perEndpoint: [EmulatedEndpoint: Int] = [:]
        var inFlight = 0
        var maxInFlight = 0
        var log: [(endpoint: EmulatedEndpoint, at: Date)] = []
        var statuses: [EmulatedEndpoint: [Int: Int]] = [:]
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
            if $0.log.count > Self.logLimit { $0.log.removeFirst($0.log.count - Self.logLimit) }
        }
    }

    func answered(_ endpoint: EmulatedEndpoint, status: Int) {
        counts.withLock { $0.statuses[endpoint, default: [:]][status, default: 0] += 1 }
    }

    /// How many answers to `endpoint` had this status.
    public func responses(from endpoint: EmulatedEndpoint, status: Int) -> Int {
        counts.withLock { $0.statuses[endpoint]?[status] ?? 0 }
    }

    /// When each request to `endpoint` arrived (emulator clock), oldest first.
    public func arrivals(at endpoint: EmulatedEndpoint) -> [Date] {
        counts.withLock { $0.log.filter { $0.endpoint == endpoint }.map(\.at) }
    }

    public func requests(to endpoint: EmulatedEndpoint) -> Int { counts.withLock { $0.perEndpoint[endpoint] ?? 0 } }
    public var maxConcurrentRequests: Int { counts.withLock { $0.maxInFlight } }

    public func reset() { counts.withLock { $0 = Counts() } }
}
