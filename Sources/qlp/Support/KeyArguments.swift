import Foundation
import QLPCore
import QLPReport

/// What `qlp keys create` is given, read and checked: each mistake is
/// refused naming the option and the value, before anything is written.
enum KeyArguments {
    /// Why a value on the `qlp keys` command line cannot be used.
    enum Problem: Error, Sendable, Equatable, CustomStringConvertible {
        case badName(String)
        case reservedName(String)
        case badBudget(String, currency: Currency)
        case periodWithoutBudget
        case badPeriod(String)
        case badLimit(option: String, text: String, unit: String)
        case emptyRoute(String)
        case unknownRoutes(text: String, unknown: [String], known: [String], file: String)
        case noRouting(file: String)
        case badDay(PeriodArgumentError)
        case pastDay(text: String, today: CivilDate, timeZone: String)

        var description: String {
            switch self {
            case .badName(let name):
                "key name '\(name)': a name is 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit"
            case .reservedName(let name):
                "key name '\(name)': config-1, config-2… name the keys listed in gateway.client_key_sha256; choose another name"
            case .badBudget(let text, let currency):
                "--budget '\(text)': expected a positive amount in \(currency.code) (the budget currency), such as 20 or 12.50"
            case .periodWithoutBudget:
                "--period needs --budget: it is the period a budget is spent over (day, week or month)"
            case .badPeriod(let text):
                "--period '\(text)': expected day, week or month"
            case .badLimit(let option, let text, let unit):
                "\(option) '\(text)': expected a whole number of \(unit), at least 1"
            case .emptyRoute(let text):
                "--routes '\(text)': expected route names separated by commas, such as chat,code"
            case .unknownRoutes(let text, let unknown, let known, let file):
                "--routes '\(text)': no route named \(unknown.map { "'\($0)'" }.joined(separator: ", ")) in \(file) "
                    + "(routes: \(known.isEmpty ? "none" : known.joined(separator: ", ")))"
            case .noRouting(let file):
                "--routes: \(file) has no routing section, so there are no routes to allow"
            case .badDay(let error):
                error.description
            case .pastDay(let text, let today, let timeZone):
                "--expires '\(text)': that day has passed (today is \(today) in \(timeZone), the budget's billing time zone)"
            }
        }
    }

    /// A key's name: it is shown in tables and metrics and typed on command
    /// lines, so `[A-Za-z0-9][A-Za-z0-9._-]{0,63}`; and not one of the names
    /// the config's keys go by.
    static func name(_ text: String) throws(Problem) -> String {
        let bytes = Array(text.utf8)
        func allowed(_ byte: UInt8, first: Bool) -> Bool {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"): true
            case UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"): !first
            default: false
            }
        }
        guard (1...64).contains(bytes.count), bytes.enumerated().allSatisfy({ allowed($1, first: $0 == 0) }) else {
            throw .badName(text)
        }
        guard !ConfigListedKeys.isReserved(text) else { throw .reservedName(text) }
        return text
    }

    /// --budget and --period: nil without --budget (the period alone means nothing).
    static func budget(_ amountText: String?, period periodText: String?, currency: Currency) throws(Problem) -> KeyBudget? {
        guard let amountText else {
            if periodText != nil { throw .periodWithoutBudget }
            return nil
        }
        guard let amount = Money.parseAmount(amountText), amount > 0 else { throw .badBudget(amountText, currency: currency) }
        var period = KeyBudget.Period.month
        if let periodText {
            guard let chosen = KeyBudget.Period(rawValue: periodText) else { throw .badPeriod(periodText) }
            period = chosen
        }
        return KeyBudget(amount: amount, period: period)
    }

    /// --rpm or --tpm: a positive whole number.
    static func limit(_ text: String?, option: String, unit: String) throws(Problem) -> Int? {
        guard let text else { return nil }
        // Only ASCII digits: Int() alone would take "+5".
        guard !text.isEmpty, text.utf8.allSatisfy({ (48...57).contains($0) }), let value = Int(text), value >= 1 else {
            throw .badLimit(option: option, text: text, unit: unit)
        }
        return value
    }

    /// --routes: names separated by commas, each a route of the config's
    /// routing section when a config is loaded (`known` nil: none is, and the
    /// names are taken as given). Repeats are dropped.
    static func routes(_ text: String?, known: [String]?, file: String?) throws(Problem) -> [String]? {
        guard let text else { return nil }
        let names = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        guard !names.contains(where: \.isEmpty) else { throw .emptyRoute(text) }
        var unique: [String] = []
        for name in names where !unique.contains(name) { unique.append(name) }
        if let known, let file {
            let unknown = unique.filter { !known.contains($0) }
            guard unknown.isEmpty else { throw .unknownRoutes(text: text, unknown: unknown, known: known, file: file) }
        }
        return unique
    }

    /// --expires DAY: the key works through the end of that day in the
    /// budget's billing time zone, so the instant it stops is the next day's
    /// start there. Today is allowed; a day gone is not.
    static func expiry(_ text: String?, timeZone: TimeZone, now: Date) throws(Problem) -> Date? {
        guard let text else { return nil }
        let day: CivilDate
        do throws(PeriodArgumentError) {
            day = try PeriodArgument.day(text, option: "--expires")
        } catch {
            throw .badDay(error)
        }
        let today = CivilDate(now, in: timeZone)
        guard day >= today else { throw .pastDay(text: text, today: today, timeZone: timeZone.identifier) }
        return day.adding(days: 1).startInstant(in: timeZone)
    }
}
