import Foundation

/// Tokens a response reports in its `usage` object (OpenAI, Azure OpenAI and
/// Ollama's /v1 all use this shape; embeddings report no completion tokens).
public struct TokenUsage: Sendable, Equatable {
    public var inputTokens: Int
    public var outputTokens: Int

    public init(inputTokens: Int, outputTokens: Int) {
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
    }

    /// The last `usage` object in a response body or the tail of an SSE stream.
    /// Only that small object is decoded, never the whole body.
    static func find(in bytes: [UInt8]) -> TokenUsage? {
        guard let range = JSONBytes.lastObject(named: "usage", in: bytes),
              let object = try? JSONSerialization.jsonObject(with: Data(bytes[range])) as? [String: Any] else { return nil }
        let input = (object["prompt_tokens"] as? NSNumber)?.intValue
        let output = (object["completion_tokens"] as? NSNumber)?.intValue
        guard input != nil || output != nil else { return nil }
        return TokenUsage(inputTokens: input ?? 0, outputTokens: output ?? 0)
    }

    /// What these tokens cost at a target's prices (per 1,000 tokens).
    func cost(inputPer1K: Decimal, outputPer1K: Decimal) -> Decimal {
        (Decimal(inputTokens) * inputPer1K + Decimal(outputTokens) * outputPer1K) / 1000
    }
}
