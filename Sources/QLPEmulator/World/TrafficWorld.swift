import Foundation
import QLPCore
import Synchronization

/// The demo gateway's request history: every request its clients sent, hour
/// by hour from the world's first day, deterministic for a seed. Each request
/// goes to one of its route's targets by the route's weights and costs its
/// tokens times that target's prices, the prices and weights being the
/// routing settings' own (one source: the emulator holds no price), computed
/// as the gateway computes them (`TokenCounts.cost`). The cost world bills
/// Azure OpenAI from it, and the demo's usage ledger is filled from it, so
/// the two agree to the picounit.
///
/// A request is drawn from (seed, client, route, hour, serial) alone, so an
/// hour is the same whichever window asks for it and on whichever run.
public struct TrafficWorld: Sendable {
    public let seed: UInt64
    /// No traffic before this day.
    public let firstDay: CivilDate
    public let keys: [TrafficKey]
    /// Growth of every demand per day since `firstDay`, as a fraction (0.006: +0.6% a day, linearly).
    public let dailyGrowth: Double
    /// Chance per day of a surge day (`TrafficDemand.Rhythm.surge` demands send on it).
    public let surgeChancePerMillion: Int

    let targets: [Target]
    let streams: [Stream]
    private let noise: SeededNoise
    private let completedDays = CompletedDays()

    /// A route target as the history needs it.
    struct Target: Sendable {
        var name: String
        var isAzure: Bool
        /// What the request asked the upstream for: the Azure deployment or the Ollama model (as the gateway records it).
        var upstreamModel: String
        /// The model's own name, for Azure's meters ("gpt-4-turbo-preview Input Tokens").
        var meterModel: String
        var inputPer1K: Decimal
        var outputPer1K: Decimal
        var latency: ModelLatencyProfile
    }

    /// One client's demand on one route that exists, with the route's targets resolved.
    struct Stream: Sendable {
        var key: String
        var route: String
        var demand: TrafficDemand
        /// Target indexes and their weights (positive), in the route's order.
        var choices: [(target: Int, weight: Int)]
        var totalWeight: Int
        /// The noise stream: a hash of the key and route names and the demand's place, stable across runs.
        var id: Int
    }

    /// One drawn request, before it is made a `UsageRecord`.
    struct Request: Sendable {
        /// Milliseconds into its hour.
        var millisecond: Int
        var stream: Int
        var serial: Int
        var target: Int
        var tokens: TokenCounts
    }

    /// - Parameters:
    ///   - routing: the targets' prices and the routes' weights (the demo's routing settings).
    ///   - azureOpenAI: the deployment names and models behind Azure targets, as the gateway reads them.
    ///   - keys: the clients and what they send; demands on routes `routing` lacks send nothing.
    public init(
        seed: UInt64, firstDay: CivilDate, routing: RoutingSettings, azureOpenAI: AzureOpenAISettings? = nil,
        keys: [TrafficKey] = TrafficKey.demo, dailyGrowth: Double = 0.006, surgeChancePerMillion: Int = 50_000
    ) {
        self.seed = seed
        self.firstDay = firstDay
        self.keys = keys
        self.dailyGrowth = dailyGrowth
        self.surgeChancePerMillion = surgeChancePerMillion
        noise = SeededNoise(seed: seed)
        let targets = routing.targets.map { Self.target($0, azureOpenAI: azureOpenAI) }
        self.targets = targets
        var streams: [Stream] = []
        for key in keys {
            for (place, demand) in key.demands.enumerated() {
                guard let route = routing.routes.first(where: { $0.name == demand.route }) else { continue }
                let choices = Self.choices(route, targets: targets)
                guard !choices.isEmpty else { continue }
                streams.append(
                    Stream(
                        key: key.name, route: route.name, demand: demand, choices: choices,
                        totalWeight: choices.reduce(0) { $0 + $1.weight },
                        id: Self.streamID(key.name, route.name, place)))
            }
        }
        self.streams = streams
    }

    /// Where a route's requests go while every target is healthy, as the
    /// gateway sends them: weighted (and latency, which has nothing measured
    /// to go on) by the weights; priority to the first target; cost to the
    /// cheapest.
    static func choices(_ route: RouteSettings, targets: [Target]) -> [(target: Int, weight: Int)] {
        let weighted: [(target: Int, weight: Int)] = route.weights.compactMap { entry in
            guard entry.weight > 0, let index = targets.firstIndex(where: { $0.name == entry.target }) else { return nil }
            return (index, entry.weight)
        }
        switch route.policy {
        case .weighted, .latency:
            return weighted
        case .priority:
            return weighted.first.map { [($0.target, 1)] } ?? []
        case .cost:
            let cheapest = weighted.min { a, b in
                targets[a.target].inputPer1K + targets[a.target].outputPer1K < targets[b.target].inputPer1K + targets[b.target].outputPer1K
            }
            return cheapest.map { [($0.target, 1)] } ?? []
        }
    }

    static func target(_ settings: RouteTargetSettings, azureOpenAI: AzureOpenAISettings?) -> Target {
        let isAzure = settings.backend == .azureOpenAI
        // The same upstream name the gateway's route table gives the target.
        let upstream = isAzure ? azureOpenAI?.deploymentNames[settings.model] ?? settings.model : settings.model
        let model: EmulatedModel? =
            isAzure
            ? EmulatedDeployment.quantumLayerPlatform.first { $0.name.caseInsensitiveCompare(upstream) == .orderedSame }?.model
            : EmulatedModel.quantumLayerPlatformOllama.first { $0.name == upstream }
        return Target(
            name: settings.name, isAzure: isAzure, upstreamModel: upstream,
            meterModel: settings.modelName(azureOpenAI: azureOpenAI) ?? upstream,
            inputPer1K: settings.inputCostPer1K, outputPer1K: settings.outputCostPer1K,
            latency: model?.latency ?? ModelLatencyProfile(firstTokenMilliseconds: 300...900, tokensPerSecond: 25...50))
    }

    /// FNV-1a of the names (Hasher differs between runs).
    static func streamID(_ key: String, _ route: String, _ place: Int) -> Int {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in "\(key)\u{1F}\(route)\u{1F}\(place)".utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3
        }
        return Int(truncatingIfNeeded: hash & 0x7FFF_FFFF_FFFF)
    }

    // MARK: - Drawing requests

    // Salts in bits the hour number (below 2^32) never reaches, so that no
    // two draws share their inputs.
    private static let daySalt: UInt64 = 1 << 63
    private static let hourSalt: UInt64 = 1 << 62
    private static let surgeSalt: UInt64 = 1 << 61
    private static let surgeStream = 0x5E_46E
    /// A cell never holds more requests than fit below the salts' bits.
    private static let maxPerHour = 1 << 19

    /// Whether `day` is a surge day: a runaway job sends all day (and Azure OpenAI's cost jumps).
    public func isSurgeDay(_ day: CivilDate) -> Bool {
        day >= firstDay && noise.chance(surgeChancePerMillion, stream: Self.surgeStream, day: day.dayNumber, salt: Self.surgeSalt)
    }

    /// The hour's requests, in no particular order. `hour` counts hours since 1970-01-01T00:00Z.
    func forEachRequest(inHour hour: Int, _ body: (Request) -> Void) {
        let dayNumber = hour >= 0 ? hour / 24 : (hour - 23) / 24
        let day = CivilDate(dayNumber: dayNumber)
        guard day >= firstDay else { return }
        let hourOfDay = hour - dayNumber * 24
        let weekend = day.isoWeekday >= 6
        let surge = isSurgeDay(day)
        let growth = 1 + dailyGrowth * Double(firstDay.days(to: day))
        for (s, stream) in streams.enumerated() {
            let percent = stream.demand.rhythm.percent(hour: hourOfDay, weekend: weekend, surgeDay: surge)
            guard percent > 0, stream.demand.peakPerHour > 0 else { continue }
            // Days vary by up to ±15% and hours by ±25% around the rhythm.
            let dayNoise = Double(noise.signedMillionths(stream: stream.id, day: dayNumber, salt: Self.daySalt)) / 1_000_000
            let hourNoise = Double(noise.signedMillionths(stream: stream.id, day: hour, salt: Self.hourSalt)) / 1_000_000
            let expected =
                Double(stream.demand.peakPerHour) * Double(percent) / 100 * growth * (1 + 0.15 * dayNoise) * (1 + 0.25 * hourNoise)
            let whole = expected.rounded(.down)
            let fraction = Int(((expected - whole) * 1_000_000).rounded())
            let roundUp = noise.chance(fraction, stream: stream.id, day: hour, salt: Self.hourSalt | 1)
            let count = min(Self.maxPerHour - 1, max(0, Int(whole) + (roundUp ? 1 : 0)))
            for serial in 0..<count {
                body(request(stream: s, hour: hour, serial: serial))
            }
        }
    }

    /// Draw number `k` of request `serial` in `hour` of stream number `s`.
    private func draw(_ s: Int, hour: Int, serial: Int, _ k: UInt64) -> UInt64 {
        noise.raw(stream: streams[s].id, day: hour, salt: UInt64(serial) << 40 | k << 32)
    }

    private func request(stream s: Int, hour: Int, serial: Int) -> Request {
        let stream = streams[s]
        let place = draw(s, hour: hour, serial: serial, 1)
        var target = stream.choices[0].target
        if stream.choices.count > 1 {
            var pick = Int((place >> 32) % UInt64(stream.totalWeight))
            for choice in stream.choices {
                if pick < choice.weight {
                    target = choice.target
                    break
                }
                pick -= choice.weight
            }
        }
        let tokens = TokenCounts(
            input: Self.triangle(stream.demand.promptTokens, draw(s, hour: hour, serial: serial, 2)),
            output: Self.triangle(stream.demand.completionTokens, draw(s, hour: hour, serial: serial, 3)))
        return Request(millisecond: Int(place % 3_600_000), stream: s, serial: serial, target: target, tokens: tokens)
    }

    /// A value in `range`, most often near its middle: the mean of two uniform draws (the two halves of `bits`).
    static func triangle(_ range: ClosedRange<Int>, _ bits: UInt64) -> Int {
        let span = UInt64(range.upperBound - range.lowerBound) + 1
        guard span > 1 else { return range.lowerBound }
        return range.lowerBound + Int(((bits & 0xFFFF_FFFF) % span + (bits >> 32) % span) / 2)
    }

    static func hour(of instant: Date) -> Int {
        Int((instant.timeIntervalSince1970 / 3600).rounded(.down))
    }

    /// A request's instant: its hour's start plus its milliseconds. Every
    /// comparison with "now" uses this, so a record and a partial day's cost
    /// count the same requests.
    static func instant(hour: Int, millisecond: Int) -> Date {
        Date(timeIntervalSince1970: Double(hour) * 3600 + Double(millisecond) / 1000)
    }

    // MARK: - Cost

    /// Tokens per target index sent on `day` before `instant`.
    func tokensByTarget(on day: CivilDate, before instant: Date) -> [TokenCounts] {
        let over = instant >= day.adding(days: 1).startInstant(in: EmulatedTime.utc)
        if over, let known = completedDays[day.dayNumber] { return known }
        var sums = [TokenCounts](repeating: TokenCounts(input: 0, output: 0), count: targets.count)
        guard day >= firstDay else { return sums }
        let firstHour = day.dayNumber * 24
        let end = instant.timeIntervalSince1970
        for hour in firstHour..<(firstHour + 24) {
            let start = Double(hour) * 3600
            guard start < end else { break }
            let whole = start + 3600 <= end
            forEachRequest(inHour: hour) { request in
                guard whole || Self.instant(hour: hour, millisecond: request.millisecond).timeIntervalSince1970 < end else { return }
                sums[request.target].input += request.tokens.input
                sums[request.target].output += request.tokens.output
            }
        }
        if over { completedDays[day.dayNumber] = sums }
        return sums
    }

    /// What Azure OpenAI bills for `day`: the cost of its requests to Azure
    /// targets, up to `instant` (a day still running is partial, as Azure's is).
    /// The sum of the records' costs, exactly: cost is linear in tokens.
    public func azureCost(on day: CivilDate, at instant: Date) -> Decimal {
        let tokens = tokensByTarget(on: day, before: instant)
        var total: Decimal = 0
        for (index, target) in targets.enumerated() where target.isAzure {
            total += tokens[index].cost(inputPer1K: target.inputPer1K, outputPer1K: target.outputPer1K)
        }
        return total
    }

    /// The same cost per meter, as Azure's cost details split it: input and
    /// output tokens of each model ("gpt-4-turbo-preview Input Tokens"). Meters
    /// that cost nothing are left out; the meters sum to `azureCost`.
    public func azureMeterCosts(on day: CivilDate, at instant: Date) -> [(meter: String, cost: Decimal)] {
        let tokens = tokensByTarget(on: day, before: instant)
        var meters: [(meter: String, cost: Decimal)] = []
        for (index, target) in targets.enumerated() where target.isAzure {
            let input = TokenCounts(input: tokens[index].input, output: 0).cost(inputPer1K: target.inputPer1K, outputPer1K: 0)
            let output = TokenCounts(input: 0, output: tokens[index].output).cost(inputPer1K: 0, outputPer1K: target.outputPer1K)
            if input != 0 { meters.append(("\(target.meterModel) Input Tokens", input)) }
            if output != 0 { meters.append(("\(target.meterModel) Output Tokens", output)) }
        }
        return meters
    }

    /// What a forecast expects Azure OpenAI to cost on `day`: the rhythm and
    /// growth at the mean prompt and answer lengths, without noise or surges.
    public func expectedAzureCost(on day: CivilDate) -> Decimal {
        guard day >= firstDay else { return 0 }
        let weekend = day.isoWeekday >= 6
        let growth = 1 + dailyGrowth * Double(firstDay.days(to: day))
        var total: Decimal = 0
        for stream in streams where stream.demand.rhythm != .surge {
            let percent = (0..<24).reduce(0) { $0 + stream.demand.rhythm.percent(hour: $1, weekend: weekend, surgeDay: false) }
            let requests = Double(stream.demand.peakPerHour) * Double(percent) / 100 * growth
            let prompt = Decimal(stream.demand.promptTokens.lowerBound + stream.demand.promptTokens.upperBound) / 2
            let completion = Decimal(stream.demand.completionTokens.lowerBound + stream.demand.completionTokens.upperBound) / 2
            var perRequest: Decimal = 0
            for choice in stream.choices where targets[choice.target].isAzure {
                let target = targets[choice.target]
                perRequest +=
                    (prompt * target.inputPer1K + completion * target.outputPer1K) / 1000
                    * Decimal(choice.weight) / Decimal(stream.totalWeight)
            }
            total += Decimal(requests.rounded(toPlaces: 3)) * perRequest
        }
        return total.rounded(scale: 10)
    }

    // MARK: - Records

    /// Every request sent in [from, to), oldest first, as the gateway's usage
    /// ledger records it: status 200, one attempt, the target's model, its
    /// tokens and their cost at the target's prices, and a latency drawn from
    /// the emulated model's profile (a time to first token for the streamed
    /// six in ten chat requests).
    public func records(from: Date, to: Date) -> [UsageRecord] {
        guard from < to else { return [] }
        var out: [UsageRecord] = []
        for hour in Self.hour(of: from)...Self.hour(of: to) {
            out += records(inHour: hour).filter { $0.time >= from && $0.time < to }
        }
        return out
    }

    /// The hour's records, oldest first (ties in a fixed order).
    func records(inHour hour: Int) -> [UsageRecord] {
        var requests: [Request] = []
        forEachRequest(inHour: hour) { requests.append($0) }
        requests.sort { a, b in (a.millisecond, a.stream, a.serial) < (b.millisecond, b.stream, b.serial) }
        return requests.map { record($0, hour: hour) }
    }

    private func record(_ request: Request, hour: Int) -> UsageRecord {
        let stream = streams[request.stream]
        let target = targets[request.target]
        let timing = draw(request.stream, hour: hour, serial: request.serial, 4)
        func unit(_ bits: UInt64) -> Double { Double(bits % 1_000_000) / 1_000_000 }
        let profile = target.latency
        let firstToken =
            profile.firstTokenMilliseconds.lowerBound
            + (profile.firstTokenMilliseconds.upperBound - profile.firstTokenMilliseconds.lowerBound)
            * (unit(timing & 0xFFFF_FFFF) + unit(timing >> 32)) / 2
        let perSecond =
            profile.tokensPerSecond.lowerBound
            + (profile.tokensPerSecond.upperBound - profile.tokensPerSecond.lowerBound) * unit(timing >> 16)
        let writing = perSecond > 0 ? Double(request.tokens.output) / perSecond * 1000 : 0
        let streamed = request.tokens.output > 0 && timing >> 58 < 38
        return UsageRecord(
            time: Self.instant(hour: hour, millisecond: request.millisecond), keyName: stream.key, route: stream.route,
            target: target.name, model: target.upstreamModel, tokens: request.tokens,
            cost: request.tokens.cost(inputPer1K: target.inputPer1K, outputPer1K: target.outputPer1K),
            latencyMilliseconds: (firstToken + writing).rounded(toPlaces: 1),
            firstTokenMilliseconds: streamed ? firstToken.rounded(toPlaces: 1) : nil, status: 200, attempts: 1)
    }
}

/// The tokens of days that are over, which never change: the dashboard asks
/// Cost Management for the same weeks on every poll. Shared by the copies of
/// a `TrafficWorld`, which all draw the same days.
private final class CompletedDays: Sendable {
    private let days = Mutex<[Int: [TokenCounts]]>([:])

    subscript(day: Int) -> [TokenCounts]? {
        get { days.withLock { $0[day] } }
        set { days.withLock { $0[day] = newValue } }
    }
}

extension Double {
    fileprivate func rounded(toPlaces places: Int) -> Double {
        let scale = pow(10, Double(places))
        return (self * scale).rounded() / scale
    }
}
