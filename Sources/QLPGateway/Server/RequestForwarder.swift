import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import QLPCore
import QLPRouting

/// One client request's way through the gateway: resolve the model to a
/// route, plan the targets, try them in order until one answers, and pass the
/// answer on. Retries happen only before the first byte reaches the client;
/// a target is never tried twice unless the retry policy waits out its
/// Retry-After for it; attempts and time stay within the settings.
struct RequestForwarder {
    let gateway: Gateway
    /// Monotonic seconds when the request arrived.
    let started: Double
    /// The client connection's event loop: the upstream connection is kept on it.
    let loop: (any EventLoop)?

    /// One target tried and what came of it, for the error body.
    private struct Tried {
        var target: String
        var why: String
    }

    func forward(_ client: ClientRequest, caller: KeyGate.Caller) async -> Response {
        let snapshot = gateway.routes.snapshot
        guard let resolution = snapshot.compiled.resolve(model: client.model) else {
            let names = snapshot.compiled.routeNames
            return GatewayResponder.error(
                .invalidRequest(
                    "The model '\(client.model)' does not exist on this gateway. Routes: \(names.joined(separator: ", ")); "
                        + "a target's name or model name pins that target (GET /v1/models lists them all).",
                    param: "model", code: "model_not_found", status: .notFound))
        }
        // The key's limits, before any upstream is called.
        let arrived = Date()
        let account: RequestAccount
        switch gateway.keys.decide(caller, route: resolution.route, estimatedTokens: client.estimatedTokens, now: arrived) {
        case .admitted(let reservation):
            account = RequestAccount(
                gateway: gateway, caller: caller, reservation: reservation, route: resolution.route,
                arrived: arrived, started: started)
        case .refused(let refusal):
            gateway.metrics.recordKeyRefusal(key: caller.name, refusal)
            return GatewayResponder.error(
                KeyRefusalAnswer.error(
                    refusal, key: caller.name, currency: gateway.keys.currency,
                    timeZone: gateway.keys.timeZone, now: arrived))
        }
        let settings = gateway.settings
        let deadline = started + settings.requestTimeout.seconds
        let tick = gateway.routes.ticks.next(resolution.route)
        let health = gateway.health
        let plan = snapshot.compiled.plan(
            resolution, tick: tick, maxAttempts: settings.maxAttempts,
            health: { health.health(for: $0) })
        var tried: [Tried] = []
        var attempts = 0
        var upstreamSeconds = 0.0
        var lastRefusal: (target: RouteTarget, refusal: UpstreamRefusal)?
        var allTimeouts = true
        var index = 0
        var retryingSame = false
        var skipped: [Int] = []
        var forced = false
        attempting: while true {
            if index >= plan.count {
                // Every target's breaker refused: try the first anyway, since a
                // breaker's verdict is a guess and an error the client sees is certain.
                guard attempts == 0, !forced, let first = skipped.first else { break attempting }
                forced = true
                retryingSame = true
                index = first
            }
            let target = plan[index]
            if !retryingSame, !health.admit(target.name) {
                skipped.append(index)
                tried.append(Tried(target: target.name, why: "circuit breaker open"))
                index += 1
                continue
            }
            retryingSame = false
            attempts += 1
            // A share of the time left, so that a target that stalls leaves time for the next one.
            let share = AttemptDeadline.seconds(
                left: deadline - MonotonicClock.now,
                attemptsPossible: min(settings.maxAttempts - attempts + 1, plan.count - index))
            let outcome = await gateway.upstream.send(
                client, to: target, deadline: UpstreamDeadline(at: MonotonicClock.now + share, streamEnds: deadline), near: loop)
            let failure: UpstreamFailure
            switch outcome {
            case .answered(let answer):
                upstreamSeconds += answer.seconds
                // A fallback: not the plan's first target (it failed, or its breaker refused).
                // The latency is the one the route's SLO and the policies use: first byte for streams.
                gateway.traffic.record(
                    route: resolution.route, target: target.name, byFallback: index > 0,
                    latencyMilliseconds: answer.seconds * 1000)
                return deliver(
                    answer, from: target, route: resolution.route, attempts: attempts, upstreamSeconds: upstreamSeconds,
                    afterFallback: index > 0, stream: client.stream, hideUsage: client.usageRequestedForAccounting,
                    account: account)
            case .refused(let refusal):
                upstreamSeconds += refusal.seconds
                if refusal.status == 429 { gateway.traffic.recordThrottled(target: target.name) }
                gateway.metrics.recordAnswered(
                    target.name, status: refusal.status, seconds: refusal.seconds, firstTokenSeconds: nil,
                    usage: nil, cost: 0, afterFallback: false)
                let retryable = refusal.failure()
                guard RetryPolicy.blamesTarget(retryable) else {
                    // A client error (400, 413, 422, ...): the target is fine and another would say the same.
                    health.recordAnswer(target.name, milliseconds: refusal.seconds * 1000, usage: nil, cost: 0)
                    account.finish(
                        target: target.name, model: target.upstreamModel, tokens: nil, cost: nil, status: refusal.status,
                        attempts: attempts)
                    return passOn(refusal, from: target, route: resolution.route, attempts: attempts, upstreamSeconds: upstreamSeconds)
                }
                failure = retryable
                if case .throttled(let seconds) = retryable {
                    health.recordFailure(target.name, retryAfterSeconds: seconds, failure: retryable)
                } else {
                    health.recordFailure(target.name, failure: retryable)
                }
                lastRefusal = (target, refusal)
                allTimeouts = false
                tried.append(
                    Tried(
                        target: target.name,
                        why: "answered \(refusal.status)"
                            + (OpenAIErrorBody.message(in: refusal.body).map { ": \($0)" } ?? "")))
            case .unreachable(let unreachable, let reason):
                failure = unreachable
                health.recordFailure(target.name, failure: unreachable)
                gateway.metrics.recordUnanswered(target.name)
                if unreachable != .timeout { allTimeouts = false }
                tried.append(Tried(target: target.name, why: reason))
                gateway.logger.debug("upstream unreachable", metadata: ["target": "\(target.name)", "reason": "\(reason)"])
            }
            if Task.isCancelled { break attempting }
            let decision = gateway.retryPolicy.decide(
                after: failure, attemptsMade: attempts, targetsLeft: plan.count - index - 1,
                secondsLeft: deadline - MonotonicClock.now)
            switch decision {
            case .tryNext:
                index += 1
            case .waitThenRetrySame(let seconds):
                // The upstream said when to come back, within our wait limit and the deadline.
                do {
                    try await Task.sleep(for: .nanoseconds(Int64(seconds * 1e9)))
                } catch {
                    break attempting
                }
                retryingSame = true
            case .giveUp:
                break attempting
            }
        }
        if let lastRefusal {
            account.finish(
                target: lastRefusal.target.name, model: lastRefusal.target.upstreamModel, tokens: nil, cost: nil,
                status: lastRefusal.refusal.status, attempts: attempts)
            return passOn(
                lastRefusal.refusal, from: lastRefusal.target, route: resolution.route, attempts: attempts,
                upstreamSeconds: upstreamSeconds)
        }
        let answer = noUpstream(route: resolution.route, tried: tried, attempts: attempts, allTimeouts: allTimeouts && attempts > 0)
        let last = tried.last.flatMap { last in plan.first { $0.name == last.target } }
        account.finish(
            target: last?.name ?? "", model: last?.upstreamModel ?? "", tokens: nil, cost: nil, status: answer.status.code,
            attempts: attempts)
        return answer
    }

    // MARK: answers

    private func headers(route: String, target: String, attempts: Int, upstreamSeconds: Double) -> HTTPFields {
        var headers = HTTPFields()
        headers[GatewayHeaders.route] = route
        headers[GatewayHeaders.target] = target
        headers[GatewayHeaders.attempts] = String(attempts)
        let overhead = max(0, MonotonicClock.now - started - upstreamSeconds)
        gateway.metrics.recordOverhead(seconds: overhead)
        headers[GatewayHeaders.overhead] = Self.millisecondsText(seconds: overhead)
        return headers
    }

    /// Seconds as milliseconds with three decimals ("0.123"), as `%.3f` writes
    /// them, without Foundation's formatter (this runs for every answer).
    static func millisecondsText(seconds: Double) -> String {
        let microseconds = Int((max(0, seconds) * 1_000_000).rounded())
        let fraction = String(microseconds % 1000)
        return "\(microseconds / 1000)." + String(repeating: "0", count: 3 - fraction.count) + fraction
    }

    private func deliver(
        _ answer: UpstreamAnswer, from target: RouteTarget, route: String, attempts: Int, upstreamSeconds: Double,
        afterFallback: Bool, stream: Bool, hideUsage: Bool,
        account: RequestAccount
    ) -> Response {
        var headers = headers(route: route, target: target.name, attempts: attempts, upstreamSeconds: upstreamSeconds)
        headers[.contentType] =
            answer.headers["content-type"]
            ?? (stream ? "text/event-stream" : "application/json")
        let status = HTTPResponse.Status(code: answer.status)
        let health = gateway.health
        let metrics = gateway.metrics
        switch answer.body {
        case .complete(let body):
            let usage = Self.usage(in: Self.tail(of: body), of: target.name, logger: gateway.logger)
            let cost = usage?.cost(inputPer1K: target.inputCostPer1K, outputPer1K: target.outputCostPer1K)
            health.recordAnswer(
                target.name, milliseconds: answer.seconds * 1000, usage: usage, cost: cost ?? 0,
                timing: AnswerTiming(totalMilliseconds: answer.seconds * 1000, firstTokenMilliseconds: nil))
            metrics.recordAnswered(
                target.name, status: answer.status, seconds: answer.seconds, firstTokenSeconds: nil,
                usage: usage, cost: cost ?? 0, afterFallback: afterFallback)
            account.finish(
                target: target.name, model: target.upstreamModel, tokens: usage, cost: cost, status: answer.status,
                attempts: attempts)
            return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: body))
        case .stream(let first, let rest):
            headers[.cacheControl] = "no-cache"
            let firstTokenSeconds = answer.seconds
            let sentAt = MonotonicClock.now - answer.seconds
            let logger = gateway.logger
            let limit = gateway.settings.requestTimeout
            let drain = gateway.drain
            return Response(
                status: status, headers: headers,
                body: ResponseBody { writer in
                    // Counted while relayed, so a drain knows how many streams its deadline ends.
                    let registration = drain.streamOpened(stop: { rest.stop() })
                    defer { drain.streamClosed(registration) }
                    // Chunk by chunk as the upstream sends them; only a small tail is kept, for the usage chunk,
                    // which the client sees only if it asked for it.
                    var tail = StreamTail()
                    // Billed once whichever way the stream ends: completed (also counted as the target's answer),
                    // broken off upstream, or the client gone (499).
                    var billed = false
                    func bill(status: Int, completed: Bool) {
                        guard !billed else { return }
                        billed = true
                        let usage = Self.usage(in: tail.bytes, of: target.name, logger: logger)
                        let cost = usage?.cost(inputPer1K: target.inputCostPer1K, outputPer1K: target.outputCostPer1K)
                        if completed {
                            let totalSeconds = MonotonicClock.now - sentAt
                            health.recordAnswer(
                                target.name, milliseconds: firstTokenSeconds * 1000, usage: usage, cost: cost ?? 0,
                                timing: AnswerTiming(
                                    totalMilliseconds: totalSeconds * 1000,
                                    firstTokenMilliseconds: firstTokenSeconds * 1000))
                            metrics.recordAnswered(
                                target.name, status: answer.status, seconds: totalSeconds,
                                firstTokenSeconds: firstTokenSeconds, usage: usage, cost: cost ?? 0,
                                afterFallback: afterFallback)
                        }
                        account.finish(
                            target: target.name, model: target.upstreamModel, tokens: usage, cost: cost, status: status,
                            attempts: attempts, firstTokenSeconds: firstTokenSeconds)
                    }
                    var filter = hideUsage ? UsageChunkFilter() : nil
                    func forward(_ chunk: ByteBuffer) async throws {
                        tail.append(chunk)
                        // Counted before the client reads the stream's end: a client that reads /metrics or the
                        // ledger as soon as it has its `[DONE]` must find this answer there.
                        if StreamTail.endsWithDone(chunk) { bill(status: answer.status, completed: true) }
                        if filter == nil {
                            try await writer.write(chunk)
                        } else if let shown = filter?.pass(chunk) {
                            try await writer.write(shown)
                        }
                    }
                    do {
                        if let first { try await forward(first) }
                        while true {
                            let chunk: ByteBuffer?
                            do {
                                chunk = try await rest.next(endedBy: drain)
                            } catch is GatewayDrain.StreamEnded {
                                // The gateway is stopping and its drain deadline passed: a clean end the client can read.
                                let event = OpenAIErrorBody(
                                    status: .serviceUnavailable,
                                    message: "The gateway is shutting down; the answer from \(target.name) is incomplete.",
                                    type: "server_error", code: "gateway_shutting_down")
                                bill(status: event.status.code, completed: false)
                                if let rest = filter?.finish() { try await writer.write(rest) }
                                try await writer.write(ByteBuffer(string: "data: \(event.json)\n\n"))
                                try await writer.finish(nil)
                                return
                            } catch {
                                // A client that went away is not the target's fault, and there is no one left to tell.
                                if error is CancellationError || Task.isCancelled { throw error }
                                // The upstream stalled past the request's time limit or broke off: too late for another
                                // target, so the client gets an error event in the stream's own format and a clean end.
                                health.recordFailure(target.name)
                                metrics.recordUnanswered(target.name)
                                let stalled = error is UpstreamDeadline.Passed
                                let reason =
                                    stalled
                                    ? "sent nothing more within the request's time limit (\(limit))"
                                    : "broke off mid-stream: \(UpstreamClient.describe(error))"
                                logger.info("upstream stream broke off", metadata: ["target": "\(target.name)", "reason": "\(reason)"])
                                let event = OpenAIErrorBody(
                                    status: stalled ? .gatewayTimeout : .badGateway,
                                    message: "The upstream \(target.name) \(reason); the answer is incomplete.",
                                    type: "upstream_error", code: stalled ? "upstream_timeout" : "upstream_stream_broken")
                                bill(status: event.status.code, completed: false)
                                if let rest = filter?.finish() { try await writer.write(rest) }
                                try await writer.write(ByteBuffer(string: "data: \(event.json)\n\n"))
                                try await writer.finish(nil)
                                return
                            }
                            guard let chunk else { break }
                            try await forward(chunk)
                        }
                        if let rest = filter?.finish() { try await writer.write(rest) }
                        // An upstream that sent no `[DONE]`: counted as the stream ends.
                        bill(status: answer.status, completed: true)
                        try await writer.finish(nil)
                    } catch {
                        // The client went away (499, as nginx logs it): what was generated so far was still paid for.
                        bill(status: 499, completed: false)
                        throw error
                    }
                })
        }
    }

    /// An upstream's error answer, passed on with its status; its body as it
    /// came when it is OpenAI-shaped, wrapped in that shape when not.
    private func passOn(
        _ refusal: UpstreamRefusal, from target: RouteTarget, route: String, attempts: Int,
        upstreamSeconds: Double
    ) -> Response {
        var headers = headers(route: route, target: target.name, attempts: attempts, upstreamSeconds: upstreamSeconds)
        headers[.contentType] = "application/json"
        for name in ["retry-after", "retry-after-ms", "x-ms-retry-after-ms"] {
            if let value = refusal.headers[name], let field = HTTPField.Name(name) { headers[field] = value }
        }
        let body: ByteBuffer
        if OpenAIErrorBody.isOpenAIShaped(refusal.body) {
            body = ByteBuffer(bytes: refusal.body)
        } else {
            let text = String(decoding: refusal.body.prefix(500), as: UTF8.self)
            let error = OpenAIErrorBody(
                status: .init(code: refusal.status),
                message: "The upstream \(target.name) answered \(refusal.status)"
                    + (text.isEmpty ? "." : ": \(text)"),
                type: refusal.status >= 500 ? "upstream_error" : "invalid_request_error",
                code: "upstream_\(refusal.status)")
            body = ByteBuffer(string: error.json)
        }
        return Response(status: .init(code: refusal.status), headers: headers, body: ResponseBody(byteBuffer: body))
    }

    /// No upstream answered: 503 when none could be tried, 504 when all timed
    /// out, 502 otherwise; the body names each target tried and why.
    private func noUpstream(route: String, tried: [Tried], attempts: Int, allTimeouts: Bool) -> Response {
        let status: HTTPResponse.Status = attempts == 0 ? .serviceUnavailable : allTimeouts ? .gatewayTimeout : .badGateway
        let why =
            tried.isEmpty
            ? "no target is available (all drained or none configured)"
            : tried.map { "\($0.target): \($0.why)" }.joined(separator: "; ")
        var error = OpenAIErrorBody(
            status: status, message: "No upstream answered for route '\(route)': \(why).",
            type: "upstream_error",
            code: attempts == 0 ? "no_target_available" : allTimeouts ? "upstream_timeout" : "upstream_unreachable")
        error.headers[GatewayHeaders.route] = route
        error.headers[GatewayHeaders.attempts] = String(attempts)
        return GatewayResponder.error(error)
    }

    /// The answer's token usage; an implausible count is logged and nothing
    /// counted, since the answer itself may still be good for the client.
    static func usage(in bytes: [UInt8], of target: String, logger: Logger) -> TokenCounts? {
        do { return try TokenUsage.find(in: bytes) } catch {
            logger.warning("upstream usage not counted", metadata: ["target": "\(target)", "reason": "\(error)"])
            return nil
        }
    }

    /// The last bytes of a body, where `usage` sits in every answer seen.
    private static func tail(of buffer: ByteBuffer) -> [UInt8] {
        let count = min(buffer.readableBytes, StreamTail.capacity)
        return buffer.getBytes(at: buffer.readerIndex + buffer.readableBytes - count, length: count) ?? []
    }
}

/// The last few KiB of a stream, where the final usage chunk arrives.
struct StreamTail {
    static let capacity = 4096
    private static let done = Array("data: [DONE]".utf8)

    /// Whether `chunk` ends with the stream's terminal event (`data: [DONE]`
    /// and its blank line), looked for only in its last bytes.
    static func endsWithDone(_ chunk: ByteBuffer) -> Bool {
        let view = chunk.readableBytesView
        var end = view.endIndex
        var trailing = 0
        while end > view.startIndex, trailing < 4,
            view[view.index(before: end)] == UInt8(ascii: "\n")
                || view[view.index(before: end)] == UInt8(ascii: "\r")
        {
            end = view.index(before: end)
            trailing += 1
        }
        guard view.distance(from: view.startIndex, to: end) >= done.count else { return false }
        return view[view.index(end, offsetBy: -done.count)..<end].elementsEqual(done)
    }
    private(set) var bytes: [UInt8] = []

    mutating func append(_ chunk: ByteBuffer) {
        let view = chunk.readableBytesView
        if view.count >= Self.capacity {
            bytes = Array(view.suffix(Self.capacity))
        } else {
            bytes.append(contentsOf: view)
            if bytes.count > Self.capacity { bytes.removeFirst(bytes.count - Self.capacity) }
        }
    }
}

/// The headers the gateway adds to every proxied answer.
public enum GatewayHeaders {
    public static let route = HTTPField.Name("x-qlp-route")!
    public static let target = HTTPField.Name("x-qlp-target")!
    public static let attempts = HTTPField.Name("x-qlp-attempts")!
    /// The gateway's own time in milliseconds: total minus the time spent waiting on upstreams.
    public static let overhead = HTTPField.Name("x-qlp-overhead-ms")!
}
