import Foundation

/// What an emulated model says and what it costs in tokens, the same for the
/// same request. The text says plainly that it comes from the emulator.
struct CompletionText: Sendable, Equatable {
    /// One string per token, in order; joined they are the answer.
    var tokens: [String]
    var promptTokens: Int
    /// "length" when max_tokens cut the answer short, else "stop".
    var finishReason: String

    var completionTokens: Int { tokens.count }
    var text: String { tokens.joined() }

    private static let words: [String] = """
        This is an emulated reply from the qlp emulator, standing in for the model named in the request. \
        It has no knowledge and gives no advice: the words are fixed and repeat, and only their number, \
        their timing and the token counts behave like a real model's, so that clients, gateways and \
        dashboards can be tested without a real deployment. Each word here counts as one token and \
        arrives in its own chunk when the answer is streamed.
        """.split(separator: " ").map(String.init)

    /// Roughly four characters a token, plus the few tokens each message's
    /// role and separators cost, as OpenAI's counting does.
    static func promptTokens(texts: [String]) -> Int {
        3 + texts.reduce(0) { $0 + 4 + ($1.utf8.count + 3) / 4 }
    }

    /// The answer to a prompt: `typical` tokens ±30% (by the prompt), capped by `maxTokens`.
    static func answer(prompt texts: [String], typical: Int, maxTokens: Int?) -> CompletionText {
        let hash = TextHash.of(texts.joined(separator: "\u{1}"))
        let natural = max(1, typical * (70 + Int(hash % 61)) / 100)
        let count = min(natural, max(1, maxTokens ?? natural))
        let start = Int(hash / 61 % UInt64(words.count))
        var tokens: [String] = []
        tokens.reserveCapacity(count)
        for i in 0..<count {
            let word = words[(start + i) % words.count]
            tokens.append(i == 0 ? word : " " + word)
        }
        return CompletionText(
            tokens: tokens, promptTokens: promptTokens(texts: texts),
            finishReason: count < natural ? "length" : "stop")
    }

    /// A unit-length vector for `text`, the same every time: similar to a
    /// real embedding in form (and in that equal inputs give equal vectors), not in meaning.
    static func embedding(of text: String, dimensions: Int) -> [Double] {
        var state = TextHash.of(text)
        var values: [Double] = []
        values.reserveCapacity(dimensions)
        for _ in 0..<dimensions {
            state = SeededNoise.mix(state)
            values.append(Double(Int64(bitPattern: state) % 1_000_000) / 1_000_000)
        }
        let norm = max(1e-12, values.reduce(0) { $0 + $1 * $1 }.squareRoot())
        return values.map { $0 / norm }
    }

    /// An embedding value as JSON, nine decimals (what the APIs send).
    static func render(_ value: Double) -> String { String(format: "%.9f", value) }
}
