import Foundation

/// An exact amount in a currency. Money is never a Double: Decimal keeps the
/// pennies of thousands of summed cost rows exact.
public struct Money: Hashable, Sendable, CustomStringConvertible {
    public var amount: Decimal
    public var currency: Currency

    public init(_ amount: Decimal, _ currency: Currency) {
        self.amount = amount
        self.currency = currency
    }

    /// Parses a plain decimal literal ("1234.56", "-0.5"); nil if it is not one.
    public static func parseAmount(_ text: String) -> Decimal? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        // An optional leading sign, then digits with at most one point. Decimal(string:)
        // alone reads a prefix ("5-3" as 5) and takes "-" or "." for zero.
        let unsigned = trimmed.first == "-" || trimmed.first == "+" ? trimmed.dropFirst() : Substring(trimmed)
        guard unsigned.contains(where: { $0.isASCII && $0.isNumber }),
            unsigned.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }),
            unsigned.filter({ $0 == "." }).count <= 1,
            // No locale: "." is the point, and asking a locale for its
            // separator would load ICU.
            let value = Decimal(string: trimmed)
        else { return nil }
        return value
    }

    public var description: String { MoneyFormat.standard.string(self) }
}

/// How money is written: symbol, two decimals, thousands separators.
public struct MoneyFormat: Sendable {
    /// Replaces the currency's symbol, e.g. "GBP " when the terminal cannot show "£".
    public var symbolOverride: String?
    public var fractionDigits: Int

    public init(symbolOverride: String? = nil, fractionDigits: Int = 2) {
        self.symbolOverride = symbolOverride
        self.fractionDigits = fractionDigits
    }

    public static let standard = MoneyFormat()

    public func string(_ money: Money) -> String {
        string(money.amount, currency: money.currency)
    }

    /// "£1,234.56", "-£12.00"; rounds half away from zero.
    public func string(_ amount: Decimal, currency: Currency) -> String {
        let symbol = symbolOverride ?? currency.symbol
        let negative = amount < 0
        let magnitude = (negative ? -amount : amount).rounded(scale: fractionDigits)
        let plain = NSDecimalNumber(decimal: magnitude).stringValue  // "1234.5", "1234", "0.05"
        let parts = plain.split(separator: ".", omittingEmptySubsequences: false)
        let integerDigits = String(parts[0])
        var fraction = parts.count > 1 ? String(parts[1]) : ""
        while fraction.count < fractionDigits { fraction.append("0") }
        var grouped = ""
        for (i, digit) in integerDigits.enumerated() {
            if i > 0, (integerDigits.count - i) % 3 == 0 { grouped.append(",") }
            grouped.append(digit)
        }
        let body = fractionDigits > 0 ? "\(grouped).\(fraction)" : grouped
        return (negative && magnitude != 0 ? "-" : "") + symbol + body
    }
}

/// Percentages for display, e.g. "82.5%".
public enum PercentFormat {
    public static func string(_ fraction: Decimal, fractionDigits: Int = 1) -> String {
        let percent = (fraction * 100).rounded(scale: fractionDigits)
        var text = NSDecimalNumber(decimal: percent).stringValue
        if fractionDigits > 0 {
            if !text.contains(".") { text += "." }
            let decimals = text.split(separator: ".", omittingEmptySubsequences: false)[1].count
            text += String(repeating: "0", count: max(0, fractionDigits - decimals))
        }
        return text + "%"
    }
}
