/// A model the emulator serves, with how fast it answers and how much it says.
///
/// The latency figures are what these models typically show in production:
/// Azure's GPT-4 Turbo takes about half a second or more to its first token
/// and then streams 20-30 tokens/s; GPT-3.5 Turbo is two to three times
/// quicker; a local Ollama model on a CPU or small GPU varies far more, with
/// a heavy tail (a long prompt, another request holding the GPU, a model
/// being paged in).
public struct EmulatedModel: Sendable, Equatable {
    public enum Kind: String, Sendable, Equatable { case chat, embeddings }

    /// The name the API reports: "gpt-4", "gpt-35-turbo", "llama3:8b".
    public var name: String
    /// Azure's model version ("turbo-2024-04-09"); empty for Ollama models.
    public var version: String
    public var kind: Kind
    public var latency: ModelLatencyProfile
    /// How many tokens the model writes when nothing caps it (varies ±30% per prompt).
    public var typicalCompletionTokens: Int
    /// Length of an embedding vector.
    public var embeddingDimensions: Int
    /// Ollama's /api/tags details: family, parameter size, quantisation, size on disk.
    public var family: String
    public var parameterSize: String
    public var quantization: String
    public var sizeBytes: Int

    public init(
        name: String, version: String = "", kind: Kind, latency: ModelLatencyProfile, typicalCompletionTokens: Int = 0,
        embeddingDimensions: Int = 0, family: String = "", parameterSize: String = "", quantization: String = "",
        sizeBytes: Int = 0
    ) {
        self.name = name
        self.version = version
        self.kind = kind
        self.latency = latency
        self.typicalCompletionTokens = typicalCompletionTokens
        self.embeddingDimensions = embeddingDimensions
        self.family = family
        self.parameterSize = parameterSize
        self.quantization = quantization
        self.sizeBytes = sizeBytes
    }

    public static let gpt4Turbo = EmulatedModel(
        name: "gpt-4", version: "turbo-2024-04-09", kind: .chat,
        latency: ModelLatencyProfile(firstTokenMilliseconds: 500...900, tokensPerSecond: 20...30),
        typicalCompletionTokens: 180, embeddingDimensions: 4096)
    public static let gpt35Turbo = EmulatedModel(
        name: "gpt-35-turbo", version: "0125", kind: .chat,
        latency: ModelLatencyProfile(firstTokenMilliseconds: 200...400, tokensPerSecond: 60...90),
        typicalCompletionTokens: 140, embeddingDimensions: 4096)
    public static let adaEmbeddings = EmulatedModel(
        name: "text-embedding-ada-002", version: "2", kind: .embeddings,
        latency: ModelLatencyProfile(firstTokenMilliseconds: 30...80, tokensPerSecond: 0...0),
        embeddingDimensions: 1536)
    public static let llama3 = EmulatedModel(
        name: "llama3:8b", kind: .chat,
        latency: ModelLatencyProfile(firstTokenMilliseconds: 150...1200, tokensPerSecond: 25...50, tail: 2.5),
        typicalCompletionTokens: 160, embeddingDimensions: 4096,
        family: "llama", parameterSize: "8.0B", quantization: "Q4_0", sizeBytes: 4_661_224_676)
    public static let codellama = EmulatedModel(
        name: "codellama:13b", kind: .chat,
        latency: ModelLatencyProfile(firstTokenMilliseconds: 250...1800, tokensPerSecond: 15...30, tail: 2.5),
        typicalCompletionTokens: 220, embeddingDimensions: 5120,
        family: "llama", parameterSize: "13B", quantization: "Q4_0", sizeBytes: 7_365_960_935)
    public static let mistral = EmulatedModel(
        name: "mistral:7b", kind: .chat,
        latency: ModelLatencyProfile(firstTokenMilliseconds: 120...1000, tokensPerSecond: 30...55, tail: 2.5),
        typicalCompletionTokens: 150, embeddingDimensions: 4096,
        family: "llama", parameterSize: "7.2B", quantization: "Q4_0", sizeBytes: 4_113_301_824)
}

/// An Azure OpenAI deployment: the name in the URL and the model behind it.
public struct EmulatedDeployment: Sendable, Equatable {
    public var name: String
    public var model: EmulatedModel

    public init(name: String, model: EmulatedModel) {
        self.name = name
        self.model = model
    }

    /// The QuantumLayer Platform's deployments.
    public static let quantumLayerPlatform = [
        EmulatedDeployment(name: "gpt4-deployment", model: .gpt4Turbo),
        EmulatedDeployment(name: "gpt35-deployment", model: .gpt35Turbo),
        EmulatedDeployment(name: "embeddings-deployment", model: .adaEmbeddings),
    ]
}

extension EmulatedModel {
    /// The local Ollama server's models.
    public static let quantumLayerPlatformOllama: [EmulatedModel] = [.llama3, .codellama, .mistral]
}
