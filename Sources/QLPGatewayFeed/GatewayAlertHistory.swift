import Foundation
import Logging
import QLPCore
import QLPStore

/// A headless gateway's alert history: every transition logged, and kept in
/// `gateway-alerts.sqlite` beside its routes so that a restart resumes the
/// conditions still open instead of raising them (and notifying) again.
public struct GatewayAlertHistory: Sendable {
    public let ledger: SQLiteAlertLedger?
    let logger: Logger

    /// The history in `stateDirectory`; without a usable file (said in the
    /// log), transitions are still logged but not kept.
    public static func open(stateDirectory: String, logger: Logger) -> GatewayAlertHistory {
        do {
            return GatewayAlertHistory(ledger: try SQLiteAlertLedger(path: stateDirectory + "/gateway-alerts.sqlite"), logger: logger)
        } catch {
            logger.error("alert history unavailable: alerts are not kept across restarts", metadata: ["error": "\(error)"])
            return GatewayAlertHistory(ledger: nil, logger: logger)
        }
    }

    /// A tracker resumed from the conditions the last run left open.
    public func tracker(reminderInterval: TimeInterval?) -> AlertTracker {
        guard let ledger else { return AlertTracker(reminderInterval: reminderInterval) }
        do {
            return AlertTracker(reminderInterval: reminderInterval, resuming: try ledger.open())
        } catch {
            logger.error("alert history unreadable: starting afresh", metadata: ["error": "\(error)"])
            return AlertTracker(reminderInterval: reminderInterval)
        }
    }

    public func record(_ transitions: [AlertTransition]) {
        for transition in transitions {
            logger.notice(
                "alert \(transition.kind.name)",
                metadata: [
                    "key": "\(transition.alert.key)", "severity": "\(transition.alert.severity.name)", "text": "\(transition.alert.text)",
                ])
        }
        do {
            try ledger?.record(transitions)
        } catch {
            logger.error("alerts not kept", metadata: ["error": "\(error)"])
        }
    }
}
