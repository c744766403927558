import Foundation
import QLPAzure
import QLPCore
import QLPReport

/// Fetches what a finance report needs from Cost Management: daily cost per
/// service and resource group over the credit period, the previous period and
/// two weeks of anomaly history, plus daily cost per value of the report tag.
public struct CostManagementReportSource: Sendable {
    public var client: CostManagementClient
    public var scope: String

    public init(client: CostManagementClient, scope: String) {
        self.client = client
        self.scope = scope
    }

    /// The days to ask for: everything the report reads, up to the last
    /// complete day (today's, not the period's: the report names the days
    /// there is data for when it refuses a period outside them).
    public static func range(plan: BudgetPlan, builder: FinanceReportBuilder) -> DayRange? {
        let lastComplete = builder.today.adding(days: -1)
        let first = [
            plan.creditPeriod.first, builder.period.previous.days.first, builder.period.days.first.adding(days: -14),
            lastComplete.firstOfMonth,
        ].min()!
        return DayRange(first, lastComplete)
    }

    public func input(plan: BudgetPlan, builder: FinanceReportBuilder) async throws(AzureError) -> ReportInput {
        var records: [CostRecord] = []
        var tags: [String: DailySpend] = [:]
        if let range = Self.range(plan: plan, builder: builder) {
            for chunk in range.chunks(maxDays: 365) {
                records += try await client.dailyCostRecords(scope: scope, from: chunk.first, to: chunk.last)
                let byTag = try await client.dailyTagSpend(scope: scope, tag: plan.reportTag, from: chunk.first, to: chunk.last)
                for (value, spend) in byTag.spend {
                    for day in spend.days { tags[value, default: DailySpend()].add(spend.amount(on: day), on: day) }
                }
            }
        }
        // Azure's forecast means something only for a month still running.
        let month = builder.asOf.adding(days: -1).firstOfMonth
        var forecast: Decimal?
        var note: String?
        if month == builder.today.firstOfMonth {
            do {
                forecast = try await client.forecast(scope: scope, from: month, to: month.lastOfMonth).total
            } catch {
                note = "Cost Management's forecast was unavailable (\(error.summary))"
            }
        } else {
            note = "the month has ended: its actual total is the figure"
        }
        return ReportInput(
            records: records, source: "Cost Management (\(scope))", basis: .actual, rowsRead: records.count,
            tagSpend: tags, azureForecast: forecast, forecastNote: note)
    }
}
