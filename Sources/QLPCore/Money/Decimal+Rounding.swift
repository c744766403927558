import Foundation

extension Decimal {
    /// This value rounded to `scale` decimal places. Money is summed unrounded
    /// (Azure returns 8+ places) and rounded only for display, as Azure does.
    public func rounded(scale: Int, mode: NSDecimalNumber.RoundingMode = .plain) -> Decimal {
        var source = self
        var result = Decimal()
        NSDecimalRound(&result, &source, scale, mode)
        return result
    }

    /// The smallest whole number not below this value.
    public var ceilingInteger: Decimal { rounded(scale: 0, mode: .up) }

    /// Converts to Int when it is a whole number in range (for day counts).
    public var intValueIfWhole: Int? {
        let whole = rounded(scale: 0, mode: .down)
        guard whole == self, whole >= Decimal(Int.min), whole <= Decimal(Int.max) else { return nil }
        return NSDecimalNumber(decimal: whole).intValue
    }

    /// A Double for drawing only (bar lengths); never for money arithmetic.
    public var doubleForDisplay: Double { NSDecimalNumber(decimal: self).doubleValue }
}
