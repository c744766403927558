import Foundation

/// The ledger's requests summed per hour × key × route × target: what the
/// report, the budgets of keys and the Keys view read, kept for the whole
/// credit period while single requests are pruned sooner.
public struct UsageRollup: Sendable, Equatable, Hashable {
    /// The start of the hour (UTC).
    public var hour: Date
    public var keyName: String
    public var route: String
    public var target: String
    public var requests: Int
    /// Requests answered 2xx.
    public var succeeded: Int
    /// Answered requests whose tokens the upstream did not report: not in the token or cost sums.
    public var unknownUsage: Int
    public var inputTokens: Int
    public var outputTokens: Int
    /// In the budget currency, from the configured prices.
    public var cost: Decimal

    public init(
        hour: Date, keyName: String, route: String, target: String, requests: Int = 0, succeeded: Int = 0,
        unknownUsage: Int = 0, inputTokens: Int = 0, outputTokens: Int = 0, cost: Decimal = 0
    ) {
        self.hour = hour
        self.keyName = keyName
        self.route = route
        self.target = target
        self.requests = requests
        self.succeeded = succeeded
        self.unknownUsage = unknownUsage
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.cost = cost
    }

    /// The start of the UTC hour `time` falls in.
    public static func hour(of time: Date) -> Date {
        Date(timeIntervalSince1970: (time.timeIntervalSince1970 / 3600).rounded(.down) * 3600)
    }

    /// Adds one request.
    public mutating func add(_ record: UsageRecord) {
        requests += 1
        if record.succeeded {
            succeeded += 1
            if record.tokens == nil { unknownUsage += 1 }
        }
        if let tokens = record.tokens {
            inputTokens += tokens.input
            outputTokens += tokens.output
        }
        cost += record.cost ?? 0
    }

    /// The rollup rows of a batch of records, one per hour × key × route × target.
    public static func of(_ records: [UsageRecord]) -> [UsageRollup] {
        struct Key: Hashable { var hour: Date, key: String, route: String, target: String }
        var byKey: [Key: UsageRollup] = [:]
        for record in records {
            let key = Key(hour: hour(of: record.time), key: record.keyName, route: record.route, target: record.target)
            byKey[key, default: UsageRollup(hour: key.hour, keyName: key.key, route: key.route, target: key.target)].add(record)
        }
        return byKey.values.sorted { ($0.hour, $0.keyName, $0.route, $0.target) < ($1.hour, $1.keyName, $1.route, $1.target) }
    }
}
