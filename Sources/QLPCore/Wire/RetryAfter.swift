import Foundation

/// How long a server asked us to wait, read from a response's headers: the
/// one reading every layer uses (Azure clients, the gateway, its breakers).
///
/// Headers read: Azure OpenAI's `retry-after-ms` and `x-ms-retry-after-ms`
/// (milliseconds), the standard `Retry-After` (delta seconds or an HTTP date,
/// RFC 9110 10.2.3) and Cost Management's own
/// `x-ms-ratelimit-microsoft.costmanagement-{qpu,entity,tenant,client,clienttype}-retry-after`
/// (seconds). The millisecond headers restate Retry-After more precisely, so
/// when one is readable it is used instead; Cost Management's headers are
/// separate limits, so the longest of them and the standard wait counts.
///
/// The number comes from outside: text that is not a plain non-negative
/// decimal (a sign, an exponent, hex, NaN) is not read, and any wait is
/// clamped to `longest`, so no server can make qlp sleep for ever or trap
/// converting its number.
public struct RetryAfter: Sendable, Equatable {
    /// The longest wait any server can ask of qlp.
    public static let longest: Duration = .seconds(3600)

    /// What the server asked for, at most `longest`.
    public var wait: Duration
    /// The header the wait was read from, as the server spelled it.
    public var header: String
    /// True when the server asked for longer than `longest`.
    public var clamped: Bool

    /// The wait in seconds, for callers that keep time as Double.
    public var seconds: Double {
        Double(wait.components.seconds) + Double(wait.components.attoseconds) / 1e18
    }

    /// The wait the header fields ask for, or nil when none is readable.
    /// `now` turns an HTTP-date into a wait (a date already past is no wait).
    public static func read(_ fields: some Sequence<(name: String, value: String)>, now: Date) -> RetryAfter? {
        var milliseconds: RetryAfter?
        var standard: RetryAfter?
        var costManagement: RetryAfter?
        for (name, value) in fields {
            let lower = name.lowercased()
            let text = value.trimmingCharacters(in: .whitespaces)
            if lower == "retry-after-ms" || lower == "x-ms-retry-after-ms" {
                guard let number = plainDecimal(text) else { continue }
                milliseconds = longer(milliseconds, RetryAfter(milliseconds: number, header: name))
            } else if lower == "retry-after" {
                let seconds = plainDecimal(text) ?? HTTPDate.parse(text).map { max(0, $0.timeIntervalSince(now)) }
                guard let seconds else { continue }
                standard = longer(standard, RetryAfter(milliseconds: seconds * 1000, header: name))
            } else if lower.hasPrefix("x-ms-ratelimit-microsoft.") && lower.hasSuffix("-retry-after") {
                guard let number = plainDecimal(text) else { continue }
                costManagement = longer(costManagement, RetryAfter(milliseconds: number * 1000, header: name))
            }
        }
        return longer(milliseconds ?? standard, costManagement)
    }

    /// For lookups by name (a proxy's or an HTTP library's own header type):
    /// asks `header` for each name `read` knows, lowercase first, then the
    /// usual capitalisation.
    public static func seconds(header: (String) -> String?, now: Date) -> Double? {
        let names =
            ["retry-after-ms", "x-ms-retry-after-ms", "retry-after"]
            + ["qpu", "entity", "tenant", "client", "clienttype"].map { "x-ms-ratelimit-microsoft.costmanagement-\($0)-retry-after" }
        let fields = names.compactMap { name -> (name: String, value: String)? in
            (header(name) ?? header(canonical(name))).map { (name: name, value: $0) }
        }
        return read(fields, now: now)?.seconds
    }

    init(milliseconds: Double, header: String) {
        self.header = header
        // `!(x <= limit)` also catches infinity; NaN never gets here.
        if !(milliseconds <= Double(Self.longest.components.seconds) * 1000) {
            wait = Self.longest
            clamped = true
        } else {
            wait = .milliseconds(Int64(max(0, milliseconds).rounded(.up)))
            clamped = false
        }
    }

    private static func longer(_ a: RetryAfter?, _ b: RetryAfter?) -> RetryAfter? {
        guard let a else { return b }
        guard let b else { return a }
        return b.wait > a.wait ? b : a
    }

    /// "12", "1.5": digits with an optional fraction, nothing else.
    private static func plainDecimal(_ text: String) -> Double? {
        let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let whole = parts.first, !whole.isEmpty, whole.allSatisfy({ $0.isASCII && $0.isNumber }),
            parts.count == 1 || (!parts[1].isEmpty && parts[1].allSatisfy({ $0.isASCII && $0.isNumber })),
            let value = Double(text), !value.isNaN
        else { return nil }
        return value
    }

    /// "retry-after-ms" -> "Retry-After-Ms".
    private static func canonical(_ name: String) -> String {
        name.split(separator: "-", omittingEmptySubsequences: false).map { $0.prefix(1).uppercased() + $0.dropFirst() }
            .joined(separator: "-")
    }
}
