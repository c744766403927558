import Foundation

/// An OpenAI-style chat completion (Azure OpenAI's `createChatCompletionResponse`),
/// read leniently: Microsoft's own examples leave out `object`, `model`,
/// `system_fingerprint` and the content-filter results the schema lists, so
/// only `id`, `created` and `choices` are required.
public struct ChatCompletion: Sendable, Equatable, Decodable {
    public struct Message: Sendable, Equatable, Decodable {
        public var role: String
        /// nil when the model answered with tool calls only.
        public var content: String?
    }

    public struct Choice: Sendable, Equatable, Decodable {
        public var index: Int
        /// "stop", "length", "content_filter", "tool_calls"; nil while streaming.
        public var finishReason: String?
        public var message: Message?

        enum CodingKeys: String, CodingKey {
            case index
            case finishReason = "finish_reason"
            case message
        }
    }

    public struct Usage: Sendable, Equatable, Decodable {
        public var promptTokens: Int?
        public var completionTokens: Int?
        public var totalTokens: Int?

        enum CodingKeys: String, CodingKey {
            case promptTokens = "prompt_tokens"
            case completionTokens = "completion_tokens"
            case totalTokens = "total_tokens"
        }
    }

    public var id: String
    public var object: String?
    /// Unix seconds.
    public var created: Int
    public var model: String?
    public var systemFingerprint: String?
    public var choices: [Choice]
    public var usage: Usage?

    enum CodingKeys: String, CodingKey {
        case id, object, created, model
        case systemFingerprint = "system_fingerprint"
        case choices, usage
    }

    /// The first choice's text.
    public var text: String? { choices.first?.message?.content }
}

extension AzureWireDecoding {
    public static func chatCompletion(_ body: [UInt8]) throws -> ChatCompletion {
        try JSONDecoder().decode(ChatCompletion.self, from: body)
    }
}
