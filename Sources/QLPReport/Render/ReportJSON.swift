import Foundation
import QLPCore

/// The report as JSON, as docs/report-schema.json describes it. Money is a
/// number rounded to pennies in the report's currency; days are "YYYY-MM-DD".
enum ReportJSON {
    static func render(_ r: FinanceReport) -> String { document(r).pretty + "\n" }

    static func money(_ d: Decimal) -> JSONText { .number(d.rounded(scale: 2)) }
    static func money(_ d: Decimal?) -> JSONText { d.map(money) ?? .null }
    static func day(_ d: CivilDate?) -> JSONText { d.map { .string($0.iso8601) } ?? .null }

    static func document(_ r: FinanceReport) -> JSONText {
        let head: [(String, JSONText)] = [
            ("schema_version", .number(FinanceReport.schemaVersion)),
            ("generated_at", .string(ISO8601DateFormatter().string(from: r.generatedAt))),
            ("period", period(r.period, compared: r.comparedDays, inProgress: r.isInProgress)),
            ("previous_period", period(r.previousPeriod, compared: r.previousComparedDays, inProgress: false)),
            ("as_of", day(r.asOf)),
            ("currency", .string(r.currency.code)),
            ("basis", .string(r.basis.rawValue)),
            ("source", .string(r.source)),
            (
                "credits",
                .object([
                    ("first_day", day(r.creditPeriod.first)),
                    ("expiry", day(r.creditPeriod.last)),
                    ("total", credit(r.creditTotal)),
                    ("buckets", .array(r.credits.map(credit))),
                    ("unmapped", .object([("amount", money(r.unmapped)), ("services", .array(r.unmappedServices.map { .string($0) }))])),
                ])
            ),
            ("atlas", atlas(r.atlas)),
            ("monthly", monthly(r.monthly)),
            ("by_service", comparison(r.services)),
            ("by_resource_group", r.resourceGroups.map(comparison) ?? .null),
            ("by_tag", r.tags.map { .object([("key", .string(r.tagKey))] + members(comparison($0))) } ?? .null),
            (
                "anomalies",
                .array(
                    r.anomalies.map { a in
                        .object([
                            ("day", day(a.day)), ("rule", .string(a.kind.rawValue)), ("dimension", .string(a.dimension)),
                            ("name", .string(a.name)), ("amount", money(a.amount)), ("detail", .string(a.detail)),
                        ])
                    })
            ),
            (
                "alerts_fired",
                .array(
                    r.alertsFired.map { a in
                        .object([
                            ("day", day(a.day)), ("kind", .string(a.kind)), ("threshold", .number(a.threshold)),
                            ("detail", .string(a.detail)),
                        ])
                    })
            ),
            (
                "model_spend",
                .object([
                    ("lines", .array(r.modelSpend.lines.map { .object([("model", .string($0.model)), ("amount", money($0.amount))]) })),
                    ("note", .string(r.modelSpend.note)),
                ])
            ),
        ]
        return .object(head + usage(r) + [("data_quality", quality(r.quality))])
    }

    static func atlas(_ a: AtlasStatus) -> JSONText {
        guard let use = a.use else {
            return .object([
                ("allocation", money(a.allocation)), ("status", .string("not_read")), ("note", .string(a.note)),
                ("used", .null), ("used_usd", .null), ("remaining", .null), ("usd_rate", .null), ("runs_out", .null),
            ])
        }
        var runsOut: JSONText = .null
        switch use.exhaustion {
        case .exhausted(let d): runsOut = .object([("status", .string("exhausted")), ("day", day(d))])
        case .projected(let d, let before):
            runsOut = .object([("status", .string(before ? "before_expiry" : "after_expiry")), ("day", day(d))])
        case .notAtCurrentRate: runsOut = .object([("status", .string("no_spend")), ("day", .null)])
        case .unknown: runsOut = .object([("status", .string("unknown")), ("day", .null)])
        }
        return .object([
            ("allocation", money(a.allocation)), ("status", .string("read")), ("note", .string(a.note)),
            ("used", money(use.used)), ("used_usd", money(use.usedUSD)), ("remaining", money(use.remaining)),
            ("usd_rate", .number(use.rate.perUSD)), ("runs_out", runsOut),
        ])
    }

    /// A period and the days of it the figures cover: all of it, or while
    /// the report's period runs, its complete days and as many of the previous.
    static func period(_ p: ReportPeriod, compared: DayRange, inProgress: Bool) -> JSONText {
        .object([
            ("kind", .string(p.kind)), ("id", .string(p.identifier)), ("first_day", day(p.days.first)), ("last_day", day(p.days.last)),
            ("in_progress", .bool(inProgress)), ("compared_first_day", day(compared.first)),
            ("compared_last_day", day(compared.last)), ("compared_days", .number(compared.count)),
        ])
    }

    static func credit(_ c: CreditLine) -> JSONText {
        let runsOut: JSONText
        switch c.exhaustion {
        case .exhausted(let d): runsOut = .object([("status", .string("exhausted")), ("day", day(d))])
        case .projected(let d, let before):
            runsOut = .object([("status", .string(before ? "before_expiry" : "after_expiry")), ("day", day(d))])
        case .notAtCurrentRate: runsOut = .object([("status", .string("no_spend")), ("day", .null)])
        case .unknown: runsOut = .object([("status", .string("unknown")), ("day", .null)])
        }
        return .object([
            ("key", .string(c.key)), ("label", .string(c.label)), ("allocation", money(c.allocation)), ("used", money(c.used)),
            ("remaining", money(c.remaining)), ("burn_per_day", money(c.burnRate)), ("burn_days", .number(c.burnDays)),
            ("needed_per_day", money(c.requiredRate)), ("runs_out", runsOut),
        ])
    }

    static func monthly(_ m: MonthlyStatus) -> JSONText {
        let state: String
        switch m.state {
        case .clear: state = "clear"
        case .crossed(let t): state = "crossed_\(t)"
        case .exceeded: state = "exceeded"
        }
        return .object([
            ("month", .string(String(m.month.iso8601.prefix(7)))), ("amount", money(m.amount)), ("spent_to_date", money(m.spentToDate)),
            ("state", .string(state)),
            ("crossings", .array(m.crossings.map { .object([("threshold", .number($0.threshold)), ("day", day($0.day))]) })),
            (
                "projection_linear",
                m.linearProjection.map {
                    .object([("amount", money($0.amount)), ("basis_days", .number($0.basisDays))])
                } ?? .null
            ),
            ("projection_azure", money(m.azureForecast)),
            ("projection_azure_note", .string(m.forecastNote)),
        ])
    }

    static func comparison(_ c: Comparison) -> JSONText {
        .object([
            (
                "lines",
                .array(
                    c.lines.map { l in
                        .object([
                            ("name", .string(l.name)), ("current", money(l.current)), ("previous", money(l.previous)),
                            ("change", money(l.change)),
                        ])
                    })
            ),
            ("current_total", money(c.currentTotal)),
            ("previous_total", money(c.previousTotal)),
            ("risers", .array(c.risers.map { .string($0.name) })),
            ("fallers", .array(c.fallers.map { .string($0.name) })),
        ])
    }

    static func quality(_ q: DataQuality) -> JSONText {
        .object([
            ("latest_data_day", day(q.latestDataDay)),
            ("latest_complete_day", day(q.latestCompleteDay)),
            ("rows_read", .number(q.rowsRead)),
            ("rows_skipped", .array(q.skipped.map { .string($0) })),
            ("rows_skipped_count", .number(q.skippedCount)),
            ("first_incomplete_day", day(q.firstIncompleteDay)),
            ("rows_after_last_complete_day", .number(q.rowsAfterLastCompleteDay)),
            ("amount_after_last_complete_day", money(q.amountAfterLastCompleteDay)),
            (
                "other_providers",
                .array(
                    q.otherProviders.map {
                        .object([("provider", .string($0.provider)), ("rows", .number($0.rows)), ("amount", money($0.amount))])
                    })
            ),
            ("credits_applied", money(q.creditsApplied)),
            ("exchange_rates", .array(q.exchangeRates.map { .object([("currency", .string($0.currency)), ("rate", .number($0.rate))]) })),
            ("notes", .array(q.notes.map { .string($0) })),
        ])
    }

    static func members(_ object: JSONText) -> [(String, JSONText)] {
        if case .object(let m) = object { return m }
        return []
    }
}
