import Foundation
import QLPCore
import QLPHTTP
import QLPRouting
import QLPTestSupport
import Testing

@testable import QLPGateway

/// The gateway in front of stub upstreams on loopback: validation, keys,
/// the adapters' wire format, retries, Retry-After and error pass-through.
@Suite(.timeLimit(.minutes(2))) struct GatewayRequestTests {
    @Test func badRequestsGetOpenAIStyleErrorsNamingTheProblem() async throws {
        let upstream = StubUpstream { _, _ in .json(status: 200, body: StubUpstream.chat()) }
        let base = try await upstream.start()
        let harness = try await GatewayHarness.start(
            targets: [ollamaTarget("llama3", base)],
            routes: [Route(name: "chat", policy: .weighted, shares: [.init(target: "llama3", weight: 100)], fallback: [])],
            settings: GatewaySettings(maxRequestBytes: 2048))
        defer {
            Task {
                await harness.stop()
                await upstream.stop()
            }
        }

        let malformed = try await harness.post("/v1/chat/completions", "{\"model\": \"chat\", \"messages\": [")
        #expect(malformed.status == 400)
        #expect(malformed.error["type"] as? String == "invalid_request_error")
        #expect((malformed.error["message"] as? String)?.contains("JSON") == true)

        let noModel = try await harness.post("/v1/chat/completions", "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
        #expect(noModel.status == 400)
        #expect(noModel.error["param"] as? String == "model")

        let noMessages = try await harness.post("/v1/chat/completions", "{\"model\":\"chat\"}")
        #expect(noMessages.status == 400)
        #expect(noMessages.error["param"] as? String == "messages")

        let noInput = try await harness.post("/v1/embeddings", "{\"model\":\"chat\"}")
        #expect(noInput.status == 400)
        #expect(noInput.error["param"] as? String == "input")

        let badStream = try await harness.post(
            "/v1/chat/completions",
            "{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"stream\":1}")
        #expect(badStream.status == 400)
        #expect(badStream.error["param"] as? String == "stream")

        let unknown = try await harness.post("/v1/chat/completions", GatewayHarness.chatBody(model: "gpt-7"))
        #expect(unknown.status == 404)
        #expect(unknown.error["code"] as? String == "model_not_found")
        #expect((unknown.error["message"] as? String)?.contains("chat") == true)
        #expect((unknown.error["message"] as? String)?.contains("gpt-7") == true)

        let big = "{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"" + String(repeating: "x", count: 4096) + "\"}]}"
        let tooLarge = try await harness.post("/v1/chat/completions", big)
        #expect(tooLarge.status == 413)
        #expect(tooLarge.error["code"] as? String == "request_too_large")

        // None of those reached the upstream.
        #expect(upstream.count == 0)
        let fine = try await harness.post("/v1/chat/completions", GatewayHarness.chatBody())
        #expect(fine.status == 200)
        #expect(upstream.count == 1)
    }

    @Test func clientKeysAreCheckedByTheirHash() async throws {
        let upstream = StubUpstream { _, _ in .json(status: 200, body: StubUpstream.chat()) }
        let base = try await upstream.start()
        let key = "sk-qlp-test-7f3a9c"
        let harness = try await GatewayHarness.start(
            targets: [ollamaTarget("llama3", base)],
            routes: [Route(name: "chat", policy: .weighted, shares: [.init(target: "llama3", weight: 100)], fallback: [])],
            settings: GatewaySettings(clientKeyHashes: [ClientKeys.hexDigest(of: key)]))
        defer {
            Task {
                await harness.stop()
                await upstream.stop()
            }
        }

        let none = try await harness.post("/v1/chat/completions", GatewayHarness.chatBody())
        #expect(none.status == 401)
        #expect(none.error["code"] as? String == "invalid_api_key")
        #expect(!none.bodyText.contains(key))
        let wrong = try await harness.post(
            "/v1/chat/completions", GatewayHarness.chatBody(),
            headers: [("authorization", "Bearer sk-qlp-test-7f3a9d")])
        #expect(wrong.status == 401)
        let models = try await harness.get("/v1/models")
        #expect(models.status == 401)
        #expect(upstream.count == 0)
        let right = try await harness.post(
            "/v1/chat/completions", GatewayHarness.chatBody(),
            headers: [("authorization", "Bearer \(key)")])
        #expect(right.status == 200)
        #expect(upstream.requests.first?.headers[.authorization] == nil)
    }

    @Test func adaptersSpeakAzureAndOllamaWireFormats() async throws {
        let upstream = StubUpstream { _, _ in .json(status: 200, body: StubUpstream.chat(promptTokens: 1000, completionTokens: 500)) }
        let base = try await upstream.start()
        let azure = RouteTarget(
            name: "gpt4", backend: .azureOpenAI, endpoint: base + "/", upstreamModel: "gpt4-deployment",
            modelNames: ["gpt-4"], inputCostPer1K: Decimal(string: "0.01")!, outputCostPer1K: Decimal(string: "0.03")!,
            contextWindow: 128_000)
        let harness = try await GatewayHarness.start(
            targets: [azure, ollamaTarget("llama3", base, model: "llama3:8b", modelNames: ["llama3-alias"])],
            routes: [Route(name: "chat", policy: .priority, shares: [.init(target: "gpt4", weight: 100)], fallback: ["llama3"])],
            upstream: UpstreamSettings(azureAPIVersion: "2024-10-21", azureAPIKey: Secret("aoai-test-key")))
        defer {
            Task {
                await harness.stop()
                await upstream.stop()
            }
        }

        let viaRoute = try await harness.post("/v1/chat/completions", GatewayHarness.chatBody(model: "chat"))
        #expect(viaRoute.status == 200)
        #expect(viaRoute.headers["x-qlp-route"] == "chat")
        #expect(viaRoute.headers["x-qlp-target"] == "gpt4")
        #expect(viaRoute.headers["x-qlp-attempts"] == "1")
        #expect(Double(viaRoute.headers["x-qlp-overhead-ms"] ?? "") != nil)
        let azureSeen = try #require(upstream.requests.last)
        #expect(azureSeen.path == "/openai/deployments/gpt4-deployment/chat/completions")
        #expect(azureSeen.query == "api-version=2024-10-21")
        #expect(azureSeen.headers[.init("api-key")!] == "aoai-test-key")

        let pinned = try await harness.post(
            "/v1/embeddings", "{\"input\":\"hello\",\"model\":\"llama3-alias\",\"extra\":{\"model\":\"keep\"}}")
        #expect(pinned.status == 200)
        #expect(pinned.headers["x-qlp-target"] == "llama3")
        let ollamaSeen = try #require(upstream.requests.last)
        #expect(ollamaSeen.path == "/v1/embeddings")
        #expect(ollamaSeen.json["model"] as? String == "llama3:8b")
        #expect((ollamaSeen.json["extra"] as? [String: Any])?["model"] as? String == "keep")
        #expect(ollamaSeen.headers[.init("api-key")!] == nil)

        let state = harness.gateway.health.state(of: "gpt4")
        #expect(state.inputTokens == 1000 && state.outputTokens == 500)
        #expect(state.estimatedCost == Decimal(string: "0.025"))
        let metrics = try await harness.get("/metrics")
        #expect(metrics.bodyText.contains("qlp_gateway_tokens_total{target=\"gpt4\",direction=\"input\"} 1000"))
        #expect(metrics.bodyText.contains("qlp_gateway_breaker_state{target=\"gpt4\",state=\"closed\"} 1"))
        #expect(metrics.bodyText.contains("qlp_gateway_breaker_state{target=\"gpt4\",state=\"open\"} 0"))

        let models = try await harness.get("/v1/models")
        let ids = (models.json["data"] as? [[String: Any]])?.compactMap { $0["id"] as? String } ?? []
        #expect(models.json["object"] as? String == "list")
        #expect(ids.contains("chat") && ids.contains("gpt4") && ids.contains("gpt-4") && ids.contains("llama3-alias"))
    }

    @Test func aServerErrorIsRetriedOnAnotherTarget() async throws {
        let failing = StubUpstream { _, _ in .json(status: 500, body: "{\"error\":{\"message\":\"boom\",\"type\":\"server_error\"}}") }
        let healthy = StubUpstream { _, _ in .json(status: 200, body: StubUpstream.chat()) }
        let harness = try await GatewayHarness.start(
            targets: [ollamaTarget("first", try await failing.start()), ollamaTarget("second", try await healthy.start())],
            routes: [Route(name: "chat", policy: .priority, shares: [.init(target: "first", weight: 100)], fallback: ["second"])])
        defer {
            Task {
                await harness.stop()
                await failing.stop()
                await healthy.stop()
            }
        }

        let response = try await harness.post("/v1/chat/completions", GatewayHarness.chatBody())
        #expect(response.status == 200)
        #expect(response.headers["x-qlp-target"] == "second")
        #expect(response.headers["x-qlp-attempts"] == "2")
        #expect(failing.count == 1 && healthy.count == 1)
        let metrics = try await harness.get("/metrics")
        #expect(metrics.bodyText.contains("qlp_gateway_fallbacks_total{target=\"second\"} 1"))
        #expect(metrics.bodyText.contains("qlp_gateway_upstream_errors_total{target=\"first\"} 1"))
    }

    /// What the retry policy blames on the target, the forwarder does too (one rule, RetryPolicy.blamesTarget):
    /// a 408 or a 3xx used to be passed to the client although the policy would move on, and a 401, 403 or
    /// 404 (the gateway's key for the target, the deployment or model it chose) is the target's, not the client's.
    @Test(arguments: [302, 401, 403, 404, 408])
    func aTargetsOwnRefusalIsServedByTheNextTarget(status: Int) async throws {
        let refusing = StubUpstream { _, _ in .json(status: status, body: "{\"error\":{\"message\":\"refused \(status)\"}}") }
        let healthy = StubUpstream { _, _ in .json(status: 200, body: StubUpstream.chat()) }
        let harness = try await GatewayHarness.start(
            targets: [ollamaTarget("first", try await refusing.start()), ollamaTarget("second", try await healthy.start())],
            routes: [Route(name: "chat", policy: .priority, shares: [.init(target: "first", weight: 100)], fallback: ["second"])])
        defer {
            Task {
                await harness.stop()
                await refusing.stop()
                await healthy.stop()
            }
        }

        let response = try await harness.post("/v1/chat/completions", GatewayHarness.chatBody())
        #expect(response.status == 200, "\(status) was passed to the client")
        #expect(response.headers["x-qlp-target"] == "second")
        #expect(refusing.count == 1 && healthy.count == 1)
    }

    /// A 200 that is no answer (an HTML page from a proxy in front of the model, a JSON body cut short) is the
    /// target's failure: the next target serves, instead of the client getting it as a success (fault matrix).
    @Test(arguments: [
        ("text/html", "<!DOCTYPE html><html><body>Service Unavailable</body></html>"),
        ("application/json", #"{"id":"chatcmpl-1","object":"chat.c"#),
        ("application/json", ""),
    ])
    func aBrokenSuccessIsServedByTheNextTarget(contentType: String, body: String) async throws {
        let broken = StubUpstream { _, _ in .json(status: 200, body: body, headers: [("Content-Type", contentType)]) }
        let healthy = StubUpstream { _, _ in .json(status: 200, body: StubUpstream.chat()) }
        let harness = try await GatewayHarness.start(
            targets: [ollamaTarget("first", try await broken.start()), ollamaTarget("second", try await healthy.start())],
            routes: [Route(name: "chat", policy: .priority, shares: [.init(target: "first", weight: 100)], fallback: ["second"])])
        defer {
            Task {
                await harness.stop()
                await broken.stop()
                await healthy.stop()
            }
        }

        let response = try await harness.post("/v1/chat/completions", GatewayHarness.chatBody())
        #expect(response.status == 200)
        #expect(response.headers["x-qlp-target"] == "second", "the broken body went to the client: \(response.bodyText.prefix(80))")
        #expect(broken.count == 1 && healthy.count == 1)
    }

    /// The same for a stream: an HTML page answered to a streaming request (whatever its Content-Type says)
    /// is the target's failure, judged on the first chunk, before anything reaches the client.
    @Test(arguments: [
        ("text/html", "<!DOCTYPE html><html><body>Service Unavailable</body></html>"),
        ("text/event-stream", "<html><body>502 Bad Gateway</body></html>"),
    ])
    func aStreamThatIsNoStreamIsServedByTheNextTarget(contentType: String, body: String) async throws {
        let broken = StubUpstream { _, _ in .json(status: 200, body: body, headers: [("Content-Type", contentType)]) }
        let healthy = StubUpstream { _, _ in .stream(chunks: StreamingPassThroughTests.events, between: { _ in }) }
        let harness = try await GatewayHarness.start(
            targets: [ollamaTarget("first", try await broken.start()), ollamaTarget("second", try await healthy.start())],
            routes: [Route(name: "chat", policy: .priority, shares: [.init(target: "first", weight: 100)], fallback: ["second"])])
        defer {
            Task {
                await harness.stop()
                await broken.stop()
                await healthy.stop()
            }
        }

        let response = try await harness.post("/v1/chat/completions", GatewayHarness.chatBody(stream: true))
        #expect(response.status == 200)
        #expect(response.headers["x-qlp-target"] == "second", "the page went to the client: \(response.bodyText.prefix(80))")
        #expect(response.bodyText.contains("data: [DONE]"))
        #expect(broken.count == 1 && healthy.count == 1)
    }

    @Test func a429IsRetriedElsewhereAndItsRetryAfterHoldsTheBreakerOpen() async throws {
        let throttled = StubUpstream { _, _ in
            .json(
                status: 429, body: "{\"error\":{\"code\":\"429\",\"message\":\"Rate limit is exceeded. Try again in 30 seconds.\"}}",
                headers: [("retry-after", "30")])
        }
        let healthy = StubUpstream { _, _ in .json(status: 200, body: StubUpstream.chat()) }
        let harness = try await GatewayHarness.start(
            targets: [ollamaTarget("first", try await throttled.start()), ollamaTarget("second", try await healthy.start())],
            routes: [Route(name: "chat", policy: .priority, shares: [.init(target: "first", weight: 100)], fallback: ["second"])])
        defer {
            Task {
                await harness.stop()
                await throttled.stop()
                await healthy.stop()
            }
        }

        let first = try await harness.post("/v1/chat/completions", GatewayHarness.chatBody())
        #expect(first.status == 200)
        #expect(first.headers["x-qlp-target"] == "second")
        #expect(harness.gateway.health.state(of: "first").breaker == .open)
        // Held open: the next request does not knock on the throttled target.
        let second = try await harness.post("/v1/chat/completions", GatewayHarness.chatBody())
        #expect(second.status == 200)
        #expect(second.headers["x-qlp-attempts"] == "1")
        #expect(throttled.count == 1)
    }

    @Test func retryAfterIsWaitedOutWhenNoOtherTargetIsLeft() async throws {
        let upstream = StubUpstream { number, _ in
            number == 0
                ? .json(status: 429, body: "{\"error\":{\"code\":\"429\",\"message\":\"slow down\"}}", headers: [("retry-after-ms", "300")])
                : .json(status: 200, body: StubUpstream.chat())
        }
        let harness = try await GatewayHarness.start(
            targets: [ollamaTarget("only", try await upstream.start())],
            routes: [Route(name: "chat", policy: .priority, shares: [.init(target: "only", weight: 100)], fallback: [])],
            settings: GatewaySettings(maxRetryAfterWait: .seconds(2)))
        defer {
            Task {
                await harness.stop()
                await upstream.stop()
            }
        }

        let started = ContinuousClock.now
        let response = try await harness.post("/v1/chat/completions", GatewayHarness.chatBody())
        #expect(response.status == 200)
        #expect(response.headers["x-qlp-attempts"] == "2")
        #expect(upstream.count == 2)
        // Not a speed assertion: the wait the upstream asked for is a lower bound.
        #expect(ContinuousClock.now - started >= .milliseconds(300))
        // Waited out on the same target: throttled once, but no fallback served it.
        let figures = harness.gateway.traffic.figures()
        #expect(figures.throttled == ["only": 1])
        #expect(figures.routes["chat"]?.requests == 1 && figures.routes["chat"]?.byFallback == 0)
        let metrics = try await harness.get("/metrics")
        #expect(!metrics.bodyText.contains("qlp_gateway_fallbacks_total{target=\"only\"} 1"))
    }

    @Test func anUpstreamErrorBodyIsPassedOnWithItsStatus() async throws {
        let body =
            "{\"error\":{\"message\":\"This model's maximum context length is 8192 tokens.\",\"type\":\"invalid_request_error\","
            + "\"param\":\"messages\",\"code\":\"context_length_exceeded\"}}"
        let upstream = StubUpstream { _, _ in .json(status: 400, body: body) }
        let plain = StubUpstream { _, _ in .json(status: 503, body: "upstream connect error") }
        let harness = try await GatewayHarness.start(
            targets: [ollamaTarget("strict", try await upstream.start()), ollamaTarget("plain", try await plain.start())],
            routes: [
                Route(name: "chat", policy: .priority, shares: [.init(target: "strict", weight: 100)], fallback: []),
                Route(name: "plain", policy: .priority, shares: [.init(target: "plain", weight: 100)], fallback: []),
            ])
        defer {
            Task {
                await harness.stop()
                await upstream.stop()
                await plain.stop()
            }
        }

        let response = try await harness.post("/v1/chat/completions", GatewayHarness.chatBody())
        #expect(response.status == 400)
        #expect(response.bodyText == body)
        #expect(upstream.count == 1)
        // A body that is not OpenAI-shaped is wrapped in that shape, status kept.
        let wrapped = try await harness.post("/v1/chat/completions", GatewayHarness.chatBody(model: "plain"))
        #expect(wrapped.status == 503)
        #expect((wrapped.error["message"] as? String)?.contains("upstream connect error") == true)
    }

    @Test func noUpstreamAnsweringGetsA502NamingTheTargetsTried() async throws {
        // Two ports nothing listens on, held so that no parallel test's server takes them.
        let gone1 = try ReservedLoopbackPort()
        let gone2 = try ReservedLoopbackPort()
        let base1 = gone1.base
        let base2 = gone2.base
        defer { withExtendedLifetime((gone1, gone2)) {} }
        let harness = try await GatewayHarness.start(
            targets: [ollamaTarget("east", base1), ollamaTarget("west", base2)],
            routes: [Route(name: "chat", policy: .priority, shares: [.init(target: "east", weight: 100)], fallback: ["west"])])
        defer { Task { await harness.stop() } }

        let response = try await harness.post("/v1/chat/completions", GatewayHarness.chatBody())
        #expect(response.status == 502)
        let message = response.error["message"] as? String ?? ""
        #expect(message.contains("east") && message.contains("west"))
        #expect(response.error["type"] as? String == "upstream_error")
    }

    @Test func aSlowUpstreamGetsA504AndADrainedRouteA503() async throws {
        let slow = StubUpstream { _, _ in
            try? await Task.sleep(for: .seconds(3))
            return .json(status: 200, body: StubUpstream.chat())
        }
        let base = try await slow.start()
        let table = RouteTable(
            version: 1, targets: [ollamaTarget("slow", base), ollamaTarget("drained", base)],
            routes: [
                Route(name: "chat", policy: .priority, shares: [.init(target: "slow", weight: 100)], fallback: []),
                Route(name: "code", policy: .priority, shares: [.init(target: "drained", weight: 100)], fallback: []),
            ],
            drained: ["drained"])
        let gateway = try Gateway(
            settings: GatewaySettings(requestTimeout: .seconds(1)), routes: LiveRouteTable(table),
            upstream: UpstreamSettings())
        let server = GatewayServer(gateway: gateway)
        let harness = GatewayHarness(server: server, base: try await server.start(), transport: CurlTransport())
        defer {
            Task {
                await harness.stop()
                await slow.stop()
            }
        }

        let timedOut = try await harness.post("/v1/chat/completions", GatewayHarness.chatBody())
        #expect(timedOut.status == 504)
        #expect(timedOut.error["code"] as? String == "upstream_timeout")
        #expect((timedOut.error["message"] as? String)?.contains("slow") == true)

        let none = try await harness.post("/v1/chat/completions", GatewayHarness.chatBody(model: "code"))
        #expect(none.status == 503)
        #expect(none.error["code"] as? String == "no_target_available")
    }
}
