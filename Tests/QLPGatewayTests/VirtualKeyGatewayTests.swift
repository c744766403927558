import Foundation
import QLPCore
import QLPHTTP
import QLPRouting
import QLPStore
import Testing

@testable import QLPGateway

/// Virtual keys through the HTTP path: each limit refuses before the
/// upstream is called, in OpenAI's error shape, and every admitted request
/// lands in the usage ledger under its key's name.
@Suite(.timeLimit(.minutes(2))) struct VirtualKeyGatewayTests {
    static let utc = TimeZone(identifier: "UTC")!

    static func key(_ name: String, _ secret: String, limits: KeyLimits = KeyLimits(), revoked: Bool = false) -> VirtualKey {
        VirtualKey(
            name: name, digest: ClientKeys.hexDigest(of: secret), createdAt: Date(timeIntervalSince1970: 1_790_000_000),
            revokedAt: revoked ? Date() : nil, limits: limits)
    }

    static func bearer(_ secret: String) -> [(String, String)] { [("authorization", "Bearer \(secret)")] }

    /// An Azure-priced target (£0.01 in, £0.03 out per 1K) answering 1,000 in and 500 out: £0.025 a request.
    static func harness(keys: KeyGate, ledger: UsageLedgerWriter? = nil) async throws -> (GatewayHarness, StubUpstream) {
        let upstream = StubUpstream { _, _ in .json(status: 200, body: StubUpstream.chat(promptTokens: 1000, completionTokens: 500)) }
        let base = try await upstream.start()
        let priced = RouteTarget(
            name: "gpt4", backend: .ollama, endpoint: base, upstreamModel: "gpt-4-turbo",
            inputCostPer1K: Decimal(string: "0.01")!, outputCostPer1K: Decimal(string: "0.03")!, contextWindow: 128_000)
        let harness = try await GatewayHarness.start(
            targets: [priced],
            routes: [
                Route(name: "chat", policy: .weighted, shares: [.init(target: "gpt4", weight: 100)], fallback: []),
                Route(name: "code", policy: .weighted, shares: [.init(target: "gpt4", weight: 100)], fallback: []),
            ],
            keys: keys, usageLedger: ledger)
        return (harness, upstream)
    }

    @Test func aKeyAtThirtyRequestsAMinuteGetsThirtyOfFortyAndTheRestA429WithRetryAfter() async throws {
        let keys = try KeyGate(
            configDigests: [], stored: [Self.key("web", "sk-web", limits: KeyLimits(requestsPerMinute: 30))],
            timeZone: Self.utc)
        let (harness, upstream) = try await Self.harness(keys: keys)
        defer {
            Task {
                await harness.stop()
                await upstream.stop()
            }
        }
        var statuses: [Int] = []
        var refused: HTTPResponse?
        for _ in 0..<40 {
            let answer = try await harness.post("/v1/chat/completions", GatewayHarness.chatBody(), headers: Self.bearer("sk-web"))
            statuses.append(answer.status)
            if answer.status == 429 { refused = answer }
        }
        #expect(statuses.filter { $0 == 200 }.count == 30)
        #expect(statuses.filter { $0 == 429 }.count == 10)
        #expect(upstream.count == 30, "refusals never reach the upstream")
        let last = try #require(refused)
        #expect(last.error["code"] as? String == "rate_limit_exceeded")
        #expect(last.error["type"] as? String == "requests")
        let retryAfter = try #require(Int(last.headers["retry-after"] ?? ""))
        #expect((1...60).contains(retryAfter))
        #expect((last.error["message"] as? String)?.contains("30 requests per minute") == true)
        let metrics = try await harness.get("/metrics")
        #expect(metrics.bodyText.contains(#"qlp_gateway_key_refusals_total{key="web",reason="rpm"} 10"#))
        #expect(metrics.bodyText.contains(#"qlp_gateway_key_requests_total{key="web",route="chat",outcome="ok"} 30"#))
    }

    @Test func aBudgetStopsTheKeyWithinOneRequestsCostWithItsOwnCode() async throws {
        let budget = KeyBudget(amount: Decimal(string: "0.05")!, period: .month)
        let keys = try KeyGate(
            configDigests: [], stored: [Self.key("trial", "sk-trial", limits: KeyLimits(budget: budget))],
            timeZone: Self.utc)
        let (harness, upstream) = try await Self.harness(keys: keys)
        defer {
            Task {
                await harness.stop()
                await upstream.stop()
            }
        }
        var served = 0
        var refusal: HTTPResponse?
        for _ in 0..<5 {
            let answer = try await harness.post("/v1/chat/completions", GatewayHarness.chatBody(), headers: Self.bearer("sk-trial"))
            if answer.status == 200 {
                served += 1
            } else {
                refusal = answer
                break
            }
        }
        // £0.025 a request: after two the key has spent £0.05, its whole budget.
        #expect(served == 2)
        let refused = try #require(refusal)
        #expect(refused.status == 429)
        #expect(refused.error["code"] as? String == KeyRefusalAnswer.budgetCode)
        let message = refused.error["message"] as? String ?? ""
        #expect(message.contains("£0.05 of its £0.05 monthly budget"))
        #expect(message.contains("resets on ") && message.contains(" at 00:00 "), "\(message)")
        #expect(keys.activity(now: Date()).first?.spent == Decimal(string: "0.05")!)
    }

    @Test func routesRevocationAndMissingKeysAreRefusedOnceAnyKeyExists() async throws {
        let chatOnly = Self.key("chat-app", "sk-chat", limits: KeyLimits(routes: ["chat"]))
        let keys = try KeyGate(configDigests: [], stored: [chatOnly], timeZone: Self.utc)
        let (harness, upstream) = try await Self.harness(keys: keys)
        defer {
            Task {
                await harness.stop()
                await upstream.stop()
            }
        }

        let code = try await harness.post("/v1/chat/completions", GatewayHarness.chatBody(model: "code"), headers: Self.bearer("sk-chat"))
        #expect(code.status == 403)
        #expect(code.error["code"] as? String == "route_not_allowed")
        let chat = try await harness.post("/v1/chat/completions", GatewayHarness.chatBody(), headers: Self.bearer("sk-chat"))
        #expect(chat.status == 200)
        // A store key exists, none in the config: sending no key is still refused.
        let none = try await harness.post("/v1/chat/completions", GatewayHarness.chatBody())
        #expect(none.status == 401)

        keys.reload(stored: [Self.key("chat-app", "sk-chat", limits: KeyLimits(routes: ["chat"]), revoked: true)])
        let revoked = try await harness.post("/v1/chat/completions", GatewayHarness.chatBody(), headers: Self.bearer("sk-chat"))
        #expect(revoked.status == 401)
        #expect(revoked.error["code"] as? String == "invalid_api_key")
        #expect(upstream.count == 1)
    }

    @Test func everyServedRequestIsOneLedgerRowUnderItsKeysName() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("qlp-keys-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let ledger = try SQLiteUsageLedger(path: dir + "/usage.sqlite")
        let writer = UsageLedgerWriter(ledger: ledger)
        let keys = try KeyGate(
            configDigests: [ClientKeys.hexDigest(of: "sk-config")],
            stored: [Self.key("web", "sk-web", limits: KeyLimits(routes: ["chat"]))], timeZone: Self.utc)
        let (harness, upstream) = try await Self.harness(keys: keys, ledger: writer)
        defer {
            Task {
                await harness.stop()
                await upstream.stop()
            }
        }
        for _ in 0..<3 { _ = try await harness.post("/v1/chat/completions", GatewayHarness.chatBody(), headers: Self.bearer("sk-web")) }
        _ = try await harness.post("/v1/chat/completions", GatewayHarness.chatBody(model: "code"), headers: Self.bearer("sk-config"))
        _ = try await harness.post("/v1/chat/completions", GatewayHarness.chatBody(model: "code"), headers: Self.bearer("sk-web"))
        writer.flush()
        let rows = try ledger.records(from: Date(timeIntervalSinceNow: -60), to: Date(timeIntervalSinceNow: 60))
        #expect(rows.count == 4, "the refused (403) request is not a ledger row")
        #expect(rows.filter { $0.keyName == "web" }.count == 3)
        let config = try #require(rows.first { $0.keyName == "config-1" })
        #expect(config.route == "code" && config.target == "gpt4" && config.model == "gpt-4-turbo")
        #expect(config.tokens == TokenCounts(input: 1000, output: 500))
        #expect(config.cost == Decimal(string: "0.025")!)
        #expect(config.status == 200 && config.attempts == 1)
        #expect(writer.counts.dropped == 0)
    }
}
