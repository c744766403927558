import Foundation
import QLPCore
import QLPHTTP
import QLPRouting
import Synchronization

/// Measures each target on a schedule with the smallest request it takes,
/// so that latency estimates, breakers and the dashboard know a target's
/// state even when no traffic goes to it. A target that served real traffic
/// in the last interval is left alone: that traffic measured it, and a probe
/// would only cost tokens. For Ollama it also reads which models are pulled
/// and loaded. It talks only to the targets' own endpoints.
public final class ModelProber: Sendable {
    public struct Settings: Sendable {
        /// Time between rounds; zero turns probing off.
        public var interval: Duration
        public var azureAPIVersion: String
        /// Sent as `api-key` to Azure OpenAI targets; never logged or reported.
        public var azureAPIKey: Secret?
        /// With Entra ID: the token sent as `Authorization: Bearer` instead of the key.
        public var azureBearer: UpstreamBearer?
        /// The limit on each probe, connecting included.
        public var timeout: Duration

        public init(
            interval: Duration = .seconds(30), azureAPIVersion: String = "2024-10-21", azureAPIKey: Secret? = nil,
            timeout: Duration = .seconds(20)
        ) {
            self.interval = interval
            self.azureAPIVersion = azureAPIVersion
            self.azureAPIKey = azureAPIKey
            self.timeout = timeout
        }

        /// The gateway's probe interval, its Azure OpenAI api-version and key;
        /// each probe bounded by the request timeout, at most 20 s.
        public init(gateway: GatewaySettings, upstream: UpstreamSettings) {
            self.init(
                interval: gateway.probeInterval, azureAPIVersion: upstream.azureAPIVersion, azureAPIKey: upstream.azureAPIKey,
                timeout: min(gateway.requestTimeout, .seconds(20)))
            azureBearer = upstream.azureBearer
        }
    }

    public let settings: Settings
    private let targets: @Sendable () -> [ProbeTarget]
    private let transport: any HTTPTransport
    private let servedRecently: @Sendable (String) -> Bool
    private let now: @Sendable () -> Date
    private let onResult: @Sendable (ProbeResult) -> Void
    private let onOllamaStatus: @Sendable (OllamaModelStatus) -> Void
    private let spent = Mutex(ProbeTotals())

    /// - Parameters:
    ///   - targets: read at the start of every round, so a changed route table is followed.
    ///   - servedRecently: whether a target (by name) served real traffic in the last interval.
    ///   - onResult: every probe's result, as it completes.
    ///   - onOllamaStatus: each Ollama server's pulled and loaded models, once a round.
    public init(
        targets: @escaping @Sendable () -> [ProbeTarget], settings: Settings, transport: any HTTPTransport,
        servedRecently: @escaping @Sendable (String) -> Bool = { _ in false },
        now: @escaping @Sendable () -> Date = { Date() },
        onResult: @escaping @Sendable (ProbeResult) -> Void,
        onOllamaStatus: @escaping @Sendable (OllamaModelStatus) -> Void = { _ in }
    ) {
        self.targets = targets
        self.settings = settings
        self.transport = transport
        self.servedRecently = servedRecently
        self.now = now
        self.onResult = onResult
        self.onOllamaStatus = onOllamaStatus
    }

    /// What the probes have used and cost so far.
    public var totals: ProbeTotals { spent.withLock { $0 } }

    /// Probes every interval until the task is cancelled (at once when the interval is zero).
    public func run() async {
        guard settings.interval > .zero else { return }
        while !Task.isCancelled {
            _ = await probeRound()
            do {
                try await Task.sleep(for: settings.interval)
            } catch {
                return
            }
        }
    }

    /// One round: every Ollama server's model listing, then every target not
    /// measured by traffic, all at once so a slow target holds up no other.
    /// - Returns: the round's results (each was also passed to `onResult`).
    @discardableResult
    public func probeRound() async -> [ProbeResult] {
        let round = targets()
        var ollamaEndpoints: [String] = []
        for probe in round where probe.target.backend == .ollama && !ollamaEndpoints.contains(probe.target.endpoint) {
            ollamaEndpoints.append(probe.target.endpoint)
        }
        let statuses = await withTaskGroup(of: OllamaModelStatus.self) { group in
            for endpoint in ollamaEndpoints { group.addTask { await self.ollamaStatus(endpoint: endpoint) } }
            var all: [String: OllamaModelStatus] = [:]
            for await status in group {
                all[status.endpoint] = status
                onOllamaStatus(status)
            }
            return all
        }
        let due = round.filter { !servedRecently($0.target.name) }
        let skipped = round.count - due.count
        if skipped > 0 { spent.withLock { $0.skipped += skipped } }
        return await withTaskGroup(of: ProbeResult.self) { group in
            for probe in due {
                let status = probe.target.backend == .ollama ? statuses[probe.target.endpoint] : nil
                group.addTask { await self.probe(probe, ollama: status) }
            }
            var results: [ProbeResult] = []
            for await result in group {
                spent.withLock { $0.add(result) }
                onResult(result)
                results.append(result)
            }
            return results
        }
    }

    /// Measures one target (not counted in `totals` nor passed to `onResult`; `probeRound` does that).
    public func probe(_ probe: ProbeTarget, ollama: OllamaModelStatus? = nil) async -> ProbeResult {
        let target = probe.target
        let started = now()
        let authorization: ProbeRequest.Authorization
        if let bearer = settings.azureBearer {
            authorization = target.backend == .azureOpenAI ? .bearer(await bearer.token()) : .none
        } else {
            authorization = .apiKey(settings.azureAPIKey)
        }
        let request = ProbeRequest.make(
            probe, apiVersion: settings.azureAPIVersion, authorization: authorization,
            timeout: settings.timeout)
        var result = ProbeResult(
            target: target.name, kind: probe.kind, at: started, connectMilliseconds: 0,
            timeToFirstTokenMilliseconds: nil, totalMilliseconds: 0, failure: nil, promptTokens: 0,
            completionTokens: 0, usageEstimated: false, cost: 0,
            ollamaModel: ollama?.state(of: target.upstreamModel))
        let response: HTTPResponse
        do {
            response = try await transport.send(request)
        } catch {
            // The transport throws only HTTPTransportError, whose text names the endpoint without its query.
            let failure: UpstreamFailure
            if case .timedOut? = error as? HTTPTransportError { failure = .timeout } else { failure = .connect }
            let reason = (error as? HTTPTransportError).map(TransportFailureText.brief) ?? "\(error)"
            result.failure = ProbeResult.Failure(status: nil, reason: reason, bodyExcerpt: "", upstreamFailure: failure)
            return result
        }
        result.connectMilliseconds = Self.milliseconds(response.timings.connect)
        result.totalMilliseconds = Self.milliseconds(response.timings.total)
        guard response.isSuccess else {
            let failure: UpstreamFailure =
                response.status == 429
                ? .throttled(retryAfterSeconds: RetryAfter.seconds(header: { response.headers[$0] }, now: now()))
                : .status(response.status)
            result.failure = ProbeResult.Failure(
                status: response.status, reason: "HTTP \(response.status)",
                bodyExcerpt: Self.excerpt(response.body), upstreamFailure: failure)
            return result
        }
        let reading = probe.kind == .chat ? ProbeReading.stream(response.body) : ProbeReading.embeddings(response.body)
        if probe.kind == .chat {
            result.timeToFirstTokenMilliseconds = Self.milliseconds(response.timings.timeToFirstByte)
        }
        result.usageEstimated = reading.promptTokens == nil
        result.promptTokens = reading.promptTokens ?? ProbeRequest.estimatedPromptTokens(probe.kind)
        result.completionTokens = reading.completionTokens ?? reading.contentChunks
        // Tokens were spent even when the body came back broken.
        result.cost =
            (Decimal(result.promptTokens) * target.inputCostPer1K + Decimal(result.completionTokens) * target.outputCostPer1K) / 1000
        if let problem = reading.problem ?? (reading.complete ? nil : "the body is incomplete") {
            // A body cut short or garbled is what a gateway would answer 502 for.
            result.failure = ProbeResult.Failure(
                status: response.status, reason: problem, bodyExcerpt: Self.excerpt(response.body),
                upstreamFailure: .status(502))
        }
        return result
    }

    /// An Ollama server's pulled (/api/tags) and loaded (/api/ps) models.
    public func ollamaStatus(endpoint: String) async -> OllamaModelStatus {
        let at = now()
        func fetch(_ path: String) async -> Result<[UInt8], OllamaModelStatus.ParseError> {
            do {
                let response = try await transport.send(
                    HTTPRequest(
                        method: .get, url: endpoint + path, timeout: settings.timeout,
                        connectTimeout: min(settings.timeout, .seconds(5)),
                        maxResponseBytes: 1 << 20))
                guard response.isSuccess else {
                    return .failure(.init(description: "\(path) answered HTTP \(response.status): \(Self.excerpt(response.body))"))
                }
                return .success(response.body)
            } catch {
                return .failure(.init(description: "\(path): \(error)"))
            }
        }
        async let tags = fetch("/api/tags")
        async let ps = fetch("/api/ps")
        do {
            let available = try OllamaModelStatus.parseTags(try await tags.get())
            let loaded = try OllamaModelStatus.parsePS(try await ps.get())
            return OllamaModelStatus(endpoint: endpoint, at: at, available: available, loaded: loaded)
        } catch {
            return OllamaModelStatus(endpoint: endpoint, at: at, available: [], loaded: [], failure: error.description)
        }
    }

    static func milliseconds(_ d: Duration) -> Double {
        Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15
    }

    /// The start of a body, on one line, for a failure the dashboard shows.
    static func excerpt(_ body: [UInt8]) -> String {
        let text = String(decoding: body.prefix(400), as: UTF8.self)
            .replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "\r", with: " ")
        return text.count > 200 ? String(text.prefix(200)) + "…" : text
    }
}
