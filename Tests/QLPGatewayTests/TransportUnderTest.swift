import QLPHTTP
import Testing

/// The two upstream clients the gateway can use, for tests that hold both to one contract.
enum TransportUnderTest: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case libcurl
    case eventLoop

    var testDescription: String { rawValue }

    func make(maxConnectionsPerHost: Int = 16) -> any UpstreamHTTPTransport {
        switch self {
        case .libcurl: CurlTransport(maxConcurrentTransfers: 16, maxConnectionsPerHost: maxConnectionsPerHost)
        case .eventLoop: EventLoopHTTPTransport(maxConnectionsPerHost: maxConnectionsPerHost)
        }
    }
}

/// An upstream a test starts on loopback and stops after.
protocol LoopbackUpstream: Sendable {
    /// Starts listening and returns the base URL.
    func start() async throws -> String
    func stop() async
}

extension StallingUpstream: LoopbackUpstream {}
extension StubUpstream: LoopbackUpstream {}

extension TransportUnderTest {
    /// Runs `body` with a new transport and the base URL of `upstream`, started for it; both are
    /// stopped after, whether `body` passed or threw.
    func run(
        against upstream: some LoopbackUpstream, _ body: (any UpstreamHTTPTransport, String) async throws -> Void
    ) async throws {
        let base = try await upstream.start()
        let transport = make()
        do {
            try await body(transport, base)
        } catch {
            await transport.shutdown()
            await upstream.stop()
            throw error
        }
        await transport.shutdown()
        await upstream.stop()
    }
}
