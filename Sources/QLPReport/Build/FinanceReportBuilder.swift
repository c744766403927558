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
        var rows = self.rows()
        for record in input.records { rows.add(record) }
        return try build(input, rows: rows)
    }

    /// The report from rows already summed (streamed from a file): `input`
    /// says where they came from; its `records` are not read.
    public func build(_ input: ReportInput, rows: ReportRows) throws(ReportError) -> FinanceReport {
        try checkCurrencies(rows.currencies, source: input.source)
        let asOf = self.asOf
        let lastDay = asOf.adding(days: -1)
        let data = rows.aggregates
        // Every section reads these days and no others (issue 14 finding 16).
        let coverage = data.azureDays(before: today)
        let (completeDays, previousDays) = try days(coverage: coverage)

        let overview = BudgetOverview(plan: plan, costs: data.dailyCosts(through: lastDay, currency: plan.currency), today: asOf)
        let credits = overview.categories.map { creditLine(key: $0.category.key, position: $0.position, asOf: asOf) }
        let total = creditLine(key: "total", position: overview.credit, asOf: asOf)
        let daily = data.total
        let monthly = monthlyStatus(
            daily, asOf: asOf, forecast: input.azureForecast,
            note: input.forecastNote ?? "not available from \(input.source)")

        let previous = period.previous
        func compare(_ series: [String: DailySpend], keepLast: String? = nil) -> Comparison {
            Comparison.build(
                current: ReportAggregates.sums(series, in: completeDays),
                previous: ReportAggregates.sums(series, in: previousDays), keepLast: keepLast)
        }
        let services = compare(data.services)
        let groups = data.hasGroups ? compare(data.groups) : nil
        let tags = compare(
            tagSeries(input, currency: rows.currencies.first, data: data).reduce(into: [:]) {
                $0[$1.key.isEmpty ? "Untagged" : $1.key] = $1.value
            },
            keepLast: "Untagged")

        var anomalies: [Anomaly] = []
        let history = DayRange(completeDays.first.adding(days: -14), completeDays.last)!
        let rules = AnomalyRules()
        anomalies += rules.find(dimension: "service", series: data.services, days: completeDays, history: history)
        if data.hasGroups {
            anomalies += rules.find(dimension: "resource group", series: data.groups, days: completeDays, history: history)
        }
        let after = data.after(lastComplete: today.adding(days: -1))
        let usage = usageSections(
            input, days: completeDays, previousDays: previousDays,
            invoice: data.openAISpend(in: completeDays))

        return FinanceReport(
            period: period, previousPeriod: previous, isInProgress: ReportWindow(period: period, today: today).isInProgress,
            comparedDays: completeDays, previousComparedDays: previousDays, generatedAt: generatedAt, asOf: asOf, currency: plan.currency,
            source: input.source, basis: input.basis, creditPeriod: plan.creditPeriod, credits: credits, creditTotal: total,
            unmapped: overview.unmapped.spent, unmappedServices: overview.unmapped.services.map(\.name),
            atlas: AtlasStatus(
                allocation: plan.atlasCredits?.amount, use: input.atlas,
                note: input.atlas.map { "from the Atlas Admin API; converted at \($0.rate)" }
                    ?? input.atlasNote ?? "not read: set mongodb_atlas.admin_api in the config"),
            monthly: monthly, services: services, resourceGroups: groups, tags: tags, tagKey: plan.reportTag,
            anomalies: anomalies, alertsFired: alertsFired(monthly, daily: daily),
            modelSpend: modelSpend(data, usage: usage.isRead),
            routingSavings: usage.savings, keySpend: usage.keys, routeSpend: usage.routes,
            ledgerVersusInvoice: usage.ledgerVersusInvoice, usageNote: usage.note,
            quality: DataQuality(
                latestDataDay: data.latestAzureDay, latestCompleteDay: min(lastDay, period.days.last),
                rowsRead: input.rowsRead, skipped: input.skipped, skippedCount: input.skippedCount,
                otherProviders: data.others.map { (provider: $0.key, rows: $0.value.rows, amount: $0.value.amount) }
                    .sorted { $0.provider < $1.provider },
                creditsApplied: data.creditsApplied, firstIncompleteDay: today, rowsAfterLastCompleteDay: after.rows,
                amountAfterLastCompleteDay: after.amount,
                exchangeRates: Set(rows.currencies).subtracting([plan.currency.code]).sorted()
                    .compactMap { code in plan.exchangeRates[code].map { (code, $0) } },
                notes: notes(input, currencies: rows.currencies, latest: data.latestDay)
                    + coverageNotes(coverage, previousDays: previousDays)))
    }

    // MARK: - Pieces

    /// A source in a currency with no configured rate is refused, never mixed in.
    private func checkCurrencies(_ currencies: [String], source: String) throws(ReportError) {
        let missing = currencies.filter { $0 != plan.currency.code && plan.exchangeRates[$0] == nil }.sorted()
        guard missing.isEmpty else {
            throw .currencyMismatch(source: source, found: missing, budget: plan.currency.code)
        }
    }

    private func creditLine(key: String, position: CreditPosition, asOf: CivilDate) -> CreditLine {
        // Before the credit starts, the whole credit period is ahead.
        let daysLeft = max(asOf, plan.creditPeriod.first).days(to: plan.creditPeriod.last) + 1
        let required: Decimal? = daysLeft > 0 && position.remaining > 0 ? position.remaining / Decimal(daysLeft) : nil
        return CreditLine(
            key: key, label: position.label, allocation: position.allocation, used: position.spent,
            remaining: position.remaining, burnRate: position.burnRate?.perDay, burnDays: position.burnRate?.days ?? 0,
            requiredRate: required, exhaustion: position.exhaustion)
    }

    private func monthlyStatus(_ daily: DailySpend, asOf: CivilDate, forecast: Decimal?, note: String) -> MonthlyStatus {
        let lastDay = asOf.adding(days: -1)
        let month = lastDay.firstOfMonth
        let spend = Self.within(daily, month, lastDay)
        let thresholds = plan.monthly.alertThresholds + (plan.monthly.alertThresholds.contains(100) ? [] : [100])
        let spent = spend.total
        return MonthlyStatus(
            month: month, amount: plan.monthly.amount, spentToDate: spent,
            state: ThresholdState.evaluate(spent: spent, amount: plan.monthly.amount, thresholds: plan.monthly.alertThresholds),
            crossings: ThresholdCrossing.find(
                in: spend, month: month, through: lastDay, amount: plan.monthly.amount,
                thresholds: thresholds),
            linearProjection: MonthEndProjection.linear(spend, month: month, completeThrough: lastDay),
            azureForecast: forecast,
            forecastNote: forecast == nil ? note : MonthEndEstimate.azureForecast.name)
    }

    /// The part of a series between two days.
    static func within(_ series: DailySpend, _ first: CivilDate, _ last: CivilDate) -> DailySpend {
        var out = DailySpend()
        for day in series.days where day >= first && day <= last { out.add(series.amount(on: day), on: day) }
        return out
    }

    /// Actual-threshold crossings and the first day the linear projection
    /// passed 100%, when they fall inside the period.
    private func alertsFired(_ monthly: MonthlyStatus, daily: DailySpend) -> [AlertFired] {
        var fired: [AlertFired] = []
        for crossing in monthly.crossings {
            guard let day = crossing.day, period.days.contains(day) else { continue }
            fired.append(
                AlertFired(
                    day: day, kind: "actual", threshold: crossing.threshold,
                    detail: "month-to-date spend reached \(crossing.threshold)% of the monthly budget"))
        }
        let spend = Self.within(daily, monthly.month, monthly.month.lastOfMonth)
        if let days = DayRange(monthly.month, min(monthly.month.lastOfMonth, asOf.adding(days: -1))) {
            for day in days {
                guard let projection = MonthEndProjection.linear(spend, month: monthly.month, completeThrough: day),
                    projection.amount > plan.monthly.amount
                else { continue }
                if period.days.contains(day) {
                    fired.append(
                        AlertFired(
                            day: day, kind: "forecast", threshold: 100,
                            detail: "the \(MonthEndEstimate.linearProjection.name) of the month-end total passed 100% of the monthly budget"
                        ))
                }
                break
            }
        }
        return fired.sorted { ($0.day, $0.threshold) < ($1.day, $1.threshold) }
    }

    /// Spend per tag value per day: from Cost Management's own tag query when
    /// the source has one (converted like the records), else from the rows' tags.
    private func tagSeries(_ input: ReportInput, currency: String?, data: ReportAggregates) -> [String: DailySpend] {
        guard let reported = input.tagSpend else { return data.tags }
        let code = currency ?? plan.currency.code
        let rate = code == plan.currency.code ? 1 : (plan.exchangeRates[code] ?? 1)
        guard rate != 1 else { return reported }
        return reported.mapValues { series in
            var scaled = DailySpend()
            for day in series.days { scaled.add(series.amount(on: day) * rate, on: day) }
            return scaled
        }
    }

    /// Azure OpenAI spend by model, from meter names (exports carry them;
    /// Cost Management queried by service does not).
    private func modelSpend(_ data: ReportAggregates, usage: Bool) -> ModelSpend {
        let ollama = ModelSpend.Line(model: "Ollama (local models)", amount: 0)
        let saving =
            usage
            ? "the saving from routing, from the gateway's token counts, is under Routing savings"
            : "the saving from routing needs the gateway's usage ledger, which this report did not read (see Routing savings)"
        guard data.openAIRowsWithMeters > 0 else {
            return ModelSpend(
                lines: [ollama],
                note: data.openAIRows == 0
                    ? "no Azure OpenAI spend in the period; " + saving
                    : "the source has no meter detail, so Azure OpenAI spend cannot be split by model; " + saving)
        }
        let order = ["GPT-4", "GPT-3.5", "Embeddings", "Other Azure OpenAI"]
        let lines = order.compactMap { name in data.models[name].map { ModelSpend.Line(model: name, amount: $0) } } + [ollama]
        return ModelSpend(lines: lines, note: "Ollama runs on the team's own server: no marginal cost. The " + saving.dropFirst(4))
    }

    static func model(of record: CostRecord) -> String {
        let text = "\(record.meterSubcategory ?? "") \(record.meterName ?? "")".lowercased()
        if text.contains("gpt-4") || text.contains("gpt4") { return "GPT-4" }
        if text.contains("gpt-35") || text.contains("gpt-3.5") || text.contains("gpt35") { return "GPT-3.5" }
        if text.contains("embedding") || text.contains("ada") { return "Embeddings" }
        return "Other Azure OpenAI"
    }

    private func notes(_ input: ReportInput, currencies: [String], latest: CivilDate?) -> [String] {
        var notes = [
            "Costs are estimates until invoiced; Azure can revise a day's figures for up to 72 hours and closes the month after that.",
            "Basis: \(input.basis == .actual ? "actual (billed) cost" : "amortized cost (reservation purchases spread over their term)").",
            "Credit use is computed from usage: Cost Management's figures exclude credits.",
            isRerun
                ? "Rerun as of \(today): figures as they stood then, leaving out every row dated \(today) or later."
                : "Today (\(today)) is never counted as complete.",
        ]
        if let latest, latest < min(asOf.adding(days: -1), period.days.last) {
            notes.append("The source has no rows after \(latest): later days of the period count as zero.")
        }
        for (code, rate) in plan.exchangeRates.sorted(by: { $0.key < $1.key })
        where currencies.contains(code) {
            notes.append("\(code) amounts converted at \(rate) \(plan.currency.code) per \(code) (budget.exchange_rates).")
        }
        return notes
    }

    static func isAzure(_ provider: String) -> Bool {
        let p = provider.lowercased()
        return p == "microsoft" || p == "azure" || p == "microsoft azure"
    }
}
