import Foundation
import QLPCore

/// How dates, times and ages are written on screen.
public struct DisplayFormat: Sendable {
    /// The operator's zone, shown next to every time.
    public var timeZone: TimeZone
    public var money: MoneyFormat

    public init(timeZone: TimeZone = .current, money: MoneyFormat = .standard) {
        self.timeZone = timeZone
        self.money = money
    }

    static let monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    static let longMonthNames = ["January", "February", "March", "April", "May", "June", "July", "August",
                                 "September", "October", "November", "December"]

    /// "15 Mar 2027".
    public func date(_ day: CivilDate) -> String { "\(day.day) \(Self.monthNames[day.month - 1]) \(day.year)" }

    /// "15 Mar".
    public func shortDate(_ day: CivilDate) -> String { "\(day.day) \(Self.monthNames[day.month - 1])" }

    /// "November 2026".
    public func month(_ day: CivilDate) -> String { "\(Self.longMonthNames[day.month - 1]) \(day.year)" }

    /// "17:42:05".
    public func time(_ instant: Date) -> String {
        let seconds = Int(instant.timeIntervalSince1970.rounded(.down)) + timeZone.secondsFromGMT(for: instant)
        let s = ((seconds % 86_400) + 86_400) % 86_400
        return String(format: "%02d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60)
    }

    /// The zone's abbreviation at that instant ("GMT", "BST", "UTC").
    public func zone(_ instant: Date) -> String {
        // Foundation calls the UTC zone "GMT"; operators on UTC servers expect "UTC".
        if ["UTC", "Etc/UTC", "Etc/UCT", "UCT", "Zulu", "Etc/Zulu", "GMT", "Etc/GMT"].contains(timeZone.identifier) { return "UTC" }
        return timeZone.abbreviation(for: instant) ?? timeZone.identifier
    }

    /// "12s", "4m", "3h", "2d".
    public func age(_ interval: TimeInterval) -> String {
        let s = max(0, Int(interval))
        if s < 60 { return "\(s)s" }
        if s < 3600 { return "\(s / 60)m" }
        if s < 86_400 { return "\(s / 3600)h" }
        return "\(s / 86_400)d"
    }

    public func money(_ amount: Decimal, _ currency: Currency) -> String { money.string(amount, currency: currency) }
}
