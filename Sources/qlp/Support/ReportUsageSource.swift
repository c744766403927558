import Foundation
import QLPCore
import QLPReport
import QLPStore

/// The usage ledger as the finance report reads it: the hourly rollups of
/// the period and the one before (a day's margin either side for the
/// billing time zone; the builder keeps only the compared days), with the
/// savings baselines from the config's routing. Without a ledger, or without
/// routing to price it, the report is told why instead.
enum ReportUsageSource {
    /// - Parameter retention: `gateway.usage_retention`: opening the ledger prunes by it, as the gateway does.
    static func attach(
        to input: inout ReportInput, ledgerPath: String, retention: Duration, routing: RoutingSettings?,
        period: ReportPeriod, plan: BudgetPlan
    ) {
        guard let routing else {
            input.usageNote = "the config has no routing section, so there are no prices or routes to read the usage ledger with"
            return
        }
        guard FileManager.default.fileExists(atPath: ledgerPath) else {
            input.usageNote = "no usage ledger at \(ledgerPath): no gateway has run on this machine with gateway.usage_ledger on"
            return
        }
        do {
            let ledger = try SQLiteUsageLedger(path: ledgerPath, retention: TimeInterval(retention.components.seconds))
            attach(to: &input, ledger: ledger, source: "the usage ledger at \(ledgerPath)", routing: routing, period: period, plan: plan)
        } catch {
            input.usageNote = "the usage ledger could not be read: \(error.description)"
        }
    }

    static func attach(
        to input: inout ReportInput, ledger: any UsageLedger, source: String, routing: RoutingSettings,
        period: ReportPeriod, plan: BudgetPlan
    ) {
        let zone = TimeZone(identifier: plan.billingTimeZone) ?? TimeZone(identifier: "UTC")!
        let from = period.previous.days.first.adding(days: -1).startInstant(in: zone)
        let to = period.days.last.adding(days: 2).startInstant(in: zone)
        do {
            input.usage = UsageReportInput(rollups: try ledger.rollups(from: from, to: to), source: source, routing: routing)
        } catch {
            input.usageNote = "the usage ledger could not be read: \(error.description)"
        }
    }
}
