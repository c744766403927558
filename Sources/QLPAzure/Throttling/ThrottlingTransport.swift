import Foundation
import QLPHTTP

/// An HTTP transport that keeps qlp within Azure's limits, whatever client
/// uses it: at most `maxConcurrentPerHost` requests per host, a per-minute
/// budget per host (Cost Management's own, smaller), every Retry-After and
/// x-ms-ratelimit-*-retry-after honoured for the whole host, and retries with
/// exponential backoff and jitter on 5xx, timeouts and dropped connections.
///
/// While a host holds us off, requests to it are not sent at all: they get a
/// 429 of qlp's own (header `x-qlp-held: true`) carrying the time left, so
/// callers treat it like Azure's.
public final class ThrottlingTransport: HTTPTransport {
    private let base: any HTTPTransport
    private let gate: HostGate
    public let policy: ThrottlingPolicy
    private let clock: @Sendable () -> Date

    public init(wrapping base: any HTTPTransport, policy: ThrottlingPolicy = .standard,
                clock: @escaping @Sendable () -> Date = { Date() }) {
        self.base = base
        self.policy = policy
        self.clock = clock
        self.gate = HostGate(policy: policy, clock: clock)
    }

    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        let host = Self.host(of: request.url)
        let lane = ThrottlingPolicy.lane(of: request.url)
        var attempt = 1
        while true {
            switch await gate.admit(host: host, lane: lane) {
            case .held(let until):
                return Self.held(until: until, now: clock())
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
                    let wait = RetryAfter.wait(from: response.headers) ?? .seconds(60)
                    await gate.hold(host: host, lane: lane, until: clock().addingTimeInterval(Self.seconds(wait)))
                    return response
                }
                guard Self.isRetryable(status: response.status), attempt < policy.maxAttempts else { return response }
            case .failure(let error):
                guard Self.isRetryable(error), attempt < policy.maxAttempts else { throw error }
            }
            try await Task.sleep(for: backoff(attempt: attempt))
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
        case .transferFailed(_, let code, _): code == 52 || code == 55 || code == 56   // empty reply, send/recv failures
        default: false
        }
    }

    static func held(until: Date, now: Date) -> HTTPResponse {
        let seconds = max(1, Int(until.timeIntervalSince(now).rounded(.up)))
        let body = #"{"error":{"code":"ClientThrottled","message":"qlp is holding requests to this host for \#(seconds) s, as it asked."}}"#
        return HTTPResponse(status: 429, headers: ["Retry-After": String(seconds), "x-qlp-held": "true",
                                                   "Content-Type": "application/json"],
                            body: Array(body.utf8))
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
