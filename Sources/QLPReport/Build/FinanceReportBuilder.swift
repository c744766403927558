import Foundation
import QLPCore

/// Builds the finance report from cost records: one pure function of the
/// plan, the records, the period and today. Credit and monthly positions come
/// from the dashboard's own core (BudgetOverview), so the two always agree.
public struct FinanceReportBuilder: Sendable {
    public var plan: BudgetPlan
    public var period: ReportPeriod
    /// Today in the billing time zone: never a complete day.
    public var today: CivilDate
    public var generatedAt: Date

    public init(plan: BudgetPlan, period: ReportPeriod, today: CivilDate, generatedAt: Date = Date()) {
        self.plan = plan
        self.period = period
        self.today = today
        self.generatedAt = generatedAt
    }

    /// The positions are taken as of the start of this day: the day after the
    /// period, or today if the period has not ended.
    public var asOf: CivilDate { min(period.days.last.adding(days: 1), today) }

    public func build(_ input: ReportInput) throws(ReportError) -> FinanceReport {
        let records = try converted(input)
        let azure = records.filter { Self.isAzure($0.provider) }
        let others = Dictionary(grouping: records.filter { !Self.isAzure($0.provider) }, by: \.provider)
            .map { (provider: $0.key, rows: $0.value.count, amount: $0.value.reduce(Decimal(0)) { $0 + $1.amount }) }
            .sorted { $0.provider < $1.provider }
        // Credits reduce the bill but must not hide burn: kept apart.
        let creditsApplied = azure.filter { $0.chargeCategory == .credit }.reduce(Decimal(0)) { $0 + $1.amount }
        let spend = azure.filter { $0.chargeCategory != .credit }
        let asOf = self.asOf
        let lastDay = asOf.adding(days: -1)
        let known = spend.filter { $0.day <= lastDay }

        let overview = BudgetOverview(plan: plan, costs: known.map(\.dailyCost), today: asOf)
        let credits = overview.categories.map { creditLine(key: $0.category.key, position: $0.position, asOf: asOf) }
        let total = creditLine(key: "total", position: overview.credit, asOf: asOf)

        let monthly = monthlyStatus(known, asOf: asOf, forecast: input.azureForecast)
        let previous = period.previous
        let services = Comparison.build(current: totals(spend, in: period.days) { $0.service },
                                        previous: totals(spend, in: previous.days) { $0.service })
        let hasGroups = spend.contains { $0.resourceGroup != nil }
        let groups = hasGroups ? Comparison.build(current: totals(spend, in: period.days) { $0.resourceGroup ?? "(no resource group)" },
                                                  previous: totals(spend, in: previous.days) { $0.resourceGroup ?? "(no resource group)" }) : nil
        let tags = tagComparison(spend, input: input, previous: previous)

        let completeDays = DayRange(period.days.first, min(period.days.last, lastDay))
        var anomalies: [Anomaly] = []
        if let completeDays {
            let history = DayRange(completeDays.first.adding(days: -14), completeDays.last)!
            let rules = AnomalyRules()
            anomalies += rules.find(dimension: "service", series: series(spend, in: history) { $0.service },
                                    days: completeDays, history: history)
            if hasGroups {
                anomalies += rules.find(dimension: "resource group", series: series(spend, in: history) { $0.resourceGroup ?? "(no resource group)" },
                                        days: completeDays, history: history)
            }
        }

        return FinanceReport(
            period: period, previousPeriod: previous, generatedAt: generatedAt, asOf: asOf, currency: plan.currency,
            source: input.source, basis: input.basis, creditPeriod: plan.creditPeriod, credits: credits, creditTotal: total,
            unmapped: overview.unmapped.spent, unmappedServices: overview.unmapped.services.map(\.name),
            atlas: AtlasStatus(allocation: plan.atlasCredits?.amount,
                               note: "not read yet: qlp does not fetch MongoDB Atlas invoices (issue 3), so no usage is shown"),
            monthly: monthly, services: services, resourceGroups: groups, tags: tags, tagKey: plan.reportTag,
            anomalies: anomalies, alertsFired: alertsFired(monthly, known: known),
            modelSpend: modelSpend(spend.filter { $0.day <= lastDay && period.days.contains($0.day) }),
            quality: DataQuality(
                latestDataDay: azure.map(\.day).max(), latestCompleteDay: min(lastDay, period.days.last),
                rowsRead: input.rowsRead, skipped: input.skipped, otherProviders: others, creditsApplied: creditsApplied,
                exchangeRates: Set(input.records.map(\.currency.code)).subtracting([plan.currency.code]).sorted()
                    .compactMap { code in plan.exchangeRates[code].map { (code, $0) } },
                notes: notes(input)))
    }

    // MARK: - Pieces

    /// Every record in the budget's currency; a currency with no rate is refused.
    private func converted(_ input: ReportInput) throws(ReportError) -> [CostRecord] {
        let foreign = Set(input.records.map(\.currency.code)).subtracting([plan.currency.code])
        let missing = foreign.filter { plan.exchangeRates[$0] == nil }.sorted()
        guard missing.isEmpty else {
            throw .currencyMismatch(source: input.source, found: missing, budget: plan.currency.code)
        }
        guard !foreign.isEmpty else { return input.records }
        return input.records.map { record in
            guard let rate = plan.exchangeRates[record.currency.code], record.currency != plan.currency else { return record }
            var converted = record
            converted.amount = record.amount * rate
            converted.currency = plan.currency
            return converted
        }
    }

    private func creditLine(key: String, position: CreditPosition, asOf: CivilDate) -> CreditLine {
        // Before the credit starts, the whole credit period is ahead.
        let daysLeft = max(asOf, plan.creditPeriod.first).days(to: plan.creditPeriod.last) + 1
        let required: Decimal? = daysLeft > 0 && position.remaining > 0 ? position.remaining / Decimal(daysLeft) : nil
        return CreditLine(key: key, label: position.label, allocation: position.allocation, used: position.spent,
                          remaining: position.remaining, burnRate: position.burnRate?.perDay, burnDays: position.burnRate?.days ?? 0,
                          requiredRate: required, exhaustion: position.exhaustion)
    }

    private func monthlyStatus(_ known: [CostRecord], asOf: CivilDate, forecast: Decimal?) -> MonthlyStatus {
        let lastDay = asOf.adding(days: -1)
        let month = lastDay.firstOfMonth
        var spend = DailySpend()
        for r in known where r.day >= month && r.day <= lastDay { spend.add(r.amount, on: r.day) }
        let thresholds = plan.monthly.alertThresholds + (plan.monthly.alertThresholds.contains(100) ? [] : [100])
        let spent = spend.total
        return MonthlyStatus(
            month: month, amount: plan.monthly.amount, spentToDate: spent,
            state: ThresholdState.evaluate(spent: spent, amount: plan.monthly.amount, thresholds: plan.monthly.alertThresholds),
            crossings: ThresholdCrossing.find(in: spend, month: month, through: lastDay, amount: plan.monthly.amount,
                                              thresholds: thresholds),
            linearProjection: MonthEndProjection.linear(spend, month: month, completeThrough: lastDay),
            azureForecast: forecast,
            forecastNote: forecast == nil ? "not fetched: qlp does not read Cost Management's forecast API yet (issue 3)" : "Cost Management forecast")
    }

    /// Actual-threshold crossings and the first day the linear projection
    /// passed 100%, when they fall inside the period.
    private func alertsFired(_ monthly: MonthlyStatus, known: [CostRecord]) -> [AlertFired] {
        var fired: [AlertFired] = []
        for crossing in monthly.crossings {
            guard let day = crossing.day, period.days.contains(day) else { continue }
            fired.append(AlertFired(day: day, kind: "actual", threshold: crossing.threshold,
                                    detail: "month-to-date spend reached \(crossing.threshold)% of the monthly budget"))
        }
        var spend = DailySpend()
        for r in known where r.day >= monthly.month && r.day <= monthly.month.lastOfMonth { spend.add(r.amount, on: r.day) }
        if let days = DayRange(monthly.month, min(monthly.month.lastOfMonth, asOf.adding(days: -1))) {
            for day in days {
                guard let projection = MonthEndProjection.linear(spend, month: monthly.month, completeThrough: day),
                      projection.amount > plan.monthly.amount else { continue }
                if period.days.contains(day) {
                    fired.append(AlertFired(day: day, kind: "forecast", threshold: 100,
                                            detail: "the linear month-end projection passed 100% of the monthly budget"))
                }
                break
            }
        }
        return fired.sorted { ($0.day, $0.threshold) < ($1.day, $1.threshold) }
    }

    private func tagComparison(_ spend: [CostRecord], input: ReportInput, previous: ReportPeriod) -> Comparison? {
        let untagged = "Untagged"
        if let tagSpend = input.tagSpend {
            // Reported in the source's currency, like its records.
            let code = input.records.first?.currency.code ?? plan.currency.code
            let rate = code == plan.currency.code ? 1 : (plan.exchangeRates[code] ?? 1)
            func sums(_ days: DayRange) -> [String: Decimal] {
                var out: [String: Decimal] = [:]
                for (value, daily) in tagSpend { out[value.isEmpty ? untagged : value, default: 0] += daily.total(in: days) * rate }
                return out
            }
            return Comparison.build(current: sums(period.days), previous: sums(previous.days), keepLast: untagged)
        }
        let key = plan.reportTag.lowercased()
        func value(_ r: CostRecord) -> String {
            r.tags.first { $0.key.lowercased() == key }?.value ?? untagged
        }
        return Comparison.build(current: totals(spend, in: period.days, by: value), previous: totals(spend, in: previous.days, by: value),
                                keepLast: untagged)
    }

    /// Azure OpenAI spend by model, from meter names (exports carry them;
    /// Cost Management queried by service does not).
    private func modelSpend(_ records: [CostRecord]) -> ModelSpend {
        let map = plan.serviceMap
        let openAI = records.filter { map.category(for: $0.service) == .azureOpenAI }
        let withMeters = openAI.filter { $0.meterName != nil || $0.meterSubcategory != nil }
        let ollama = ModelSpend.Line(model: "Ollama (local models)", amount: 0)
        guard !withMeters.isEmpty else {
            return ModelSpend(lines: [ollama], note: openAI.isEmpty
                ? "no Azure OpenAI spend in the period"
                : "the source has no meter detail, so Azure OpenAI spend cannot be split by model; "
                    + "the saving from routing against an all-GPT-4 baseline needs the gateway's token counts, which qlp does not record yet")
        }
        var byModel: [String: Decimal] = [:]
        for r in openAI { byModel[Self.model(of: r), default: 0] += r.amount }
        let order = ["GPT-4", "GPT-3.5", "Embeddings", "Other Azure OpenAI"]
        let lines = order.compactMap { name in byModel[name].map { ModelSpend.Line(model: name, amount: $0) } } + [ollama]
        return ModelSpend(lines: lines, note: "Ollama runs on the team's own server: no marginal cost. The saving from routing "
            + "against an all-GPT-4 baseline needs the gateway's token counts, which qlp does not record yet")
    }

    static func model(of record: CostRecord) -> String {
        let text = "\(record.meterSubcategory ?? "") \(record.meterName ?? "")".lowercased()
        if text.contains("gpt-4") || text.contains("gpt4") { return "GPT-4" }
        if text.contains("gpt-35") || text.contains("gpt-3.5") || text.contains("gpt35") { return "GPT-3.5" }
        if text.contains("embedding") || text.contains("ada") { return "Embeddings" }
        return "Other Azure OpenAI"
    }

    private func notes(_ input: ReportInput) -> [String] {
        var notes = [
            "Costs are estimates until invoiced; Azure can revise a day's figures for up to 72 hours and closes the month after that.",
            "Basis: \(input.basis == .actual ? "actual (billed) cost" : "amortized cost (reservation purchases spread over their term)").",
            "Credit use is computed from usage: Cost Management's figures exclude credits.",
            "Today (\(today)) is never counted as complete.",
        ]
        let latest = input.records.map(\.day).max()
        if let latest, latest < min(asOf.adding(days: -1), period.days.last) {
            notes.append("The source has no rows after \(latest): later days of the period count as zero.")
        }
        for (code, rate) in plan.exchangeRates.sorted(by: { $0.key < $1.key })
        where input.records.contains(where: { $0.currency.code == code }) {
            notes.append("\(code) amounts converted at \(rate) \(plan.currency.code) per \(code) (budget.exchange_rates).")
        }
        return notes
    }

    private func totals(_ records: [CostRecord], in days: DayRange, by key: (CostRecord) -> String) -> [String: Decimal] {
        var out: [String: Decimal] = [:]
        for r in records where days.contains(r.day) { out[key(r), default: 0] += r.amount }
        return out
    }

    private func series(_ records: [CostRecord], in days: DayRange, by key: (CostRecord) -> String) -> [String: DailySpend] {
        var out: [String: DailySpend] = [:]
        for r in records where days.contains(r.day) { out[key(r), default: DailySpend()].add(r.amount, on: r.day) }
        return out
    }

    static func isAzure(_ provider: String) -> Bool {
        let p = provider.lowercased()
        return p == "microsoft" || p == "azure" || p == "microsoft azure"
    }
}
