/// A whole number that an outside service sends: tokens in an answer's
/// `usage`, cents on an Atlas invoice, data points a Monitor query read.
///
/// qlp adds these up over months, takes their size and scales them, so one
/// absurd figure (2^63 − 1 tokens, Int.min cents) would trap the process.
/// Decoders take a count only inside `plausible` and refuse the rest naming
/// the field; running totals add with `adding(saturating:)` so that even
/// plausible figures summed for years stop at the top instead of trapping.
public enum OutsideCount {
    /// 10^15 either side: a quadrillion tokens, ten trillion dollars in cents.
    /// No real figure comes near, and 9,000 of them still sum inside Int64.
    public static let plausible: ClosedRange<Int> = -1_000_000_000_000_000...1_000_000_000_000_000

    /// `value` if plausible, otherwise an error that names `field`.
    public static func checked(_ value: Int, field: String) throws(ImplausibleCount) -> Int {
        guard plausible.contains(value) else { throw ImplausibleCount(field: field, value: "\(value)") }
        return value
    }

    /// A JSON number as a count: whole, finite and plausible, or nil.
    public static func whole(_ value: Double) -> Int? {
        guard value.isFinite, value.rounded() == value,
            Double(plausible.lowerBound)...Double(plausible.upperBound) ~= value
        else { return nil }
        return Int(value)
    }
}

/// A count from outside beyond `OutsideCount.plausible`.
public struct ImplausibleCount: Error, Equatable, CustomStringConvertible {
    public var field: String
    public var value: String

    public init(field: String, value: String) {
        self.field = field
        self.value = value
    }

    public var description: String {
        "\(field) is \(value), beyond any real figure (at most 10^15 either way); refused rather than added up"
    }
}

extension KeyedDecodingContainer {
    /// An integer field from outside, refused (as a decoding error naming the
    /// key) when it lies beyond `OutsideCount.plausible`.
    public func decodeOutsideCount(forKey key: Key) throws -> Int {
        let value = try decode(Int.self, forKey: key)
        do { return try OutsideCount.checked(value, field: key.stringValue) } catch {
            throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: "\(error)")
        }
    }

    public func decodeOutsideCountIfPresent(forKey key: Key) throws -> Int? {
        guard contains(key), try !decodeNil(forKey: key) else { return nil }
        return try decodeOutsideCount(forKey: key)
    }
}

extension Int {
    /// `self + other`, stopping at Int.max or Int.min rather than trapping:
    /// for running totals of outside counts.
    public func adding(saturating other: Int) -> Int {
        let (sum, overflow) = addingReportingOverflow(other)
        guard overflow else { return sum }
        return other > 0 ? .max : .min
    }
}
