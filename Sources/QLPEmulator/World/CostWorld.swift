import Foundation
import QLPCore

/// One row of emulated cost: a service's cost on one day.
public struct EmulatedCostRow: Sendable, Equatable {
    public var day: CivilDate
    public var service: String
    public var resourceGroup: String
    public var tags: [String: String]
    public var cost: Decimal
    /// Cost details' meter, in rows split by meter (`CostWorld.rows(byMeter:)`):
    /// "Azure OpenAI" / "gpt-4-turbo-preview Input Tokens" for the model
    /// traffic; other services have one meter, named as the service.
    public var meterSubcategory: String?
    public var meter: String?
}

/// The emulated subscription's spending history: deterministic for a seed,
/// plausible (weekday/weekend rhythm, noise, growth, the odd incident), and
/// the same answer for a day whatever window the query asks for.
public struct CostWorld: Sendable {
    public var seed: UInt64
    public var currency: Currency
    public var services: [EmulatedService]
    /// The first day with any cost (the credit start in the demo).
    public var firstDay: CivilDate
    /// Budgets set on the subscription; their current spend is the sum of this world's rows.
    public var budgets: [EmulatedBudget]
    /// The model traffic that services billing it (`EmulatedService.billsModelTraffic`)
    /// charge for; nil: they follow their synthetic figures like the rest.
    public var traffic: TrafficWorld?

    public init(
        seed: UInt64, currency: Currency = .gbp, services: [EmulatedService] = EmulatedService.quantumLayerPlatform,
        firstDay: CivilDate, budgets: [EmulatedBudget] = [.quantumLayerMonthly()], traffic: TrafficWorld? = nil
    ) {
        self.seed = seed
        self.currency = currency
        self.services = services
        self.firstDay = firstDay
        self.budgets = budgets
        self.traffic = traffic
    }

    /// The traffic service number `index` bills, if it bills one.
    func traffic(of index: Int) -> TrafficWorld? {
        services[index].billsModelTraffic ? traffic : nil
    }

    /// Azure bills in UTC days; today's row is partial, as it is in Azure
    /// while the day is still running.
    public func today(at instant: Date) -> CivilDate { CivilDate(instant, in: TimeZone(identifier: "UTC")!) }

    /// The cost of service number `index` on `day`, as of `instant`.
    public func cost(serviceIndex index: Int, on day: CivilDate, at instant: Date) -> Decimal {
        let today = today(at: instant)
        guard day >= firstDay, day <= today else { return 0 }
        // The requests' own cost, partial today up to the instant as they are.
        if let traffic = traffic(of: index) { return traffic.azureCost(on: day, at: instant).rounded(scale: 10) }
        let service = services[index]
        let noise = SeededNoise(seed: seed)
        var cost = service.weekdayCost
        if day.isoWeekday >= 6 { cost *= service.weekendFactor }
        cost *= 1 + service.dailyGrowth * Decimal(firstDay.days(to: day))
        // Millionths keep the arithmetic exact while giving Azure-like long decimals.
        cost *= 1 + service.noise * Decimal(noise.signedMillionths(stream: index, day: day.dayNumber)) / 1_000_000
        // The same incidents show in the metrics (MetricWorld reads hasIncident too).
        if hasIncident(service: service.name, on: day) {
            cost *= service.incidentFactor
        }
        if day == today {
            let start = day.startInstant(in: TimeZone(identifier: "UTC")!)
            let elapsed = max(0, min(86_400, Int(instant.timeIntervalSince(start))))
            cost = cost * Decimal(elapsed) / 86_400
        }
        return cost.rounded(scale: 10)
    }

    /// What the forecast model expects a service to cost on a day: the
    /// rhythm and growth without the noise or incidents (which no model sees
    /// coming). A stand-in for Azure's own model, whose formula is not published.
    public func expectedCost(serviceIndex index: Int, on day: CivilDate) -> Decimal {
        if let traffic = traffic(of: index) { return day >= firstDay ? traffic.expectedAzureCost(on: day) : 0 }
        let service = services[index]
        var cost = service.weekdayCost
        if day.isoWeekday >= 6 { cost *= service.weekendFactor }
        cost *= 1 + service.dailyGrowth * Decimal(max(0, firstDay.days(to: day)))
        return cost.rounded(scale: 10)
    }

    /// Total cost from `first` to `last` (clamped to what exists), as of `instant`.
    public func total(from first: CivilDate, to last: CivilDate, at instant: Date) -> Decimal {
        rows(from: first, to: last, at: instant).reduce(0) { $0 + $1.cost }
    }

    /// Every row from `from` to `to` inclusive (clamped to the data that exists):
    /// a row per service and day, or with `byMeter` a row per meter, which
    /// splits the model traffic by model and by input and output tokens (the
    /// meters of a service and day sum to its row).
    public func rows(from: CivilDate, to: CivilDate, at instant: Date, byMeter: Bool = false) -> [EmulatedCostRow] {
        let last = min(to, today(at: instant))
        guard let range = DayRange(max(from, firstDay), last) else { return [] }
        var rows: [EmulatedCostRow] = []
        rows.reserveCapacity(range.count * services.count)
        for day in range {
            for (index, service) in services.enumerated() {
                guard byMeter else {
                    rows.append(
                        EmulatedCostRow(
                            day: day, service: service.name, resourceGroup: service.resourceGroup,
                            tags: service.tags, cost: cost(serviceIndex: index, on: day, at: instant)))
                    continue
                }
                if let traffic = traffic(of: index) {
                    for meter in traffic.azureMeterCosts(on: day, at: instant) {
                        rows.append(
                            EmulatedCostRow(
                                day: day, service: service.name, resourceGroup: service.resourceGroup,
                                tags: service.tags, cost: meter.cost, meterSubcategory: "Azure OpenAI",
                                meter: meter.meter))
                    }
                } else {
                    rows.append(
                        EmulatedCostRow(
                            day: day, service: service.name, resourceGroup: service.resourceGroup,
                            tags: service.tags, cost: cost(serviceIndex: index, on: day, at: instant),
                            meterSubcategory: "", meter: service.name))
                }
            }
        }
        return rows
    }
}
