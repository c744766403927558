import Foundation
import QLPCore

/// POST /openai/deployments/{deployment}/chat/completions?api-version=...
/// and .../embeddings: Azure OpenAI's inference API.
struct AzureOpenAIRoute: EmulatorRoute {
    enum Operation: Sendable { case chat, embeddings }

    let operation: Operation
    var endpoint: EmulatedEndpoint { operation == .chat ? .openAIChat : .openAIEmbeddings }
    /// Azure OpenAI checks its own `api-key` header (or an Entra token) and answers in its own shape.
    let authentication = RouteAuthentication.none

    func matches(_ r: EmulatedRequest) -> Bool {
        guard r.method == .post, r.lower.count >= 4, r.lower[0] == "openai", r.lower[1] == "deployments" else { return false }
        switch operation {
        case .chat: return r.lower.count == 5 && r.lower[3] == "chat" && r.lower[4] == "completions"
        case .embeddings: return r.lower.count == 4 && r.lower[3] == "embeddings"
        }
    }

    func model(of r: EmulatedRequest, configuration: EmulatorConfiguration) -> String? {
        configuration.deployment(named: r.segments[2])?.name
    }

    func respond(to r: EmulatedRequest, context: RouteContext) async -> EmulatedResponse {
        let configuration = context.configuration
        let requestID = UUID().uuidString.lowercased()
        let headers = [("apim-request-id", requestID), ("x-request-id", requestID), ("x-ms-region", "UK South")]
        if let denied = authorize(r, context: context) { return denied }
        guard let apiVersion = r.apiVersion, !apiVersion.isEmpty else {
            return EmulatorReply.json(
                .object([("error", .object([("code", .string("404")), ("message", .string("Resource not found"))]))]),
                status: 404, headers: headers)
        }
        guard let deployment = configuration.deployment(named: r.segments[2]) else {
            return Self.azureError(
                status: 404, code: "DeploymentNotFound",
                message: "The API deployment for this resource does not exist. If you created the deployment "
                    + "within the last 5 minutes, please wait a moment and try again.", headers: headers)
        }
        let wanted: EmulatedModel.Kind = operation == .chat ? .chat : .embeddings
        guard deployment.model.kind == wanted else {
            return Self.azureError(
                status: 400, code: "OperationNotSupported",
                message: "The \(operation == .chat ? "chatCompletion" : "embeddings") operation does not work with "
                    + "the specified model, \(deployment.model.name). Please choose different model and try again. "
                    + "You can learn more about which models can be used with each operation here: "
                    + "https://go.microsoft.com/fwlink/?linkid=2197993.", headers: headers)
        }
        do {
            switch operation {
            case .chat: return await chat(try ModelRequestBody.chat(r.body), deployment: deployment, context: context, headers: headers)
            case .embeddings:
                return await embeddings(try ModelRequestBody.embeddings(r.body), deployment: deployment, context: context, headers: headers)
            }
        } catch {
            return OpenAIWire.error(
                status: 400, message: error.message, type: "invalid_request_error", param: error.param, headers: headers)
        }
    }

    private func chat(
        _ body: ModelRequestBody, deployment: EmulatedDeployment, context: RouteContext,
        headers: [(String, String)]
    ) async -> EmulatedResponse {
        let model = deployment.model
        let serial = context.models.nextSerial(deployment.name)
        let timing = ModelTiming.draw(
            model.latency, latency: context.configuration.modelLatency,
            noise: SeededNoise(seed: context.configuration.modelSeed), model: deployment.name, serial: serial)
        let answer = CompletionText.answer(prompt: body.texts, typical: model.typicalCompletionTokens, maxTokens: body.maxTokens)
        let id = "chatcmpl-" + Self.identifier(seed: context.configuration.modelSeed, name: deployment.name, serial: serial)
        let flavour = OpenAIWire.Flavour(azure: true, model: model.name, fingerprint: Self.fingerprint(model.name))
        let created = Int(context.now.timeIntervalSince1970)
        await context.pause(timing.firstToken)
        if body.stream == true {
            let parts = OpenAIWire.stream(
                id: id, created: created, flavour: flavour, answer: answer, includeUsage: body.includeUsage,
                timing: timing)
            return EmulatedResponse(
                status: 200,
                headers: [
                    ("Content-Type", "text/event-stream; charset=utf-8"),
                    ("Cache-Control", "no-cache"),
                ] + headers, body: [], parts: parts)
        }
        await context.pause(timing.perToken * max(0, answer.completionTokens - 1))
        return EmulatorReply.json(OpenAIWire.completion(id: id, created: created, flavour: flavour, answer: answer), headers: headers)
    }

    private func embeddings(
        _ body: ModelRequestBody, deployment: EmulatedDeployment, context: RouteContext,
        headers: [(String, String)]
    ) async -> EmulatedResponse {
        let model = deployment.model
        let serial = context.models.nextSerial(deployment.name)
        let timing = ModelTiming.draw(
            model.latency, latency: context.configuration.modelLatency,
            noise: SeededNoise(seed: context.configuration.modelSeed), model: deployment.name, serial: serial)
        await context.pause(timing.firstToken)
        let vectors = body.inputs.map { CompletionText.embedding(of: $0.text, dimensions: model.embeddingDimensions) }
        let tokens = body.inputs.reduce(0) { $0 + ($1.tokens ?? max(1, ($1.text.utf8.count + 3) / 4)) }
        return EmulatorReply.text(
            OpenAIWire.embeddings(model: model.name, vectors: vectors, promptTokens: tokens), status: 200,
            contentType: "application/json", headers: headers)
    }

    /// The `api-key` header, or an Entra ID token this emulator issued (Azure OpenAI accepts both).
    private func authorize(_ r: EmulatedRequest, context: RouteContext) -> EmulatedResponse? {
        if let key = r.headers["api-key"], key == context.configuration.openAIKey { return nil }
        if let bearer = r.headers["authorization"], bearer.hasPrefix("Bearer "),
            context.tokens.check(String(bearer.dropFirst("Bearer ".count)), now: context.now) == .valid
        {
            return nil
        }
        return Self.azureError(
            status: 401, code: "401",
            message: "Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide "
                + "a valid key for an active subscription and use a correct regional API endpoint for your resource.")
    }

    func faultReply(status: Int, headers: [(String, String)], request: EmulatedRequest) -> EmulatedResponse? {
        switch status {
        case 429:
            let operation = operation == .chat ? "ChatCompletions_Create" : "Embeddings_Create"
            let wait = headers.first { $0.0.lowercased() == "retry-after" }.map { " Please retry after \($0.1) seconds." } ?? ""
            return Self.azureError(
                status: 429, code: "429",
                message: "Requests to the \(operation) Operation under Azure OpenAI API version "
                    + "\(request.apiVersion ?? "") have exceeded token rate limit of your current OpenAI S0 "
                    + "pricing tier.\(wait) Please go here: https://aka.ms/oai/quotaincrease if you would like "
                    + "to further increase the default rate limit.", headers: headers)
        case 500...:
            return OpenAIWire.error(
                status: status, message: "The server had an error while processing your request. Sorry about that!",
                type: "server_error", headers: headers)
        default:
            return Self.azureError(
                status: status, code: String(status), message: "Emulated fault: the deployment answered \(status).",
                headers: headers)
        }
    }

    /// Azure's own error body: {"error": {"code", "message"}}.
    static func azureError(status: Int, code: String, message: String, headers: [(String, String)] = []) -> EmulatedResponse {
        EmulatorReply.json(
            .object([("error", .object([("code", .string(code)), ("message", .string(message))]))]),
            status: status, headers: headers)
    }

    /// A completion ID like Azure's (29 letters and digits), the same for the same request number.
    static func identifier(seed: UInt64, name: String, serial: Int) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        var state = seed ^ TextHash.of(name) ^ UInt64(serial)
        return String(
            (0..<29).map { _ in
                state = SeededNoise.mix(state)
                return alphabet[Int(state % UInt64(alphabet.count))]
            })
    }

    static func fingerprint(_ model: String) -> String { "fp_" + String(String(TextHash.of(model), radix: 16).prefix(10)) }
}

extension EmulatorRoutes {
    static let models: [any EmulatorRoute] = [AzureOpenAIRoute(operation: .chat), AzureOpenAIRoute(operation: .embeddings), OllamaRoute()]
}
