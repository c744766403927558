import QLPConfig
import QLPCore
import Testing

/// gateway.upstream_client: which HTTP client carries the calls to the upstreams.
@Suite("Config: gateway.upstream_client")
struct GatewayUpstreamClientConfigTests {
    func parse(_ value: String) throws(ConfigErrors) -> QLPConfiguration {
        try ConfigParser(environment: [:], requireAzure: false)
            .parse(yaml: ConfigFixture.budget + "gateway:\n  upstream_client: \(value)\n", file: "gw.yaml")
    }

    @Test func eitherClientIsReadAndTheEventLoopIsTheDefault() throws {
        #expect(GatewaySettings().upstreamClient == .eventLoop)
        let unset = try ConfigParser(environment: [:], requireAzure: false).parse(yaml: ConfigFixture.budget, file: "gw.yaml")
        #expect(unset.gateway.upstreamClient == .eventLoop)
        #expect(try parse("libcurl").gateway.upstreamClient == .libcurl)
        #expect(try parse("event_loop").gateway.upstreamClient == .eventLoop)
    }

    @Test(arguments: ["curl", "nio", "EVENT_LOOP", "3"])
    func anUnknownClientIsNamedWithTheChoices(value: String) throws {
        do {
            _ = try parse(value)
            Issue.record("upstream_client: \(value) was accepted")
        } catch {
            let named = error.errors.first { $0.key == "gateway.upstream_client" }
            #expect(named != nil, "\(error.description)")
            #expect(error.description.contains("event_loop, libcurl"), "\(error.description)")
        }
    }

    /// libcurl follows the proxy its environment names; the event loop client goes direct, so a gateway
    /// started with one set says so instead of bypassing it unannounced.
    @Test func theProxyVariablesTheEventLoopClientDoesNotFollowAreNamed() {
        let environment = ["HTTPS_PROXY": "http://proxy.internal:3128", "http_proxy": "", "NO_PROXY": "localhost", "PATH": "/usr/bin"]
        #expect(UpstreamClientKind.eventLoop.ignoredProxyVariables(in: environment) == ["HTTPS_PROXY"])
        #expect(UpstreamClientKind.libcurl.ignoredProxyVariables(in: environment) == [])
        #expect(UpstreamClientKind.eventLoop.ignoredProxyVariables(in: ["PATH": "/usr/bin"]) == [])
    }
}
