import Foundation
import QLPCore
import QLPHTTP

/// An HTTP transport that keeps qlp within Azure's limits, whatever client
/// uses it: at most `maxConcurrentPerHost` requests per host, a per-minute
/// budget per host (Cost Management's own, smaller), every Retry-After and
/// x-ms-ratelimit-*-retry-after honoured for the whole host, and retries with
/// exponential backoff and jitter on 5xx, timeouts and dropped connections.
///
/// While a host holds us off (it asked us to wait, or its budget is spent),
/// requests to it are not sent at all: `send` throws a ``ThrottleHold`` that
/// says until when and why, which the Azure clients report as
/// ``AzureError/throttled(service:endpoint:retryAfter:reason:)``. A caller
/// cancelled while it waits for the budget gets `CancellationError`.
public final class ThrottlingTransport: HTTPTransport {
    private let base: any HTTPTransport
    private let gate: HostGate
    public let policy: ThrottlingPolicy
    private let clock: @Sendable () -> Date
    private let sleep: @Sendable (Duration) async throws -> Void

    /// `clock` and `sleep` are the wall clock and Task.sleep; tests pass a
    /// clock they move and a sleep that moves it, so waits take no real time.
    public init(
        wrapping base: any HTTPTransport, policy: ThrottlingPolicy = .standard,
        clock: @escaping @Sendable () -> Date = { Date() },
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }
    ) {
        self.base = base
        self.policy = policy
        self.clock = clock
        self.sleep = sleep
        self.gate = HostGate(policy: policy, clock: clock, sleep: sleep)
    }

    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        let host = Self.host(of: request.url)
        let lane = ThrottlingPolicy.lane(of: request.url)
        var attempt = 1
        while true {
            switch try await gate.admit(host: host, lane: lane) {
            case .held(let hold):
                throw hold
            case .admitted:
                break
            }
            let outcome: Result<HTTPResponse, any Error>
            do {
                outcome = .success(try await base.send(request))
            } catch {
                outcome = .failure(error)
            }
            await gate.release(host: host)

            switch outcome {
            case .success(let response):
                if response.status == 429 {
                    let now = clock()
                    let asked = RetryAfter.read(response.headers, now: now)
                    let wait = asked?.wait ?? .seconds(60)
                    await gate.hold(
                        host: host, lane: lane,
                        ThrottleHold(
                            until: now.addingTimeInterval(Self.seconds(wait)), wait: wait,
                            reason: .serviceAsked(header: asked?.header)))
                    return response
                }
                guard Self.isRetryable(status: response.status), attempt < policy.maxAttempts else { return response }
            case .failure(let error):
                guard Self.isRetryable(error), attempt < policy.maxAttempts else { throw error }
            }
            try await sleep(backoff(attempt: attempt))
            attempt += 1
        }
    }

    /// initial × 2^(attempt−1), capped, then "full jitter" between half and all of it.
    func backoff(attempt: Int) -> Duration {
        let base = Self.seconds(policy.initialBackoff) * pow(2, Double(attempt - 1))
        let capped = min(base, Self.seconds(policy.maxBackoff))
        return .milliseconds(Int(capped * 1000 * Double.random(in: 0.5...1.0)))
    }

    static func isRetryable(status: Int) -> Bool { [500, 502, 503, 504].contains(status) }

    static func isRetryable(_ error: any Error) -> Bool {
        switch error as? HTTPTransportError {
        case .timedOut, .connectionFailed: true
        case .transferFailed(_, let breakage, _): breakage.isConnectionLoss
        default: false
        }
    }

    static func host(of url: String) -> String {
        guard let schemeEnd = url.range(of: "://") else { return url }
        let rest = url[schemeEnd.upperBound...]
        return String(rest.prefix { $0 != "/" && $0 != "?" }).lowercased()
    }

    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }
}
