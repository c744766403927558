import Foundation

/// A budget as Azure returns it (Consumption and Cost Management APIs share
/// the shape): amount, grain, period, current and forecast spend, and up to
/// five notifications.
public struct AzureBudget: Sendable, Equatable, Decodable {
    public struct Spend: Sendable, Equatable, Decodable {
        public var amount: Decimal
        public var unit: String?
    }

    public struct TimePeriod: Sendable, Equatable, Decodable {
        public var startDate: String
        public var endDate: String?
    }

    public struct Notification: Sendable, Equatable, Decodable {
        public var enabled: Bool
        public var `operator`: String
        public var threshold: Decimal
        /// "Actual" or "Forecasted"; Azure omits it for Actual at times.
        public var thresholdType: String?
        public var contactEmails: [String]?
    }

    public struct Properties: Sendable, Equatable, Decodable {
        public var category: String?
        public var amount: Decimal
        public var timeGrain: String
        public var timePeriod: TimePeriod
        public var currentSpend: Spend?
        public var forecastSpend: Spend?
        public var notifications: [String: Notification]
        /// Keys of `notifications` whose value was not a notification object.
        /// Microsoft's own BudgetsList example has one ("thresholdType": "Actual"
        /// beside the notifications); it is skipped, the good entries kept.
        public var skippedNotificationKeys: [String]

        enum CodingKeys: String, CodingKey {
            case category, amount, timeGrain, timePeriod, currentSpend, forecastSpend, notifications
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            category = try c.decodeIfPresent(String.self, forKey: .category)
            amount = try c.decode(Decimal.self, forKey: .amount)
            timeGrain = try c.decode(String.self, forKey: .timeGrain)
            timePeriod = try c.decode(TimePeriod.self, forKey: .timePeriod)
            currentSpend = try c.decodeIfPresent(Spend.self, forKey: .currentSpend)
            forecastSpend = try c.decodeIfPresent(Spend.self, forKey: .forecastSpend)
            notifications = [:]
            skippedNotificationKeys = []
            if c.contains(.notifications) {
                let entries = try c.nestedContainer(keyedBy: AnyKey.self, forKey: .notifications)
                for key in entries.allKeys {
                    if let notification = try? entries.decode(Notification.self, forKey: key) {
                        notifications[key.stringValue] = notification
                    } else {
                        skippedNotificationKeys.append(key.stringValue)
                    }
                }
                skippedNotificationKeys.sort()
            }
        }
    }

    public var id: String?
    public var name: String
    public var type: String?
    public var eTag: String?
    public var properties: Properties

    /// current spend / amount.
    public var fractionUsed: Decimal? {
        guard let spend = properties.currentSpend, properties.amount > 0 else { return nil }
        return spend.amount / properties.amount
    }
}

/// {"value": [budget, ...]}
public struct AzureBudgetList: Sendable, Equatable, Decodable {
    public var value: [AzureBudget]
}

struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int?
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) {
        self.stringValue = String(intValue)
        self.intValue = intValue
    }
}
