import Foundation
import QLPCore
import QLPReport
import QLPStore

/// Writes this week's finance report (Markdown) from the dashboard, through
/// the same source and builder as `qlp report`.
public struct WeeklyReportWriter: Sendable {
    public var source: CostManagementReportSource
    public var directory: String
    public var clock: @Sendable () -> Date

    public init(source: CostManagementReportSource, directory: String, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.source = source
        self.directory = directory
        self.clock = clock
    }

    /// - Returns: the file written.
    /// - Parameter atlas: the dashboard's Atlas position, when it has one.
    public func write(plan: BudgetPlan, atlas: AtlasCreditUse? = nil) async throws -> String {
        let now = clock()
        let today = CivilDate(now, in: TimeZone(identifier: plan.billingTimeZone) ?? TimeZone(identifier: "UTC")!)
        let week = ReportPeriod.weekOfLastCompleteDay(today: today)
        let builder = FinanceReportBuilder(plan: plan, period: week, today: today, generatedAt: now)
        var input = try await source.input(plan: plan, builder: builder)
        input.atlas = atlas
        let report = try builder.build(input)
        // The week's spend is finance's business: 0700 directory, 0600 file.
        try OwnerOnlyFiles.makeDirectory(directory)
        let path = "\(directory)/qlp-report-\(week.identifier).md"
        try OwnerOnlyFiles.write(Array(ReportRenderer.render(report, as: .markdown).utf8), to: path)
        return path
    }
}
