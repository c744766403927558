import Foundation

/// A budget set on the emulated subscription, in Azure's own terms.
public struct EmulatedBudget: Sendable, Equatable {
    public struct Notification: Sendable, Equatable {
        public var name: String
        /// "GreaterThan" or "GreaterThanOrEqualTo".
        public var `operator`: String
        public var threshold: Decimal
        /// "Actual" or "Forecasted".
        public var thresholdType: String
    }

    public var name: String
    public var amount: Decimal
    public var timeGrain: String
    public var notifications: [Notification]

    public init(name: String, amount: Decimal, timeGrain: String = "Monthly", notifications: [Notification]) {
        self.name = name
        self.amount = amount
        self.timeGrain = timeGrain
        self.notifications = notifications
    }

    /// The seed's `az consumption budget create --budget-name quantumlayer-monthly
    /// --amount 1000 --time-grain Monthly`, with the 80% and 95% alerts and
    /// the forecast alert Microsoft recommends.
    public static func quantumLayerMonthly(amount: Decimal = 1000, thresholds: [Decimal] = [80, 95]) -> EmulatedBudget {
        EmulatedBudget(
            name: "quantumlayer-monthly", amount: amount,
            notifications: thresholds.map {
                Notification(
                    name: "Actual_GreaterThanOrEqualTo_\(NSDecimalNumber(decimal: $0).stringValue)_Percent",
                    operator: "GreaterThanOrEqualTo", threshold: $0, thresholdType: "Actual")
            } + [
                Notification(
                    name: "Forecasted_GreaterThan_100_Percent", operator: "GreaterThan", threshold: 100,
                    thresholdType: "Forecasted")
            ])
    }
}
