import Foundation
import QLPCanvas
import QLPCore
import QLPDashboard

@testable import QLPFeed

/// A plan and spending history shaped like the platform's, built by hand.
enum DashboardFixtures {
    static func d(_ s: String) -> Decimal { Decimal(string: s)! }

    static let today = CivilDate(year: 2026, month: 11, day: 26)!
    static let now = today.startInstant(in: TimeZone(identifier: "UTC")!).addingTimeInterval(17 * 3600 + 42 * 60 + 5)

    static let plan = BudgetPlan(
        currency: .gbp, total: d("5000"),
        creditPeriod: DayRange(CivilDate(year: 2026, month: 10, day: 1)!, CivilDate(year: 2027, month: 9, day: 30)!)!,
        billingTimeZone: "Europe/London",
        monthly: MonthlyBudget(amount: d("1000"), alertThresholds: [80, 95]),
        allocations: [
            CategoryAllocation(category: .compute, amount: d("2000"), services: ["Virtual Machine Scale Sets"]),
            CategoryAllocation(category: .azureOpenAI, amount: d("1500"), services: ["Azure AI Services"]),
            CategoryAllocation(category: .databasesStorage, amount: d("800"), services: ["SQL Database"]),
            CategoryAllocation(category: .networkingSecurity, amount: d("400"), services: ["Bandwidth"]),
            CategoryAllocation(category: .monitoringDevOps, amount: d("300"), services: ["Log Analytics"]),
        ],
        atlasCredits: nil)

    /// 57 days of spend: about £30 a day, plus a little unmapped.
    static var costs: [DailyCost] {
        var rows: [DailyCost] = []
        for day in DayRange(plan.creditPeriod.first, today)! {
            for (service, amount) in [
                ("Virtual Machine Scale Sets", "13.25"), ("Azure AI Services", "9.80"), ("SQL Database", "3.10"),
                ("Bandwidth", "2.05"), ("Log Analytics", "1.40"), ("Event Grid", "0.03"),
            ] {
                rows.append(DailyCost(day: day, service: service, amount: d(amount), currency: .gbp))
            }
        }
        return rows
    }

    static let identity = DashboardIdentity(
        subscriptionID: "00000000-0000-4000-8000-0000000000de",
        resourceGroup: "quantumlayer-prod", isDemo: true,
        configPath: "config/qlp.yaml", logFile: "/tmp/qlp.log")

    static func state(fetchedAt: Date = now.addingTimeInterval(-12)) -> DashboardState {
        var state = DashboardState(identity: identity, plan: plan, costRefresh: .seconds(60))
        let overview = BudgetOverview(plan: plan, costs: costs, today: today)
        state.cost.succeed(CostPanel(overview: overview, costs: costs, pages: 3), at: fetchedAt)
        return state
    }

    static func context(_ glyphs: GlyphSet = .unicode) -> RenderContext {
        RenderContext(
            glyphs: glyphs,
            format: DisplayFormat(
                timeZone: TimeZone(identifier: "UTC")!,
                money: MoneyFormat(symbolOverride: glyphs.isUnicode ? nil : glyphs.pound)),
            now: now)
    }
}
