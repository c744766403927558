import Foundation
import Testing

@testable import QLPCore

/// Exact decimals from text: `Decimal(0.1)` would go through Double.
private func d(_ s: String) -> Decimal { Decimal(string: s, locale: Locale(identifier: "en_US_POSIX"))! }

@Suite("Money formatting")
struct MoneyFormatTests {
    @Test(
        "standard GBP format",
        arguments: [
            ("0", "£0.00"),
            ("1.5", "£1.50"),
            ("7", "£7.00"),
            ("999.99", "£999.99"),
            ("1000", "£1,000.00"),
            ("1234.56", "£1,234.56"),
            ("100000", "£100,000.00"),
            ("1234567.89", "£1,234,567.89"),
            ("0.005", "£0.01"),  // half away from zero
            ("0.004999", "£0.00"),
            ("2.675", "£2.68"),  // exact in Decimal, so it rounds up (a Double would give 2.67)
            ("2.665", "£2.67"),
            ("999.995", "£1,000.00"),  // rounding carries into a new thousands group
            ("12.3456789012", "£12.35"),
        ])
    func formatsPositiveAmounts(amount: String, expected: String) {
        #expect(MoneyFormat.standard.string(d(amount), currency: .gbp) == expected)
    }

    @Test(
        "negative amounts put the sign before the symbol",
        arguments: [
            ("-12", "-£12.00"),
            ("-0.5", "-£0.50"),
            ("-1234.565", "-£1,234.57"),  // half away from zero on the negative side too
            ("-1000000", "-£1,000,000.00"),
        ])
    func formatsNegativeAmounts(amount: String, expected: String) {
        #expect(MoneyFormat.standard.string(d(amount), currency: .gbp) == expected)
    }

    @Test("a negative amount that rounds to zero has no minus sign", arguments: ["-0.001", "-0.004999", "-0"])
    func negativeZeroHasNoSign(amount: String) {
        #expect(MoneyFormat.standard.string(d(amount), currency: .gbp) == "£0.00")
    }

    @Test func symbolOverrideReplacesTheSymbol() {
        let ascii = MoneyFormat(symbolOverride: "GBP ")
        #expect(ascii.string(d("1234.56"), currency: .gbp) == "GBP 1,234.56")
        #expect(ascii.string(d("-5"), currency: .gbp) == "-GBP 5.00")
        #expect(ascii.string(Money(d("0.1"), .usd)) == "GBP 0.10")
    }

    @Test func currencySymbols() {
        #expect(Money(d("3"), .usd).description == "$3.00")
        #expect(Money(d("3"), Currency(code: "eur")).description == "€3.00")
        let chf = Currency(code: "chf")
        #expect(chf.code == "CHF")
        #expect(Money(d("1234.5"), chf).description == "CHF 1,234.50")
    }

    @Test func wholeUnitFormat() {
        let whole = MoneyFormat(fractionDigits: 0)
        #expect(whole.string(d("1234.5"), currency: .gbp) == "£1,235")
        #expect(whole.string(d("999.49"), currency: .gbp) == "£999")
        #expect(whole.string(d("-0.4"), currency: .gbp) == "£0")
    }

    @Test func moneyDescriptionUsesTheStandardFormat() {
        #expect(Money(d("5000"), .gbp).description == "£5,000.00")
        #expect("\(Money(d("-0.25"), .gbp))" == "-£0.25")
    }
}

@Suite("Percent formatting")
struct PercentFormatTests {
    @Test(arguments: [
        ("0.8249", "82.5%"),
        ("0.8244", "82.4%"),
        ("1", "100.0%"),
        ("0", "0.0%"),
        ("0.95", "95.0%"),
        ("0.0005", "0.1%"),
        ("1.234", "123.4%"),
    ])
    func oneDecimal(fraction: String, expected: String) {
        #expect(PercentFormat.string(d(fraction)) == expected)
    }

    @Test func otherPrecisions() {
        #expect(PercentFormat.string(d("0.8249"), fractionDigits: 0) == "82%")
        #expect(PercentFormat.string(d("0.8"), fractionDigits: 2) == "80.00%")
        #expect(PercentFormat.string(d("0.12345"), fractionDigits: 2) == "12.35%")
    }
}

@Suite("Decimal rounding helpers")
struct DecimalRoundingTests {
    @Test func roundedToScale() {
        #expect(d("2.675").rounded(scale: 2) == d("2.68"))
        #expect(d("2.674999").rounded(scale: 2) == d("2.67"))
        #expect(d("-2.675").rounded(scale: 2) == d("-2.68"))
        #expect(d("1234.5").rounded(scale: 0) == d("1235"))
        #expect(d("1.99").rounded(scale: 1, mode: .down) == d("1.9"))
    }

    @Test(arguments: [("2", "2"), ("2.0001", "3"), ("0.5", "1"), ("0", "0"), ("392.9999999", "393")])
    func ceilingInteger(value: String, expected: String) {
        #expect(d(value).ceilingInteger == d(expected))
    }

    @Test func intValueIfWhole() {
        #expect(d("393").intValueIfWhole == 393)
        #expect(d("-4").intValueIfWhole == -4)
        #expect(d("0").intValueIfWhole == 0)
        #expect(d("3.5").intValueIfWhole == nil)
        #expect(d("0.0000001").intValueIfWhole == nil)
        #expect(d("1e30").intValueIfWhole == nil)  // out of Int's range
    }
}

@Suite("Parsing amounts")
struct ParseAmountTests {
    @Test(arguments: [
        ("1234.56", "1234.56"),
        ("-0.5", "-0.5"),
        ("+5", "5"),
        ("0", "0"),
        ("  12 ", "12"),
        ("5000.00", "5000"),
        (".5", "0.5"),
        ("0.00008", "0.00008"),
    ])
    func acceptsPlainDecimals(text: String, expected: String) {
        #expect(Money.parseAmount(text) == d(expected))
    }

    @Test(arguments: ["", "   ", "abc", "1,000", "£5", "1.2.3", "1e3", "5-3", "5-", "5+", "-", "+", ".", "--5", "-+5", "1 000"])
    func rejectsAnythingElse(text: String) {
        #expect(Money.parseAmount(text) == nil)
    }
}
