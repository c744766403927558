import Foundation
import QLPCore

/// The local Ollama server: its native /api (NDJSON streams, durations in
/// nanoseconds) and its OpenAI-compatible /v1. No authentication, as a local
/// Ollama has none.
struct OllamaRoute: EmulatorRoute {
    enum Operation: Sendable, Equatable {
        case chat, generate, embed, tags, ps, version
        case openAIChat, openAIEmbeddings, openAIModels
        case openAIModel(String)

        var isOpenAI: Bool {
            switch self {
            case .openAIChat, .openAIEmbeddings, .openAIModels, .openAIModel: true
            default: false
            }
        }
    }

    let endpoint = EmulatedEndpoint.ollama
    let authentication = RouteAuthentication.none

    static func operation(_ r: EmulatedRequest) -> Operation? {
        switch (r.method, r.lower.first, r.lower.count) {
        case (.post, "api", 2):
            return ["chat": .chat, "generate": .generate, "embed": .embed][r.lower[1]]
        case (.get, "api", 2), (.head, "api", 2):
            return ["tags": .tags, "ps": .ps, "version": .version][r.lower[1]]
        case (.post, "v1", 3) where r.lower[1] == "chat" && r.lower[2] == "completions": return .openAIChat
        case (.post, "v1", 2) where r.lower[1] == "embeddings": return .openAIEmbeddings
        case (.get, "v1", 2) where r.lower[1] == "models": return .openAIModels
        case (.get, "v1", 3) where r.lower[1] == "models": return .openAIModel(r.segments[2])
        default: return nil
        }
    }

    func matches(_ r: EmulatedRequest) -> Bool { Self.operation(r) != nil }

    func model(of r: EmulatedRequest, configuration: EmulatorConfiguration) -> String? {
        guard r.method == .post, let name = ModelRequestBody.modelName(r.body) else { return nil }
        return configuration.ollamaModel(named: name)?.name
    }

    func respond(to r: EmulatedRequest, context: RouteContext) async -> EmulatedResponse {
        guard let operation = Self.operation(r) else { return Self.error(404, "404 page not found", openAI: false) }
        let configuration = context.configuration
        switch operation {
        case .version:
            return EmulatorReply.json(.object([("version", .string("0.6.8"))]))
        case .tags:
            return EmulatorReply.json(.object([("models", .array(configuration.ollamaModels.map { tag($0, now: context.now) }))]))
        case .ps:
            let loaded = context.models.loaded(now: context.now)
            return EmulatorReply.json(
                .object([
                    (
                        "models",
                        .array(
                            loaded.compactMap { entry in
                                configuration.ollamaModel(named: entry.model).map { running($0, until: entry.until) }
                            })
                    )
                ]))
        case .openAIModels:
            return EmulatorReply.json(
                .object([
                    ("object", .string("list")),
                    ("data", .array(configuration.ollamaModels.map { listing($0, now: context.now) })),
                ]))
        case .openAIModel(let name):
            guard let model = configuration.ollamaModel(named: name) else { return Self.notFound(name, openAI: true) }
            return EmulatorReply.json(listing(model, now: context.now))
        case .chat, .generate, .openAIChat:
            do {
                let body = operation == .generate ? try ModelRequestBody.generate(r.body) : try ModelRequestBody.chat(r.body)
                return await generate(body, operation: operation, context: context)
            } catch {
                return Self.error(400, error.message, openAI: operation.isOpenAI, param: error.param)
            }
        case .embed, .openAIEmbeddings:
            do {
                return await embed(try ModelRequestBody.embeddings(r.body), openAI: operation.isOpenAI, context: context)
            } catch {
                return Self.error(400, error.message, openAI: operation.isOpenAI, param: error.param)
            }
        }
    }

    /// The model a request names, or the error Ollama gives.
    private func resolve(_ body: ModelRequestBody, openAI: Bool, context: RouteContext) -> Result<EmulatedModel, Refused> {
        guard let name = body.model, !name.isEmpty else {
            return .failure(Refused(response: Self.error(400, "model is required", openAI: openAI, param: "model")))
        }
        guard let model = context.configuration.ollamaModel(named: name) else {
            return .failure(Refused(response: Self.notFound(name, openAI: openAI)))
        }
        return .success(model)
    }

    struct Refused: Error { var response: EmulatedResponse }

    /// The timing for a request, with a cold start when the model was not loaded.
    private func timing(
        _ model: EmulatedModel, profile: ModelLatencyProfile,
        context: RouteContext
    ) -> (ModelTiming, load: Duration, serial: Int) {
        let configuration = context.configuration
        let serial = context.models.nextSerial(model.name)
        let noise = SeededNoise(seed: configuration.modelSeed)
        let cold = context.models.use(model.name, now: context.now)
        // Paging a model into memory: seconds, more for bigger models.
        let loadMilliseconds =
            cold ? (1200 + Double(noise.raw(stream: 7, day: serial) % 1800)) * max(1, Double(model.sizeBytes) / 4.5e9) : 0
        let timing = ModelTiming.draw(
            profile, latency: configuration.modelLatency, noise: noise, model: model.name, serial: serial,
            extraMilliseconds: loadMilliseconds)
        return (timing, .microseconds(Int64(loadMilliseconds * configuration.modelLatency.factor * 1000)), serial)
    }

    private func generate(_ body: ModelRequestBody, operation: Operation, context: RouteContext) async -> EmulatedResponse {
        let model: EmulatedModel
        switch resolve(body, openAI: operation.isOpenAI, context: context) {
        case .success(let m): model = m
        case .failure(let refused): return refused.response
        }
        let (timing, load, serial) = timing(model, profile: model.latency, context: context)
        let answer = CompletionText.answer(prompt: body.texts, typical: model.typicalCompletionTokens, maxTokens: body.maxTokens)
        let start = context.now
        // OpenAI clients stream only when asked; Ollama's own API streams unless told not to.
        let streams = operation == .openAIChat ? body.stream == true : body.stream != false
        await context.pause(timing.firstToken)
        if operation == .openAIChat {
            let flavour = OpenAIWire.Flavour(azure: false, model: model.name, fingerprint: "fp_ollama")
            let id = "chatcmpl-\(serial % 999)"
            let created = Int(start.timeIntervalSince1970)
            if streams {
                return EmulatedResponse(
                    status: 200, headers: [("Content-Type", "text/event-stream")], body: [],
                    parts: OpenAIWire.stream(
                        id: id, created: created, flavour: flavour, answer: answer,
                        includeUsage: body.includeUsage, timing: timing))
            }
            await context.pause(timing.perToken * max(0, answer.completionTokens - 1))
            return EmulatorReply.json(OpenAIWire.completion(id: id, created: created, flavour: flavour, answer: answer))
        }
        let field = operation == .chat ? "message" : "response"
        func content(_ text: String) -> JSONText {
            operation == .chat ? .object([("role", .string("assistant")), ("content", .string(text))]) : .string(text)
        }
        let stamp = OllamaTime(start: start)
        let promptNanos = max(1_000, Self.nanoseconds(timing.firstToken - load))
        let evalNanos = max(1_000, Int64(answer.completionTokens) * Self.nanoseconds(timing.perToken))
        let loadNanos = max(1_000, Self.nanoseconds(load))
        func final(_ text: String, at offset: Int64) -> JSONText {
            .object([
                ("model", .string(model.name)), ("created_at", .string(stamp.at(nanoseconds: offset))), (field, content(text)),
                ("done_reason", .string(answer.finishReason)), ("done", .bool(true)),
                ("total_duration", .number(Int(loadNanos + promptNanos + evalNanos))), ("load_duration", .number(Int(loadNanos))),
                ("prompt_eval_count", .number(answer.promptTokens)), ("prompt_eval_duration", .number(Int(promptNanos))),
                ("eval_count", .number(answer.completionTokens)), ("eval_duration", .number(Int(evalNanos))),
            ])
        }
        guard streams else {
            await context.pause(timing.perToken * max(0, answer.completionTokens - 1))
            return EmulatorReply.json(final(answer.text, at: loadNanos + promptNanos + evalNanos))
        }
        var parts: [EmulatedResponse.TimedPart] = []
        let firstNanos = loadNanos + promptNanos
        for (i, token) in answer.tokens.enumerated() {
            let line =
                JSONText.object([
                    ("model", .string(model.name)),
                    ("created_at", .string(stamp.at(nanoseconds: firstNanos + Int64(i) * Self.nanoseconds(timing.perToken)))),
                    (field, content(token)), ("done", .bool(false)),
                ]).rendered + "\n"
            parts.append(.init(delay: i == 0 ? .zero : timing.perToken, bytes: Array(line.utf8)))
        }
        parts.append(.init(delay: timing.perToken, bytes: Array((final("", at: firstNanos + evalNanos).rendered + "\n").utf8)))
        return EmulatedResponse(status: 200, headers: [("Content-Type", "application/x-ndjson")], body: [], parts: parts)
    }

    private func embed(_ body: ModelRequestBody, openAI: Bool, context: RouteContext) async -> EmulatedResponse {
        let model: EmulatedModel
        switch resolve(body, openAI: openAI, context: context) {
        case .success(let m): model = m
        case .failure(let refused): return refused.response
        }
        // An embedding is one forward pass over the input: tens of milliseconds locally.
        let (timing, load, _) = timing(
            model, profile: ModelLatencyProfile(firstTokenMilliseconds: 20...90, tokensPerSecond: 0...0, tail: 2),
            context: context)
        await context.pause(timing.firstToken)
        let vectors = body.inputs.map { CompletionText.embedding(of: $0.text, dimensions: model.embeddingDimensions) }
        let tokens = body.inputs.reduce(0) { $0 + ($1.tokens ?? max(1, ($1.text.utf8.count + 3) / 4)) }
        if openAI {
            return EmulatorReply.text(
                OpenAIWire.embeddings(model: model.name, vectors: vectors, promptTokens: tokens), status: 200,
                contentType: "application/json")
        }
        var out = #"{"model":\#(JSONText.string(model.name).rendered),"embeddings":["#
        out += vectors.map { "[" + $0.map(CompletionText.render).joined(separator: ",") + "]" }.joined(separator: ",")
        out += #"],"total_duration":\#(max(1_000, Self.nanoseconds(timing.firstToken))),"#
        out += #""load_duration":\#(max(1_000, Self.nanoseconds(load))),"prompt_eval_count":\#(tokens)}"#
        return EmulatorReply.text(out, status: 200, contentType: "application/json; charset=utf-8")
    }

    static func nanoseconds(_ d: Duration) -> Int64 {
        d.components.seconds * 1_000_000_000 + d.components.attoseconds / 1_000_000_000
    }

    /// /api/tags: a pulled model.
    private func tag(_ model: EmulatedModel, now: Date) -> JSONText {
        .object([
            ("name", .string(model.name)), ("model", .string(model.name)),
            ("modified_at", .string(OllamaTime(start: now.addingTimeInterval(-86_400 * 21)).at(nanoseconds: 0))),
            ("size", .number(model.sizeBytes)), ("digest", .string(Self.digest(model.name))), ("details", details(model)),
        ])
    }

    /// /api/ps: a loaded model and when keep_alive unloads it.
    private func running(_ model: EmulatedModel, until: Date) -> JSONText {
        .object([
            ("name", .string(model.name)), ("model", .string(model.name)), ("size", .number(model.sizeBytes)),
            ("digest", .string(Self.digest(model.name))), ("details", details(model)),
            ("expires_at", .string(OllamaTime(start: until).at(nanoseconds: 0))), ("size_vram", .number(model.sizeBytes)),
        ])
    }

    private func details(_ model: EmulatedModel) -> JSONText {
        .object([
            ("parent_model", .string("")), ("format", .string("gguf")), ("family", .string(model.family)),
            ("families", .array([.string(model.family)])), ("parameter_size", .string(model.parameterSize)),
            ("quantization_level", .string(model.quantization)),
        ])
    }

    /// /v1/models: `created` is the model's modified time.
    private func listing(_ model: EmulatedModel, now: Date) -> JSONText {
        .object([
            ("id", .string(model.name)), ("object", .string("model")),
            ("created", .number(Int(now.timeIntervalSince1970) - 86_400 * 21)), ("owned_by", .string("library")),
        ])
    }

    static func digest(_ name: String) -> String {
        var state = TextHash.of(name)
        return (0..<4).map { _ in
            state = SeededNoise.mix(state)
            let hex = String(state, radix: 16)
            return String(repeating: "0", count: 16 - hex.count) + hex
        }.joined()
    }

    static func notFound(_ name: String, openAI: Bool) -> EmulatedResponse {
        error(404, "model \"\(name)\" not found, try pulling it first", openAI: openAI)
    }

    /// Ollama's errors: {"error": "..."} natively, OpenAI's shape on /v1.
    static func error(
        _ status: Int, _ message: String, openAI: Bool, param: String? = nil,
        headers: [(String, String)] = []
    ) -> EmulatedResponse {
        if openAI {
            return OpenAIWire.error(
                status: status, message: message, type: OpenAIWire.errorType(status: status), param: param,
                headers: headers)
        }
        return EmulatorReply.json(.object([("error", .string(message))]), status: status, headers: headers)
    }

    func faultReply(status: Int, headers: [(String, String)], request: EmulatedRequest) -> EmulatedResponse? {
        let message =
            status == 429 || status == 503
            ? "server busy, please try again.  maximum pending requests exceeded"
            : "an error was encountered while running the model (emulated fault: \(status))"
        return Self.error(status, message, openAI: request.lower.first == "v1", headers: headers)
    }
}

/// Ollama's timestamps: RFC 3339 with nanoseconds, in UTC.
struct OllamaTime {
    let start: Date

    func at(nanoseconds offset: Int64) -> String {
        let instant = start.addingTimeInterval(Double(offset) / 1e9)
        let whole = floor(instant.timeIntervalSince1970)
        let nanos = Int((instant.timeIntervalSince1970 - whole) * 1e9)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: Date(timeIntervalSince1970: whole))
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%09dZ", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!, nanos)
    }
}
