import Foundation
import QLPCore

/// Everything the report reads from the rows, gathered in one pass: daily
/// spend per service, resource group and tag value, and the rows kept apart
/// (other clouds, credit rows). The rest of the report works on these
/// series, not on the rows, so a year of rows is read once.
struct ReportAggregates: Sendable {
    /// Azure spend (credit rows excluded) by service, per day.
    var services: [String: DailySpend] = [:]
    /// The same by resource group, one line per group whatever its case.
    var groups: [String: DailySpend] = [:]
    /// The same by value of the report tag ("" when untagged).
    var tags: [String: DailySpend] = [:]
    /// Azure OpenAI spend by model, within the report's complete days.
    var models: [String: Decimal] = [:]
    var openAIRows = 0
    var openAIRowsWithMeters = 0
    var hasGroups = false
    var creditsApplied: Decimal = 0
    var others: [String: (rows: Int, amount: Decimal)] = [:]
    var latestAzureDay: CivilDate?
    var latestDay: CivilDate?
    /// Azure rows per day, credit rows included: what days the source has
    /// data for, and how many rows lie after the last complete day.
    var azureRowsByDay: [CivilDate: Int] = [:]

    private let budget: Currency
    private let rates: [String: Decimal]
    private let map: ServiceCategoryMap
    private let tagKey: String
    private let modelDays: DayRange?
    /// Each resource group's spelling as first seen, by its lowercase name.
    private var spelling: [String: String] = [:]
    private var openAIByService: [String: Bool] = [:]

    /// - Parameters:
    ///   - rates: budget-currency units per unit of each foreign currency
    ///     (checked to cover every currency in the rows before the report
    ///     uses the sums).
    ///   - modelDays: the days whose Azure OpenAI rows are split by model.
    init(budget: Currency, rates: [String: Decimal], plan: BudgetPlan, tagKey: String, modelDays: DayRange?) {
        self.budget = budget
        self.rates = rates
        map = plan.serviceMap
        self.tagKey = tagKey.lowercased()
        self.modelDays = modelDays
    }

    init(records: [CostRecord], budget: Currency, rates: [String: Decimal], plan: BudgetPlan, tagKey: String, modelDays: DayRange?) {
        self.init(budget: budget, rates: rates, plan: plan, tagKey: tagKey, modelDays: modelDays)
        for record in records { add(record) }
    }

    /// One row into the sums; the row itself is not kept.
    mutating func add(_ record: CostRecord) {
        var amount = record.amount
        if record.currency != budget, let rate = rates[record.currency.code] { amount *= rate }
        if latestDay.map({ record.day > $0 }) ?? true { latestDay = record.day }
        guard FinanceReportBuilder.isAzure(record.provider) else {
            others[record.provider, default: (0, 0)].rows += 1
            others[record.provider, default: (0, 0)].amount += amount
            return
        }
        if latestAzureDay.map({ record.day > $0 }) ?? true { latestAzureDay = record.day }
        azureRowsByDay[record.day, default: 0] += 1
        // Credits reduce the bill but must not hide burn: kept apart.
        guard record.chargeCategory != .credit else {
            creditsApplied += amount
            return
        }
        services[record.service, default: DailySpend()].add(amount, on: record.day)
        if let group = record.resourceGroup {
            hasGroups = true
            let lower = group.lowercased()
            let name = spelling[lower] ?? group
            spelling[lower] = name
            groups[name, default: DailySpend()].add(amount, on: record.day)
        } else {
            groups["(no resource group)", default: DailySpend()].add(amount, on: record.day)
        }
        let tag = record.tags.isEmpty ? "" : (record.tags.first { $0.key.lowercased() == tagKey }?.value ?? "")
        tags[tag, default: DailySpend()].add(amount, on: record.day)

        if let modelDays, modelDays.contains(record.day) {
            let isOpenAI = openAIByService[record.service] ?? (map.category(for: record.service) == .azureOpenAI)
            openAIByService[record.service] = isOpenAI
            if isOpenAI {
                openAIRows += 1
                if record.meterName != nil || record.meterSubcategory != nil { openAIRowsWithMeters += 1 }
                models[FinanceReportBuilder.model(of: record), default: 0] += amount
            }
        }
    }

    /// Every service's spend summed per day.
    var total: DailySpend {
        var all = DailySpend()
        for series in services.values {
            for day in series.days { all.add(series.amount(on: day), on: day) }
        }
        return all
    }

    /// Per-service daily rows (what the dashboard's core reads), up to a day.
    func dailyCosts(through last: CivilDate, currency: Currency) -> [DailyCost] {
        var rows: [DailyCost] = []
        for (service, series) in services {
            for day in series.days where day <= last {
                rows.append(DailyCost(day: day, service: service, amount: series.amount(on: day), currency: currency))
            }
        }
        return rows
    }

    /// Azure OpenAI spend (the services the plan maps to azure_openai) over `days`.
    func openAISpend(in days: DayRange) -> Decimal {
        services.reduce(0) { sum, entry in
            map.category(for: entry.key) == .azureOpenAI ? sum + entry.value.total(in: days) : sum
        }
    }

    static func sums(_ series: [String: DailySpend], in days: DayRange) -> [String: Decimal] {
        var out: [String: Decimal] = [:]
        for (name, spend) in series {
            let total = spend.total(in: days)
            if total != 0 || spend.days.contains(where: days.contains) { out[name] = total }
        }
        return out
    }
}
