import Foundation
import QLPCore
import QLPHTTP
import QLPStore
import QLPTestSupport
import Testing

/// Issue 13, acceptance 2: keys made with `qlp keys` enforced by a running
/// `qlp gateway` in front of `qlp emulate`: the rate, the budget, the routes,
/// revocation, and no way round them by sending no key.
@Suite(.serialized, .timeLimit(.minutes(3))) struct VirtualKeysEndToEndTests {
    func keys(_ arguments: [String], config: String) async throws -> String {
        let run = try await Subprocess.run([QLPBinary.path, "keys"] + arguments + ["--config", config])
        #expect(run.status == 0, "qlp keys \(arguments.joined(separator: " ")): \(run.error)")
        return run.output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test func keysMadeWithQlpKeysAreEnforcedByARunningGateway() async throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let upstream = try await EmulatorProcess(scratch: scratch)
        defer { upstream.stop() }
        let port = try freeLoopbackPort()
        let adminPort = try freeLoopbackPort()
        let config = try GatewayProcess.config(
            azure: upstream.port, ollama: upstream.port, port: port, adminPort: adminPort,
            scratch: scratch)
        let web = try await keys(["create", "web", "--rpm", "30"], config: config)
        let trial = try await keys(["create", "trial", "--budget", "0.05"], config: config)
        let embedOnly = try await keys(["create", "embed-only", "--routes", "embeddings"], config: config)
        let gateway = try await GatewayProcess.start(config: config, port: port, adminPort: adminPort, scratch: scratch)
        defer { gateway.stop() }

        let client = CurlTransport(maxConcurrentTransfers: 8)
        defer { client.shutdown() }
        func chat(_ key: String?, model: String = "chat", maxTokens: Int = 8) async throws -> HTTPResponse {
            var headers: [(String, String)] = [("content-type", "application/json")]
            if let key { headers.append(("authorization", "Bearer \(key)")) }
            let body = #"{"model":"\#(model)","max_tokens":\#(maxTokens),"messages":[{"role":"user","content":"Say hello"}]}"#
            return try await client.send(
                HTTPRequest(
                    method: .post, url: gateway.base + "/v1/chat/completions",
                    headers: HTTPHeaders(headers), body: Array(body.utf8), timeout: .seconds(30)))
        }
        func error(_ response: HTTPResponse) -> [String: Any] {
            ((try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any])?["error"] as? [String: Any] ?? [:]
        }

        // 40 requests in 10 s at 30 a minute: 30 served, 10 refused with Retry-After and OpenAI's code.
        let clock = ContinuousClock()
        var next = clock.now
        var served = 0
        var refused: [HTTPResponse] = []
        for _ in 0..<40 {
            let answer = try await chat(web)
            if answer.status == 200 { served += 1 } else if answer.status == 429 { refused.append(answer) }
            next += .milliseconds(250)
            try await Task.sleep(until: next, clock: clock)
        }
        #expect(served == 30)
        #expect(refused.count == 10)
        #expect(refused.allSatisfy { error($0)["code"] as? String == "rate_limit_exceeded" && Int($0.headers["retry-after"] ?? "") != nil })

        // No key, once keys exist: refused, so the limits cannot be sidestepped.
        #expect(try await chat(nil).status == 401)
        // A key for embeddings only.
        let wrongRoute = try await chat(embedOnly)
        #expect(wrongRoute.status == 403)
        #expect(error(wrongRoute)["code"] as? String == "route_not_allowed")

        // £0.05 on GPT-4 Turbo: served until spent, then 429 with the budget's own code.
        var budgetRefusal: HTTPResponse?
        var trialServed = 0
        for _ in 0..<400 {
            let answer = try await chat(trial, model: "gpt4", maxTokens: 200)
            if answer.status == 200 {
                trialServed += 1
                continue
            }
            budgetRefusal = answer
            break
        }
        let stop = try #require(budgetRefusal, "the budget never stopped the key after \(trialServed) requests")
        #expect(stop.status == 429)
        #expect(error(stop)["code"] as? String == "key_budget_exceeded")
        #expect((error(stop)["message"] as? String)?.contains("£0.05") == true)

        // Revoked: the next request (the gateway looks every 250 ms) is refused.
        _ = try await keys(["revoke", "web"], config: config)
        try await Task.sleep(for: .milliseconds(600))
        let revoked = try await chat(web)
        #expect(revoked.status == 401)

        // The ledger: a row per served request under each key's name; the trial key stopped within one request's cost.
        let ledger = try SQLiteUsageLedger(path: scratch.path + "/state/usage.sqlite")
        var rows: [UsageRecord] = []
        for _ in 0..<30 {
            rows = try ledger.records(from: .distantPast, to: .distantFuture)
            if rows.count >= 30 + trialServed { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(rows.filter { $0.keyName == "web" }.count == 30)
        let trialRows = rows.filter { $0.keyName == "trial" }
        #expect(trialRows.count == trialServed)
        let spent = trialRows.reduce(Decimal(0)) { $0 + ($1.cost ?? 0) }
        let last = trialRows.last?.cost ?? 0
        #expect(spent >= Decimal(string: "0.05")!, "stopped before the budget was spent: \(spent)")
        #expect(spent - last < Decimal(string: "0.05")!, "served a request after the budget was spent: \(spent)")
        let log = (try? String(contentsOfFile: gateway.logPath, encoding: .utf8)) ?? ""
        for key in [web, trial, embedOnly] { #expect(!log.contains(key), "a client key appears in the gateway log") }
    }
}
