import Foundation
import Logging
import NIOCore
import QLPCore
import QLPHTTP
import QLPRouting

/// The gateway's calls to its upstreams, on the client chosen by
/// `gateway.upstream_client`: keep-alive connections reused per host (at most
/// `connectionsPerHost` to one host), no decompression (the body is passed on
/// as it came), no redirects followed (a client would keep sending Azure
/// OpenAI's `api-key` wherever an upstream, or whoever answers in its place,
/// points), and a connect timeout of 2 s so that a dead upstream fails fast
/// and the request moves to another target.
///
/// `kind` is `gateway.upstream_client`, whose default (event_loop) lives in
/// `GatewaySettings`. The event loop client reads the upstream on the loop
/// that writes to the client, without libcurl's two thread crossings per
/// request; libcurl brings its proxy support (README, "Upstream client", has
/// both measured).
public final class UpstreamClient: Sendable {
    public let settings: UpstreamSettings
    let transport: any UpstreamHTTPTransport

    public init(settings: UpstreamSettings, kind: UpstreamClientKind) {
        self.settings = settings
        let logger = Logger(label: "qlp.gateway.upstream")
        switch kind {
        case .eventLoop:
            transport = EventLoopHTTPTransport(maxConnectionsPerHost: settings.connectionsPerHost, logger: logger)
        case .libcurl:
            // Transfers beyond a host's connections wait inside libcurl, where that wait counts against
            // their deadline; the total is only a guard against an unbounded number of handles.
            transport = CurlTransport(
                maxConcurrentTransfers: max(1024, settings.connectionsPerHost),
                maxConnectionsPerHost: settings.connectionsPerHost, logger: logger)
        }
    }

    public func shutdown() async throws { await transport.shutdown() }

    /// The longest a connection may take to open.
    static let connectTimeout = 2.0

    /// Sends one attempt and waits for what decides it: the response head, plus
    /// the whole body when not streaming or when the upstream refused, plus the
    /// first chunk when streaming. Until then nothing has reached the client,
    /// so any failure can still go to another target. All of it happens before
    /// `deadline.at`: a whole answer's transfer has the time left as its own
    /// timeout; a stream's transfer has until `deadline.streamEnds`, and its
    /// head and first chunk must come by `deadline.at` (libcurl's loop
    /// enforces both).
    /// `loop`: the event loop of the client's connection, where the upstream connection is kept.
    func send(
        _ client: ClientRequest, to target: RouteTarget, deadline: UpstreamDeadline, near loop: (any EventLoop)? = nil
    ) async -> UpstreamOutcome {
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
        let started = MonotonicClock.now
        let left = deadline.secondsLeft
        guard left > 0 else { return Self.timedOut(since: started) }
        var request = UpstreamCall.request(for: client, to: target, settings: settings, bearer: bearer)
        request.timeout = .seconds(client.stream ? deadline.streamEnds - MonotonicClock.now : left)
        request.connectTimeout = .seconds(min(left, Self.connectTimeout))
        request.maxResponseBytes = settings.maxResponseBytes
        do {
            if client.stream {
                // The head and first chunk by the attempt's share; the rest of the stream by the request's deadline.
                request.firstChunkTimeout = .seconds(left)
                return try await openStream(request, started: started, near: loop)
            }
            let response = try await transport.send(request, near: loop)
            if let redirect = Self.redirect(status: response.status) { return redirect }
            let seconds = MonotonicClock.now - started
            guard response.isSuccess else {
                return .refused(
                    UpstreamRefusal(status: response.status, headers: response.headers, body: response.body, seconds: seconds))
            }
            let body = ByteBuffer(bytes: response.body)
            if let problem = AnswerShape.problem(in: body, contentType: response.headers["content-type"]) {
                return .unreachable(.status(502), reason: problem)
            }
            return .answered(
                UpstreamAnswer(status: response.status, headers: response.headers, body: .complete(body), seconds: seconds))
        } catch is UpstreamDeadline.Passed {
            return Self.timedOut(since: started)
        } catch let error as HTTPTransportError {
            if case .timedOut = error { return Self.timedOut(since: started) }
            return .unreachable(Self.failure(for: error), reason: Self.describe(error))
        } catch {
            return .unreachable(.connect, reason: Self.describe(error))
        }
    }

    /// A streamed attempt: the head, then the first chunk, which decides it.
    private func openStream(_ request: HTTPRequest, started: Double, near loop: (any EventLoop)?) async throws -> UpstreamOutcome {
        let response = try await transport.open(request, near: loop)
        // Dropping `response` before the end stops the transfer and closes its connection.
        if let redirect = Self.redirect(status: response.status) { return redirect }
        guard response.isSuccess else {
            let body = try await response.collectBody()
            return .refused(
                UpstreamRefusal(
                    status: response.status, headers: response.headers, body: body, seconds: MonotonicClock.now - started))
        }
        let first = try await response.body.next().map { ByteBuffer(bytes: $0) }
        if let problem = AnswerShape.streamProblem(first: first, contentType: response.headers["content-type"]) {
            return .unreachable(.status(502), reason: problem)
        }
        return .answered(
            UpstreamAnswer(
                status: response.status, headers: response.headers,
                body: .stream(first: first, rest: StreamRemainder(response.body)),
                seconds: MonotonicClock.now - started))
    }

    /// A 3xx, never followed (see the type's comment).
    private static func redirect(status: Int) -> UpstreamOutcome? {
        guard (300..<400).contains(status) else { return nil }
        return .unreachable(
            .status(status),
            reason: "answered \(status), a redirect, which the gateway does not follow "
                + "(it would send the request and its key elsewhere)")
    }

    private static func timedOut(since started: Double) -> UpstreamOutcome {
        .unreachable(.timeout, reason: String(format: "timed out: no whole answer within %.1f s", MonotonicClock.now - started))
    }

    static func failure(for error: HTTPTransportError) -> UpstreamFailure {
        if case .timedOut = error { return .timeout }
        return .connect
    }

    /// A short reason for the error body and the logs (no URL, no headers).
    static func describe(_ error: any Error) -> String {
        if let error = error as? HTTPTransportError { return TransportFailureText.brief(error) }
        if error is CancellationError { return "cancelled" }
        if error is UpstreamDeadline.Passed { return "timed out" }
        return "\(error)"
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
    var headers: QLPHTTP.HTTPHeaders
    var body: Body
    /// From sending until the head and the whole body (or, streaming, the first chunk) were in.
    var seconds: Double
}

struct UpstreamRefusal: Sendable {
    var status: Int
    var headers: QLPHTTP.HTTPHeaders
    var body: [UInt8]
    var seconds: Double

    /// This answer as the retry policy sees it; `RetryPolicy.blamesTarget`
    /// decides whether it counts against the target.
    func failure(now: Date = Date()) -> UpstreamFailure {
        if status == 429 {
            return .throttled(retryAfterSeconds: RetryAfter.seconds(header: { headers[$0] }, now: now))
        }
        return .status(status)
    }
}

/// The rest of an upstream stream after its first chunk, read by one task
/// at a time: first the attempt, then the response writer.
struct StreamRemainder: Sendable {
    let body: HTTPBodyStream

    init(_ body: HTTPBodyStream) { self.body = body }

    /// The next chunk, nil at the end. No timer is raced against it: the
    /// transfer's own timeout is the request's deadline (`streamEnds`), which
    /// ends a stalled stream with `UpstreamDeadline.Passed`, and a drain that
    /// passes its deadline stops the transfer (`stop`), which ends the read
    /// with `GatewayDrain.StreamEnded`.
    func next(endedBy drain: GatewayDrain) async throws -> ByteBuffer? {
        if drain.streamsEnded { throw GatewayDrain.StreamEnded() }
        do {
            return try await body.next().map { ByteBuffer(bytes: $0) }
        } catch HTTPTransportError.timedOut {
            throw UpstreamDeadline.Passed()
        } catch HTTPTransportError.cancelled where drain.streamsEnded {
            throw GatewayDrain.StreamEnded()
        }
    }

    /// Stops the upstream transfer; a read waiting on it ends at once.
    func stop() { body.cancel() }
}
