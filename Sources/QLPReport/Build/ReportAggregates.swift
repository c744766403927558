import Foundation
import QLPCore

/// Everything the report reads from the rows, gathered in one pass: daily
/// spend per service, resource group and tag value, and the rows kept apart
/// (other clouds, credit rows). The rest of the report works on these
/// series, not on the rows, so a year of rows is read once.
struct ReportAggregates {
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

    /// - Parameters:
    ///   - rates: budget-currency units per unit of each foreign currency
    ///     (already checked to cover every currency in the rows).
    ///   - modelDays: the days whose Azure OpenAI rows are split by model.
    init(records: [CostRecord], budget: Currency, rates: [String: Decimal], plan: BudgetPlan, tagKey: String, modelDays: DayRange?) {
        let map = plan.serviceMap
        let key = tagKey.lowercased()
        var spelling: [String: String] = [:]
        var openAIByService: [String: Bool] = [:]
        for record in records {
            var amount = record.amount
            if record.currency != budget, let rate = rates[record.currency.code] { amount *= rate }
            if latestDay.map({ record.day > $0 }) ?? true { latestDay = record.day }
            guard FinanceReportBuilder.isAzure(record.provider) else {
                others[record.provider, default: (0, 0)].rows += 1
                others[record.provider, default: (0, 0)].amount += amount
                continue
            }
            if latestAzureDay.map({ record.day > $0 }) ?? true { latestAzureDay = record.day }
            // Credits reduce the bill but must not hide burn: kept apart.
            guard record.chargeCategory != .credit else {
                creditsApplied += amount
                continue
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
            let tag = record.tags.isEmpty ? "" : (record.tags.first { $0.key.lowercased() == key }?.value ?? "")
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
        if !hasGroups { groups = [:] }
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

    static func sums(_ series: [String: DailySpend], in days: DayRange) -> [String: Decimal] {
        var out: [String: Decimal] = [:]
        for (name, spend) in series {
            let total = spend.total(in: days)
            if total != 0 || spend.days.contains(where: days.contains) { out[name] = total }
        }
        return out
    }
}
