import Foundation

/// One condition that wants an operator's attention now. The one alert
/// model: the dashboard's strip and Alerts view, the headless gateway and
/// every notification sink read this type.
public struct Alert: Sendable, Equatable {
    /// The condition's stable identity ("budget.monthly.95"): a new key is a
    /// new alert (so crossing 95% after 80% rings again), the same key is not.
    /// Notifications use it as their dedup key.
    public var key: String
    public var severity: AlertSeverity
    public var source: AlertSource
    public var text: String
    /// The point of `text` in a few words, for the one-line strip under every
    /// view's header when the whole text does not fit there (the Alerts view
    /// always shows the whole text). Nil: the strip cuts `text`.
    public var headline: String?
    /// When the condition was reported by its source, if it says.
    public var at: Date?

    public init(key: String, severity: AlertSeverity, source: AlertSource, text: String, headline: String? = nil, at: Date? = nil) {
        self.key = key
        self.severity = severity
        self.source = source
        self.text = text
        self.headline = headline
        self.at = at
    }
}
