import Foundation

/// One model backend traffic can be sent to: an Azure OpenAI deployment or an
/// Ollama model, with what it costs and how much context it takes.
public struct RouteTarget: Sendable, Equatable, Hashable, Codable {
    public enum Backend: String, Sendable, Equatable, Hashable, Codable, CaseIterable {
        case azureOpenAI = "azure_openai"
        case ollama
    }

    /// The name routes and operators use ("gpt4", "llama3").
    public var name: String
    public var backend: Backend
    /// The backend's base URL without a trailing slash
    /// ("https://x.openai.azure.com", "http://127.0.0.1:11434").
    public var endpoint: String
    /// What the upstream is asked for: the Azure deployment name or the Ollama model name.
    public var upstreamModel: String
    /// Names a client may ask for to mean this target (the target's name, the
    /// model's own name such as "gpt-4-turbo-preview", aliases such as "gpt-4").
    public var modelNames: [String]
    /// GBP per 1,000 tokens.
    public var inputCostPer1K: Decimal
    public var outputCostPer1K: Decimal
    /// Tokens of context the model accepts.
    public var contextWindow: Int
    /// The p95 latency (time to first token for streams, the whole answer
    /// otherwise) the model should keep to; nil when none is set.
    public var latencySLOMilliseconds: Int?

    public init(
        name: String, backend: Backend, endpoint: String, upstreamModel: String, modelNames: [String] = [],
        inputCostPer1K: Decimal, outputCostPer1K: Decimal, contextWindow: Int, latencySLOMilliseconds: Int? = nil
    ) {
        self.name = name
        self.backend = backend
        var base = endpoint
        while base.hasSuffix("/") { base.removeLast() }
        self.endpoint = base
        self.upstreamModel = upstreamModel
        self.modelNames = modelNames
        self.inputCostPer1K = inputCostPer1K
        self.outputCostPer1K = outputCostPer1K
        self.contextWindow = contextWindow
        self.latencySLOMilliseconds = latencySLOMilliseconds
    }

    /// Whether a client's `model` names this target.
    public func answers(to model: String) -> Bool {
        model == name || modelNames.contains(model)
    }
}
