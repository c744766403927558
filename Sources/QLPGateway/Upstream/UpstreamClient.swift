import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import QLPCore
import QLPRouting

/// One shared AsyncHTTPClient for every upstream: a pool of keep-alive
/// connections per host on NIO's singleton event loops, no decompression (the
/// body is passed on as it came), no tracing spans, no connection-establishment retries, so
/// a dead upstream fails at once and the request moves to another target,
/// and no redirects followed: AsyncHTTPClient strips only Authorization and
/// Cookie when it follows one, so Azure OpenAI's `api-key` would go wherever
/// an upstream (or whoever answers in its place) points.
public final class UpstreamClient: Sendable {
    public let settings: UpstreamSettings
    let http: HTTPClient

    public init(settings: UpstreamSettings) {
        self.settings = settings
        var pool = HTTPClient.Configuration.ConnectionPool(
            idleTimeout: .seconds(60),
            concurrentHTTP1ConnectionsPerHostSoftLimit: settings.connectionsPerHost)
        pool.retryConnectionEstablishment = false
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow, timeout: .init(connect: .seconds(2)),
            connectionPool: pool, decompression: .disabled)
        // No tracer is bootstrapped, but the default one (NoOpTracer) still costs a span and its attributes,
        // the URL taken apart again among them, for every request: about 2% of the gateway's CPU under load.
        configuration.tracing.tracer = nil
        http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    public func shutdown() async throws { try await http.shutdown() }

    /// Sends one attempt and waits for what decides it: the response head, plus
    /// the whole body when not streaming or when the upstream refused, plus the
    /// first chunk when streaming. Until then nothing has reached the client,
    /// so any failure can still go to another target. All of it happens before
    /// `deadline`, the body included (AsyncHTTPClient's own deadline ends at the head).
    func send(_ client: ClientRequest, to target: RouteTarget, deadline: UpstreamDeadline) async -> UpstreamOutcome {
        var bearer: Secret?
        if target.backend == .azureOpenAI, let source = settings.azureBearer {
            // Read from the refresher's slot; waits only before the first token was ever obtained.
            bearer = await source.token()
            guard bearer != nil else {
                return .unreachable(
                    .status(401),
                    reason: "no Entra ID token for Azure OpenAI (azure_openai.auth: entra): "
                        + (source.lastError ?? "the credential gave none"))
            }
        }
        let request = UpstreamCall.request(for: client, to: target, settings: settings, bearer: bearer)
        let started = MonotonicClock.now
        let http = self.http
        let limit = settings.maxResponseBytes
        let stream = client.stream
        do {
            return try await deadline.race { () async throws -> UpstreamOutcome in
                let response = try await http.execute(request, deadline: deadline.nio)
                let status = Int(response.status.code)
                if (300..<400).contains(status) {
                    // Not followed (see the type's comment); its body is read only to keep the connection usable.
                    _ = try? await response.body.collect(upTo: 64 << 10)
                    return .unreachable(
                        .status(status),
                        reason: "answered \(status), a redirect, which the gateway does not follow "
                            + "(it would send the request and its key elsewhere)")
                }
                if !(200..<300).contains(status) {
                    let body = try await response.body.collect(upTo: limit)
                    return .refused(
                        UpstreamRefusal(
                            status: status, headers: response.headers, body: Array(buffer: body),
                            seconds: MonotonicClock.now - started))
                }
                if stream {
                    var iterator = response.body.makeAsyncIterator()
                    let first = try await iterator.next()
                    if let problem = AnswerShape.streamProblem(first: first, contentType: response.headers.first(name: "content-type")) {
                        return .unreachable(.status(502), reason: problem)
                    }
                    return .answered(
                        UpstreamAnswer(
                            status: status, headers: response.headers,
                            body: .stream(first: first, rest: StreamRemainder(iterator)),
                            seconds: MonotonicClock.now - started))
                }
                let body = try await response.body.collect(upTo: limit)
                if let problem = AnswerShape.problem(in: body, contentType: response.headers.first(name: "content-type")) {
                    return .unreachable(.status(502), reason: problem)
                }
                return .answered(
                    UpstreamAnswer(
                        status: status, headers: response.headers, body: .complete(body),
                        seconds: MonotonicClock.now - started))
            }
        } catch {
            if error is UpstreamDeadline.Passed {
                return .unreachable(
                    .timeout, reason: String(format: "timed out: no whole answer within %.1f s", MonotonicClock.now - started))
            }
            return .unreachable(Self.failure(for: error), reason: Self.describe(error))
        }
    }

    static func failure(for error: any Error) -> UpstreamFailure {
        if let error = error as? HTTPClientError {
            switch error {
            case .connectTimeout, .deadlineExceeded, .readTimeout, .writeTimeout, .getConnectionFromPoolTimeout:
                return .timeout
            default: return .connect
            }
        }
        return .connect
    }

    /// A short reason for the error body and the logs (no URL, no headers).
    static func describe(_ error: any Error) -> String {
        if let error = error as? HTTPClientError {
            switch error {
            case .connectTimeout: return "connect timed out"
            case .deadlineExceeded, .readTimeout, .writeTimeout: return "timed out"
            case .getConnectionFromPoolTimeout: return "no connection free in time"
            case .remoteConnectionClosed: return "closed the connection before answering"
            case .cancelled: return "cancelled"
            default: return "\(error)"
            }
        }
        if error is CancellationError { return "cancelled" }
        let text = "\(error)"
        if text.localizedCaseInsensitiveContains("refused") { return "connection refused" }
        return text
    }
}

/// What one attempt at one target came to.
enum UpstreamOutcome: Sendable {
    /// A 2xx: the answer to pass on.
    case answered(UpstreamAnswer)
    /// A non-2xx the upstream sent, with its body.
    case refused(UpstreamRefusal)
    /// No usable answer: refused connection, timeout, reset before the first
    /// byte, or a redirect (never followed).
    case unreachable(UpstreamFailure, reason: String)
}

struct UpstreamAnswer: Sendable {
    enum Body: Sendable {
        case complete(ByteBuffer)
        /// The first chunk (nil when the stream ended at once) and the rest, still arriving.
        case stream(first: ByteBuffer?, rest: StreamRemainder)
    }

    var status: Int
    var headers: HTTPHeaders
    var body: Body
    /// From sending until the head and the whole body (or, streaming, the first chunk) were in.
    var seconds: Double
}

struct UpstreamRefusal: Sendable {
    var status: Int
    var headers: HTTPHeaders
    var body: [UInt8]
    var seconds: Double

    /// This answer as the retry policy sees it; `RetryPolicy.blamesTarget`
    /// decides whether it counts against the target.
    func failure(now: Date = Date()) -> UpstreamFailure {
        if status == 429 {
            return .throttled(retryAfterSeconds: RetryAfter.seconds(header: { headers.first(name: $0) }, now: now))
        }
        return .status(status)
    }
}

/// The rest of an upstream stream after its first chunk. The iterator is used
/// by one task at a time: first the attempt, then the response writer (each
/// read in a child task of its own, raced against the deadline).
final class StreamRemainder: @unchecked Sendable {
    private var iterator: HTTPClientResponse.Body.AsyncIterator

    init(_ iterator: HTTPClientResponse.Body.AsyncIterator) { self.iterator = iterator }

    /// The next chunk, nil at the end; `UpstreamDeadline.Passed` when none came before `deadline`.
    func next(before deadline: UpstreamDeadline) async throws -> ByteBuffer? {
        try await deadline.race { try await self.iterator.next() }
    }
}
