import Foundation
import QLPCore

/// azure-cost-cli's four deterministic rules (its DetectAnomalies command),
/// run on complete days only: a new cost, a removed cost, a day-on-day jump
/// of more than 75% and more than £2, and seven days of steady growth.
struct AnomalyRules {
    var threshold: Decimal = 2
    var jumpFraction: Decimal = 0.75
    var growthDays = 7

    /// - Parameters:
    ///   - series: daily spend per name (a service or resource group).
    ///   - days: the report's complete days; earlier days in `history` give context.
    func find(dimension: String, series: [String: DailySpend], days: DayRange, history: DayRange) -> [Anomaly] {
        var found: [Anomaly] = []
        for (name, spend) in series.sorted(by: { $0.key < $1.key }) {
            for day in days {
                let today = spend.amount(on: day)
                let yesterday = spend.amount(on: day.adding(days: -1))
                let before = DayRange(history.first, day.adding(days: -1)).map { spend.total(in: $0) } ?? 0
                if today > threshold, before == 0 {
                    found.append(
                        Anomaly(
                            kind: .newCost, dimension: dimension, name: name, day: day, amount: today,
                            detail: "no cost in the \(history.first.days(to: day)) days before"))
                } else if today == 0, yesterday > 0 {
                    found.append(
                        Anomaly(
                            kind: .removedCost, dimension: dimension, name: name, day: day, amount: yesterday,
                            detail: "cost stopped (was \(yesterday.rounded(scale: 2)) the day before)"))
                } else if yesterday > 0, today - yesterday > threshold, (today - yesterday) > yesterday * jumpFraction {
                    let percent = ((today - yesterday) * 100 / yesterday).rounded(scale: 0)
                    found.append(
                        Anomaly(
                            kind: .jump, dimension: dimension, name: name, day: day, amount: today,
                            detail: "up \(percent)% on the day before"))
                }
            }
            // Steady growth: reported once, on the last day of the run.
            if let run = growthRun(spend, ending: days.last, history: history) {
                found.append(
                    Anomaly(
                        kind: .steadyGrowth, dimension: dimension, name: name, day: days.last,
                        amount: spend.amount(on: days.last),
                        detail: "rose every day for \(run) days"))
            }
        }
        return found.sorted { ($0.day, $0.name, $0.kind.rawValue) < ($1.day, $1.name, $1.kind.rawValue) }
    }

    private func growthRun(_ spend: DailySpend, ending: CivilDate, history: DayRange) -> Int? {
        let start = ending.adding(days: -(growthDays - 1))
        guard start >= history.first, let window = DayRange(start, ending) else { return nil }
        let values = window.map { spend.amount(on: $0) }
        guard values.first! > 0 else { return nil }
        for i in 1..<values.count where values[i] <= values[i - 1] { return nil }
        return growthDays
    }
}
