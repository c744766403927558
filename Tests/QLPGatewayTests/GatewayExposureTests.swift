import Foundation
import NIOCore
import QLPCore
import QLPHTTP
import QLPRouting
import Testing

@testable import QLPGateway

/// What keeps a gateway on loopback from being spent by other local users'
/// browsers and by web pages: JSON only, no browser origins unless allowed,
/// loopback Host names only (DNS rebinding), bounded max_tokens and n, and no
/// unauthenticated listener beyond loopback.
@Suite(.timeLimit(.minutes(2))) struct GatewayExposureTests {
    static func start(settings: GatewaySettings = GatewaySettings()) async throws -> (GatewayHarness, StubUpstream) {
        let upstream = StubUpstream { _, _ in .json(status: 200, body: StubUpstream.chat()) }
        let base = try await upstream.start()
        let harness = try await GatewayHarness.start(
            targets: [ollamaTarget("llama3", base)],
            routes: [Route(name: "chat", policy: .weighted, shares: [.init(target: "llama3", weight: 100)], fallback: [])],
            settings: settings)
        return (harness, upstream)
    }

    /// A POST with exactly these headers (the harness's own adds JSON's content type).
    static func post(
        _ harness: GatewayHarness, _ path: String = "/v1/chat/completions", body: String = GatewayHarness.chatBody(),
        headers: [(String, String)]
    ) async throws -> QLPHTTP.HTTPResponse {
        try await harness.transport.send(
            QLPHTTP.HTTPRequest(
                method: .post, url: harness.base + path, headers: HTTPHeaders(headers),
                body: Array(body.utf8), timeout: .seconds(30)))
    }

    @Test func finding07_aPostThatIsNotJSONGets415AndNeverReachesTheUpstream() async throws {
        let (harness, upstream) = try await Self.start()
        defer {
            Task {
                await harness.stop()
                await upstream.stop()
            }
        }

        // What an HTML form or a no-preflight fetch() sends.
        for type in ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"] {
            let response = try await Self.post(harness, headers: [("Content-Type", type)])
            #expect(response.status == 415, "\(type): \(response.status)")
            #expect(response.error["type"] as? String == "invalid_request_error")
            #expect(response.error["code"] as? String == "unsupported_media_type")
            #expect((response.error["message"] as? String)?.contains("application/json") == true)
        }
        let embeddings = try await Self.post(
            harness, "/v1/embeddings", body: "{\"model\":\"chat\",\"input\":\"x\"}",
            headers: [("Content-Type", "text/plain")])
        #expect(embeddings.status == 415)
        let none = try await Self.post(harness, headers: [])
        #expect(none.status == 415)
        #expect(upstream.count == 0)

        let withCharset = try await Self.post(harness, headers: [("Content-Type", "Application/JSON; charset=utf-8")])
        #expect(withCharset.status == 200)
        #expect(upstream.count == 1)
    }

    @Test func finding07_aBrowserOriginThatIsNotAllowedGets403AndNoCORSGrant() async throws {
        let (harness, upstream) = try await Self.start()
        defer {
            Task {
                await harness.stop()
                await upstream.stop()
            }
        }

        let foreign = try await harness.post(
            "/v1/chat/completions", GatewayHarness.chatBody(),
            headers: [("Origin", "https://evil.example")])
        #expect(foreign.status == 403)
        #expect(foreign.error["code"] as? String == "origin_not_allowed")
        #expect((foreign.error["message"] as? String)?.contains("https://evil.example") == true)
        #expect((foreign.error["message"] as? String)?.contains("gateway.allowed_origins") == true)
        #expect(foreign.headers["Access-Control-Allow-Origin"] == nil)
        let models = try await harness.get("/v1/models", headers: [("Origin", "null")])
        #expect(models.status == 403)
        #expect(upstream.count == 0)

        // The preflight a page's fetch() with JSON sends first: refused, with nothing granted.
        let answer = try await harness.transport.send(
            HTTPRequest(
                method: .options, url: harness.base + "/v1/chat/completions",
                headers: HTTPHeaders([
                    ("Origin", "https://evil.example"), ("Access-Control-Request-Method", "POST"),
                    ("Access-Control-Request-Headers", "content-type"),
                ])))
        #expect(answer.status == 403)
        #expect(answer.headers["Access-Control-Allow-Origin"] == nil)
        #expect(answer.headers["Access-Control-Allow-Methods"] == nil)
    }

    @Test func finding07_aHostNameThatIsNotLoopbackGets421SoDNSRebindingCannotReachTheGateway() async throws {
        let (harness, upstream) = try await Self.start()
        defer {
            Task {
                await harness.stop()
                await upstream.stop()
            }
        }
        let port = harness.base.split(separator: ":").last.map(String.init) ?? ""

        // A page on rebind.evil.example whose name now resolves to 127.0.0.1: same origin to the browser.
        let rebound = try await harness.post(
            "/v1/chat/completions", GatewayHarness.chatBody(),
            headers: [("Host", "rebind.evil.example:\(port)")])
        #expect(rebound.status == 421)
        #expect(rebound.error["code"] as? String == "host_not_allowed")
        #expect((rebound.error["message"] as? String)?.contains("rebind.evil.example") == true)
        #expect((rebound.error["message"] as? String)?.contains("gateway.allowed_hosts") == true)
        let metrics = try await harness.get("/metrics", headers: [("Host", "rebind.evil.example")])
        #expect(metrics.status == 421)
        #expect(upstream.count == 0)

        for host in ["localhost:\(port)", "127.0.0.1:\(port)", "[::1]:\(port)", "LOCALHOST"] {
            let fine = try await harness.post("/v1/chat/completions", GatewayHarness.chatBody(), headers: [("Host", host)])
            #expect(fine.status == 200, "Host: \(host) got \(fine.status)")
        }
    }

    @Test func finding07_maxTokensAndNAboveTheGatewaysLimitsGet400NamingTheLimit() async throws {
        let (harness, upstream) = try await Self.start()
        defer {
            Task {
                await harness.stop()
                await upstream.stop()
            }
        }
        let messages = "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]"

        let tokens = try await harness.post("/v1/chat/completions", "{\"model\":\"chat\",\(messages),\"max_tokens\":1000000}")
        #expect(tokens.status == 400)
        #expect(tokens.error["param"] as? String == "max_tokens")
        #expect((tokens.error["message"] as? String)?.contains("gateway.max_output_tokens") == true)
        let completion = try await harness.post(
            "/v1/chat/completions",
            "{\"model\":\"chat\",\(messages),\"max_completion_tokens\":1000000}")
        #expect(completion.status == 400)
        #expect(completion.error["param"] as? String == "max_completion_tokens")
        let choices = try await harness.post("/v1/chat/completions", "{\"model\":\"chat\",\(messages),\"n\":64}")
        #expect(choices.status == 400)
        #expect(choices.error["param"] as? String == "n")
        #expect((choices.error["message"] as? String)?.contains("gateway.max_choices") == true)
        #expect(upstream.count == 0)

        // Without max_tokens the gateway's limit is what the upstream is asked for.
        let unbounded = try await harness.post("/v1/chat/completions", "{\"model\":\"chat\",\(messages)}")
        #expect(unbounded.status == 200)
        #expect((upstream.requests.last?.json["max_tokens"] as? Int) == 4096)
    }

    @Test func finding07_aListenerBeyondLoopbackWithoutClientKeysIsRefused() async throws {
        let table = RouteTable(version: 1, targets: [], routes: [])
        let gateway = try Gateway(settings: GatewaySettings(), routes: LiveRouteTable(table), upstream: UpstreamSettings())
        let server = GatewayServer(gateway: gateway)
        do {
            let base = try await server.start(host: "0.0.0.0", port: 0)
            await server.stop()
            Issue.record("a gateway without client keys started on \(base)")
        } catch {
            #expect(error.description.contains("gateway.client_key_sha256"), "got: \(error)")
            #expect(error.description.contains("0.0.0.0"), "got: \(error)")
        }
    }

    @Test func finding07_theAdminAPIRefusesForeignHostNamesAndBrowserOrigins() async throws {
        let admin = try await AdminHarness.start()
        defer { Task { await admin.stop() } }
        var rebound = HTTPHeaders()
        rebound.add(name: "Authorization", value: "Bearer \(AdminHarness.token)")
        rebound.add(name: "Host", value: "rebind.evil.example")
        let host = try await admin.transport.send(
            QLPHTTP.HTTPRequest(
                method: .get, url: admin.base + "/admin/routes",
                headers: rebound, timeout: .seconds(30)))
        #expect(host.status == 421)
        #expect(String(decoding: host.body, as: UTF8.self).contains("rebind.evil.example"))

        var page = HTTPHeaders()
        page.add(name: "Authorization", value: "Bearer \(AdminHarness.token)")
        page.add(name: "Origin", value: "https://evil.example")
        let origin = try await admin.transport.send(
            QLPHTTP.HTTPRequest(
                method: .get, url: admin.base + "/admin/routes",
                headers: page, timeout: .seconds(30)))
        #expect(origin.status == 403)

        let fine = try await admin.send(.get, "/admin/routes")
        #expect(fine.status == 200)
    }
}

/// The other side of the same rules: what the config allows is answered.
@Suite(.timeLimit(.minutes(2))) struct GatewayExposureAllowedTests {
    @Test func aListedOriginGetsCORSAndAListedHostAndRaisedLimitsAreAnswered() async throws {
        var settings = GatewaySettings()
        settings.allowedOrigins = ["https://app.example"]
        settings.allowedHosts = ["gateway.internal.example"]
        settings.maxOutputTokens = 100
        settings.maxChoices = 2
        let (harness, upstream) = try await GatewayExposureTests.start(settings: settings)
        defer {
            Task {
                await harness.stop()
                await upstream.stop()
            }
        }

        let page = try await harness.post("/v1/chat/completions", GatewayHarness.chatBody(), headers: [("Origin", "https://app.example")])
        #expect(page.status == 200)
        #expect(page.headers["Access-Control-Allow-Origin"] == "https://app.example")
        #expect(page.headers["Vary"] == "Origin")

        let answer = try await harness.transport.send(
            HTTPRequest(
                method: .options, url: harness.base + "/v1/chat/completions",
                headers: HTTPHeaders([("Origin", "https://app.example"), ("Access-Control-Request-Method", "POST")])))
        #expect(answer.status == 204)
        #expect(answer.headers["Access-Control-Allow-Origin"] == "https://app.example")
        #expect(answer.headers["Access-Control-Allow-Headers"]?.contains("content-type") == true)

        let named = try await harness.post(
            "/v1/chat/completions", GatewayHarness.chatBody(), headers: [("Host", "gateway.internal.example")])
        #expect(named.status == 200)
        let messages = "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]"
        let two = try await harness.post("/v1/chat/completions", "{\"model\":\"chat\",\(messages),\"n\":2,\"max_tokens\":100}")
        #expect(two.status == 200)
        #expect((upstream.requests.last?.json["max_tokens"] as? Int) == 100)
        let three = try await harness.post("/v1/chat/completions", "{\"model\":\"chat\",\(messages),\"n\":3}")
        #expect(three.status == 400)
        let null = try await harness.post("/v1/chat/completions", "{\"model\":\"chat\",\(messages),\"max_tokens\":null}")
        #expect(null.status == 400)
        #expect(null.error["param"] as? String == "max_tokens")
    }

    @Test func beyondLoopbackAnyNameIsAnsweredUnlessHostsAreListedThenOnlyThoseAndAddresses() {
        let policy = HostAndOriginPolicy(listenHost: "0.0.0.0", allowedHosts: [], allowedOrigins: [])
        #expect(policy.check(authority: "qlp-gateway.svc.cluster.local:8088", extraHosts: 0, origin: nil) == nil)
        let listed = HostAndOriginPolicy(listenHost: "0.0.0.0", allowedHosts: ["gw.example"], allowedOrigins: [])
        #expect(listed.check(authority: "gw.example", extraHosts: 0, origin: nil) == nil)
        #expect(listed.check(authority: "10.1.2.3:8088", extraHosts: 0, origin: nil) == nil)
        #expect(listed.check(authority: "rebind.evil.example", extraHosts: 0, origin: nil) == .hostNotAllowed(host: "rebind.evil.example"))
        let loopback = HostAndOriginPolicy(listenHost: "127.0.0.1", allowedHosts: [], allowedOrigins: [])
        #expect(loopback.check(authority: "10.1.2.3", extraHosts: 0, origin: nil) == .hostNotAllowed(host: "10.1.2.3"))
        #expect(loopback.check(authority: "localhost", extraHosts: 1, origin: nil) == .duplicateHost)
        #expect(loopback.check(authority: nil, extraHosts: 0, origin: nil) == .missingHost)
    }

    @Test func theHostIsTheAuthorityWithoutItsPort() {
        let cases: [(authority: String, host: String)] = [
            ("127.0.0.1:8088", "127.0.0.1"), ("LocalHost", "localhost"), ("[::1]:8088", "::1"), ("[::1]", "::1"),
            ("GW.Example:443", "gw.example"), ("gw.example:", "gw.example"),
            // Not a port: kept whole, so it matches no allowed name.
            ("gw.example:80a", "gw.example:80a"), ("gw.example:\u{FF18}\u{FF10}", "gw.example:\u{FF18}\u{FF10}"),
            // Two colons without brackets: an IPv6 literal, kept whole.
            ("::1", "::1"), ("fe80::1:8088", "fe80::1:8088"),
        ]
        for (authority, host) in cases {
            #expect(HostAndOriginPolicy.hostName(authority) == host, "\(authority)")
        }
    }
}
