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
    static let longMonthNames = [
        "January", "February", "March", "April", "May", "June", "July", "August",
        "September", "October", "November", "December",
    ]

    /// "15 Mar 2027".
    public func date(_ day: CivilDate) -> String { "\(day.day) \(Self.monthNames[day.month - 1]) \(day.year)" }

    /// "15 Mar".
    public func shortDate(_ day: CivilDate) -> String { "\(day.day) \(Self.monthNames[day.month - 1])" }

    /// "November 2026".
    public func month(_ day: CivilDate) -> String { "\(Self.longMonthNames[day.month - 1]) \(day.year)" }

    /// "17:42:05".
    public func time(_ instant: Date) -> String {
        let since1970 = instant.timeIntervalSince1970
        guard !since1970.isNaN else { return "--:--:--" }
        // An instant may come from outside (now plus a server's wait): one past
        // what Int or the calendar holds is drawn at the calendar's edge, not trapped on.
        let clamped = min(max(since1970, Self.earliest), Self.latest)
        let seconds = Int(clamped.rounded(.down)) + timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: clamped))
        let s = ((seconds % 86_400) + 86_400) % 86_400
        return String(format: "%02d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60)
    }

    /// The zone's abbreviation at that instant ("GMT", "BST", "UTC").
    public func zone(_ instant: Date) -> String {
        // Foundation calls the UTC zone "GMT"; operators on UTC servers expect "UTC".
        if ["UTC", "Etc/UTC", "Etc/UCT", "UCT", "Zulu", "Etc/Zulu", "GMT", "Etc/GMT"].contains(timeZone.identifier) { return "UTC" }
        return timeZone.abbreviation(for: instant) ?? timeZone.identifier
    }

    /// Seconds since 1970 that `time` draws as they are (Date.distantPast/Future's span); beyond, the edge.
    static let earliest = -62_135_596_800.0
    static let latest = 64_092_211_200.0

    /// "12s", "4m", "3h", "2d"; ">9999d" beyond that, "?" for no number at all.
    public func age(_ interval: TimeInterval) -> String {
        guard !interval.isNaN else { return "?" }
        guard interval < 10_000 * 86_400 else { return ">9999d" }
        let s = interval > 0 ? Int(interval) : 0
        if s < 60 { return "\(s)s" }
        if s < 3600 { return "\(s / 60)m" }
        if s < 86_400 { return "\(s / 3600)h" }
        return "\(s / 86_400)d"
    }

    public func money(_ amount: Decimal, _ currency: Currency) -> String { money.string(amount, currency: currency) }
}
