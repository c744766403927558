// The finance report at scale: a generated year of daily FOCUS rows for 500
// Azure resources (182,500 rows), imported, built into a report and written
// in all formats. Prints wall time per stage and the process's peak memory.
//
//   swift run -c release report-benchmark [resources] [days]
//
// A benchmark, not a test: compare figures from one run, on one machine.
import Foundation
import QLPCore
import QLPReport

#if canImport(Glibc)
    import Glibc
#endif

let arguments = CommandLine.arguments
let resources = arguments.count > 1 ? Int(arguments[1]) ?? 500 : 500
let days = arguments.count > 2 ? Int(arguments[2]) ?? 365 : 365

let services = [
    "Virtual Machine Scale Sets", "Azure AI Services", "SQL Database", "Redis Cache", "Storage",
    "Azure Front Door Service", "Bandwidth", "Log Analytics", "Application Insights", "Key Vault", "Event Grid",
]
let first = CivilDate(year: 2025, month: 11, day: 24)!
let header =
    "BilledCost,EffectiveCost,BillingCurrency,ChargePeriodStart,ChargePeriodEnd,ChargeCategory,ProviderName,"
    + "ServiceName,ResourceId,ResourceName,x_ResourceGroupName,Tags,ChargeDescription\n"

func seconds(since start: ContinuousClock.Instant) -> String {
    let d = ContinuousClock.now - start
    return String(format: "%.3f s", Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18)
}

var clock = ContinuousClock.now
var text = header
text.reserveCapacity(resources * days * 240)
var state: UInt64 = 0x9E37_79B9_7F4A_7C15
for d in 0..<days {
    let day = first.adding(days: d)
    let start = "\(day.iso8601)T00:00:00Z"
    let end = "\(day.adding(days: 1).iso8601)T00:00:00Z"
    for r in 0..<resources {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        let cents = Int((state >> 33) % 50_000)
        let amount = "\(cents / 10_000).\(String(format: "%04d", cents % 10_000))"
        let service = services[r % services.count]
        let group = "rg-\(r % 17)"
        text +=
            "\(amount),\(amount),GBP,\(start),\(end),Usage,Microsoft,\(service),"
            + "/subscriptions/s/resourceGroups/\(group)/providers/x/r\(r),r\(r),\(group),"
            + "\"{\"\"CostCenter\"\": \"\"cc-\(r % 7)\"\"}\",usage of r\(r)\n"
    }
}
let bytes = Array(text.utf8)
text = ""
print("generated \(resources * days) rows (\(bytes.count / 1_000_000) MB) in \(seconds(since: clock))")

let plan = BudgetPlan(
    currency: .gbp, total: 5000, creditPeriod: DayRange(first, first.adding(days: 364))!, billingTimeZone: "Europe/London",
    monthly: MonthlyBudget(amount: 1000, alertThresholds: [80, 95]),
    allocations: [
        CategoryAllocation(category: .compute, amount: 2000, services: ["Virtual Machine Scale Sets"]),
        CategoryAllocation(category: .azureOpenAI, amount: 1500, services: ["Azure AI Services"]),
        CategoryAllocation(category: .databasesStorage, amount: 800, services: ["SQL Database", "Redis Cache", "Storage"]),
        CategoryAllocation(category: .networkingSecurity, amount: 400, services: ["Azure Front Door Service", "Bandwidth", "Key Vault"]),
        CategoryAllocation(category: .monitoringDevOps, amount: 300, services: ["Log Analytics", "Application Insights"]),
    ], atlasCredits: nil)

let total = ContinuousClock.now
clock = ContinuousClock.now
let imported = try CostFileImporter.parse(bytes, file: "generated.csv", basis: .actual, skipBadRows: false)
print("import: \(imported.records.count) records in \(seconds(since: clock))")

clock = ContinuousClock.now
let lastDay = first.adding(days: days - 1)
let report = try FinanceReportBuilder(plan: plan, period: .week(ISOWeek(containing: lastDay)), today: lastDay.adding(days: 1))
    .build(ReportInput(records: imported.records, source: "generated.csv", basis: .actual, rowsRead: imported.rowCount))
print("build: \(seconds(since: clock)) (credit used \(MoneyFormat.standard.string(report.creditTotal.used, currency: .gbp)))")

for format in ReportFormat.allCases {
    clock = ContinuousClock.now
    let output = ReportRenderer.render(report, as: format)
    print("render \(format.rawValue): \(output.utf8.count) bytes in \(seconds(since: clock))")
}
print("import + build + all formats: \(seconds(since: total))")

var usage = rusage()
getrusage(RUSAGE_SELF.rawValue, &usage)
print("peak memory (max RSS): \(usage.ru_maxrss / 1024) MB")
