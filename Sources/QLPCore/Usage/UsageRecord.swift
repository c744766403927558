import Foundation

/// One request the gateway routed, as the usage ledger keeps it: who sent it
/// (the key's name), where it went, what it cost. Tokens the upstream did not
/// report are unknown (nil), never 0, and so is their cost.
public struct UsageRecord: Sendable, Equatable {
    public var time: Date
    /// The client key's name; `UsageRecord.anonymous` when the gateway requires no key.
    public var keyName: String
    public var route: String
    /// The target that answered, or the last one tried when none did ("" when none could be tried).
    public var target: String
    /// What the upstream was asked for (the Azure deployment or the Ollama model).
    public var model: String
    public var tokens: TokenCounts?
    /// Tokens times the target's configured prices, in the budget currency; nil when the tokens are unknown.
    public var cost: Decimal?
    /// To the last byte.
    public var latencyMilliseconds: Double
    /// Streams only: to the first chunk.
    public var firstTokenMilliseconds: Double?
    /// The status the client got.
    public var status: Int
    public var attempts: Int

    /// The key name of requests to a gateway that requires no key.
    public static let anonymous = "(no key)"

    public init(
        time: Date, keyName: String, route: String, target: String, model: String, tokens: TokenCounts?, cost: Decimal?,
        latencyMilliseconds: Double, firstTokenMilliseconds: Double?, status: Int, attempts: Int
    ) {
        self.time = time
        self.keyName = keyName
        self.route = route
        self.target = target
        self.model = model
        self.tokens = tokens
        self.cost = cost
        self.latencyMilliseconds = latencyMilliseconds
        self.firstTokenMilliseconds = firstTokenMilliseconds
        self.status = status
        self.attempts = attempts
    }

    public var succeeded: Bool { (200..<300).contains(status) }
}

/// Prompt (input) and completion (output) tokens.
public struct TokenCounts: Sendable, Equatable, Hashable {
    public var input: Int
    public var output: Int

    public init(input: Int, output: Int) {
        self.input = input
        self.output = output
    }

    public var total: Int { input + output }

    /// What these tokens cost at prices per 1,000 tokens.
    public func cost(inputPer1K: Decimal, outputPer1K: Decimal) -> Decimal {
        (Decimal(input) * inputPer1K + Decimal(output) * outputPer1K) / 1000
    }
}
