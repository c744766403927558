/// An ISO 4217 currency as qlp shows it.
public struct Currency: Hashable, Sendable, CustomStringConvertible {
    /// Upper-case ISO 4217 code, e.g. "GBP".
    public let code: String
    /// The symbol written before amounts; falls back to the code and a space.
    public let symbol: String

    public init(code: String) {
        let upper = code.uppercased()
        self.code = upper
        self.symbol = Self.knownSymbols[upper] ?? "\(upper) "
    }

    public static let gbp = Currency(code: "GBP")
    public static let usd = Currency(code: "USD")

    public var description: String { code }

    private static let knownSymbols = ["GBP": "£", "USD": "$", "EUR": "€"]
}
