import Foundation
import QLPCore
import QLPEmulator
import QLPStore
import Testing

/// The demo's gateway traffic history: deterministic, split by the example
/// config's weights, billed to Azure OpenAI at its prices, and written into a
/// usage ledger that agrees with the bill to the penny and beyond.
@Suite struct TrafficWorldTests {
    static let utc = TimeZone(identifier: "UTC")!
    static let clock = EmulatorHarness.clock
    static let today = CivilDate(clock, in: utc)

    static func traffic(seed: UInt64 = 42) throws -> TrafficWorld {
        let config = try EmulatorHarness.exampleConfiguration()
        let routing = try #require(config.routing)
        return TrafficWorld(seed: seed, firstDay: EmulatorHarness.firstDay, routing: routing, azureOpenAI: config.azureOpenAI)
    }

    static func world(_ traffic: TrafficWorld) -> CostWorld {
        CostWorld(seed: 42, firstDay: EmulatorHarness.firstDay, traffic: traffic)
    }

    /// The config's Azure targets: the ones Azure OpenAI bills for.
    static func azureTargets() throws -> Set<String> {
        Set(try #require(try EmulatorHarness.exampleConfiguration().routing).targets.filter { $0.backend == .azureOpenAI }.map(\.name))
    }

    static func start(_ day: CivilDate) -> Date { day.startInstant(in: utc) }

    @Test func theSameSeedGivesTheSameHistoryWhateverTheWindow() throws {
        let day = CivilDate(year: 2026, month: 11, day: 17)!
        let a = try Self.traffic().records(from: Self.start(day), to: Self.start(day.adding(days: 1)))
        let b = try Self.traffic().records(from: Self.start(day), to: Self.start(day.adding(days: 1)))
        #expect(!a.isEmpty)
        #expect(a == b)
        // An hour is the same when a wider window asks for it.
        let wide = try Self.traffic().records(from: Self.start(day.adding(days: -1)), to: Self.start(day.adding(days: 2)))
        #expect(wide.filter { $0.time >= Self.start(day) && $0.time < Self.start(day.adding(days: 1)) } == a)
        #expect(try Self.traffic(seed: 43).records(from: Self.start(day), to: Self.start(day.adding(days: 1))) != a)
        // Oldest first, and nothing before the first day.
        #expect(zip(a, a.dropFirst()).allSatisfy { $0.time <= $1.time })
        let before = EmulatorHarness.firstDay.adding(days: -1)
        #expect(try Self.traffic().records(from: Self.start(before), to: Self.start(EmulatorHarness.firstDay)).isEmpty)
    }

    @Test func requestsLookLikeTheGatewaysAndCostTheirTokensAtTheTargetsPrices() throws {
        let config = try EmulatorHarness.exampleConfiguration()
        let targets = try #require(config.routing).targets
        let day = CivilDate(year: 2026, month: 11, day: 18)!
        let records = try Self.traffic().records(from: Self.start(day), to: Self.start(day.adding(days: 1)))
        #expect(Set(records.map(\.keyName)) == ["web-app", "code-assistant", "batch-jobs"])
        #expect(Set(records.map(\.route)) == ["chat", "code", "embeddings"])
        for record in records {
            let target = try #require(targets.first { $0.name == record.target })
            let tokens = try #require(record.tokens)
            #expect(record.cost == tokens.cost(inputPer1K: target.inputCostPer1K, outputPer1K: target.outputCostPer1K))
            #expect(record.status == 200 && record.attempts == 1)
            #expect(record.latencyMilliseconds > 0 && record.latencyMilliseconds < 120_000)
            if let first = record.firstTokenMilliseconds { #expect(first <= record.latencyMilliseconds) }
        }
        // The upstream names the gateway records: the Azure deployment, the Ollama model.
        #expect(records.first { $0.target == "gpt4" }?.model == "gpt4-deployment")
        #expect(records.first { $0.target == "codellama" }?.model == "codellama:13b")
        #expect(records.filter { $0.route == "embeddings" }.allSatisfy { $0.tokens?.output == 0 && $0.firstTokenMilliseconds == nil })
    }

    @Test func azureOpenAIsDailyCostIsTheSumOfTheLedgersRequestsOnAzureTargets() throws {
        let traffic = try Self.traffic()
        let world = Self.world(traffic)
        let ai = try #require(world.services.firstIndex { $0.name == "Azure AI Services" })
        let azure = try Self.azureTargets()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("qlp-traffic-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let ledger = try SQLiteUsageLedger(path: dir.appendingPathComponent("demo-usage.sqlite").path, now: Self.clock)
        let from = Self.start(Self.today.adding(days: -2))
        let written = try traffic.fill(ledger, from: from, to: Self.clock, batchSize: 700)
        #expect(written > 1_000)

        // Two whole days and today up to 17:42, each to the picounit.
        for day in [Self.today.adding(days: -2), Self.today.adding(days: -1), Self.today] {
            let records = try ledger.records(from: Self.start(day), to: Self.start(day.adding(days: 1)))
            #expect(!records.isEmpty)
            let fromLedger = records.filter { azure.contains($0.target) }.reduce(Decimal(0)) { $0 + ($1.cost ?? 0) }
            let billed = world.cost(serviceIndex: ai, on: day, at: Self.clock)
            #expect(billed == fromLedger, "\(day): Azure bills \(billed), the ledger holds \(fromLedger)")
            #expect(billed.rounded(scale: 2) == fromLedger.rounded(scale: 2))
            // The meters split the same figure by model.
            let meters = traffic.azureMeterCosts(on: day, at: Self.clock)
            #expect(meters.reduce(Decimal(0)) { $0 + $1.cost } == billed)
        }
        // The rollups hold the same money as the rows.
        let rollups = try ledger.rollups(from: from, to: Self.clock)
        #expect(rollups.reduce(0) { $0 + $1.requests } == written)

        // Idempotent: again at the same instant writes nothing; later, only the new requests.
        #expect(try traffic.fill(ledger, from: from, to: Self.clock) == 0)
        let later = Self.clock.addingTimeInterval(2 * 3600 + 7 * 60)
        let more = try traffic.fill(ledger, from: from, to: later)
        #expect(more == traffic.records(from: Self.clock, to: later).count)
        #expect(more > 0)
        let all = try ledger.records(from: from, to: later)
        #expect(all == traffic.records(from: from, to: later))
        #expect(
            world.cost(serviceIndex: ai, on: Self.today, at: later)
                == all.filter { $0.time >= Self.start(Self.today) && azure.contains($0.target) }.reduce(Decimal(0)) { $0 + ($1.cost ?? 0) })
    }

    @Test func aWeeksRequestsSplitByTheRoutesWeights() throws {
        let monday = CivilDate(year: 2026, month: 11, day: 16)!
        let records = try Self.traffic().records(from: Self.start(monday), to: Self.start(monday.adding(days: 7)))
        func share(_ route: String, _ target: String) -> Double {
            let onRoute = records.filter { $0.route == route }
            return Double(onRoute.filter { $0.target == target }.count) / Double(max(1, onRoute.count))
        }
        // Weights from config/qlp.yaml: chat {gpt4 40, gpt35 40, llama3 20}, code {gpt4 30, codellama 70}, embeddings {embeddings 100}.
        for (route, target, weight) in [
            ("chat", "gpt4", 0.4), ("chat", "gpt35", 0.4), ("chat", "llama3", 0.2),
            ("code", "gpt4", 0.3), ("code", "codellama", 0.7), ("embeddings", "embeddings", 1.0),
        ] {
            #expect(abs(share(route, target) - weight) < 0.025, "\(route) -> \(target): \(share(route, target)) vs \(weight)")
        }
    }

    @Test func theVolumeAndTheBillArePlausibleForTheDemosBudget() throws {
        let traffic = try Self.traffic()
        let world = Self.world(traffic)
        let ai = try #require(world.services.firstIndex { $0.name == "Azure AI Services" })
        let days = DayRange(EmulatorHarness.firstDay, Self.today.adding(days: -1))!
        var october: Decimal = 0
        for day in days {
            let cost = world.cost(serviceIndex: ai, on: day, at: Self.clock)
            if day.month == 10 { october += cost }
            let requests = traffic.records(from: Self.start(day), to: Self.start(day.adding(days: 1))).count
            // A few thousand requests a day at most: the ledger stays small.
            #expect(requests > 300 && requests < 6_000, "\(day): \(requests) requests")
            if day.isoWeekday <= 5 && !traffic.isSurgeDay(day) {
                #expect(cost > 5 && cost < 20, "\(day): £\(cost)")
            }
            // The forecast's expectation is near the day's bill, surges aside.
            if !traffic.isSurgeDay(day) {
                let expected = world.expectedCost(serviceIndex: ai, on: day)
                #expect(abs(expected - cost) < expected * 0.35, "\(day): expected £\(expected), billed £\(cost)")
            }
        }
        // About what the synthetic series cost: a fifth of the £1,500 allocation in two months.
        #expect(october > 180 && october < 420, "October's Azure OpenAI: £\(october)")
        // Weekends are quieter; surge days (the cost world's incidents) dearer.
        let saturday = CivilDate(year: 2026, month: 11, day: 14)!
        let tuesday = CivilDate(year: 2026, month: 11, day: 17)!
        #expect(world.cost(serviceIndex: ai, on: saturday, at: Self.clock) < world.cost(serviceIndex: ai, on: tuesday, at: Self.clock))
        let surges = days.filter { traffic.isSurgeDay($0) }
        #expect(surges.allSatisfy { world.hasIncident(service: "Azure AI Services", on: $0) })
        #expect(days.filter { world.hasIncident(service: "Azure AI Services", on: $0) }.count == surges.count)
    }
}
