import Foundation
import NIOPosix
import Testing

@testable import QLPGateway
@testable import QLPHTTP

/// Whole answers on both upstream clients: kept-alive connections, a pooled
/// connection the server dropped, refusals, deadlines, cut answers, size
/// limits and shutdown, each read the same whichever client carried it.
@Suite(.timeLimit(.minutes(1))) struct UpstreamTransportContractTests {
    private static let json = #"{"id":"x","object":"chat.completion","choices":[]}"#

    private static func post(
        _ url: String, timeout: Duration = .seconds(10), connectTimeout: Duration = .seconds(2), maxResponseBytes: Int = 64 << 20
    ) -> HTTPRequest {
        HTTPRequest(
            method: .post, url: url, headers: HTTPHeaders([("content-type", "application/json")]), body: Array("{}".utf8),
            timeout: timeout, connectTimeout: connectTimeout, maxResponseBytes: maxResponseBytes)
    }

    @Test(arguments: TransportUnderTest.allCases)
    func requestsOneAfterAnotherShareOneConnection(_ kind: TransportUnderTest) async throws {
        let upstream = StallingUpstream(script: StallingUpstream.wholeAnswer(Self.json), laterRequests: .answered)
        try await kind.run(against: upstream) { transport, base in
            for _ in 0..<3 {
                let response = try await transport.send(Self.post(base + "/v1/chat"), near: nil)
                #expect(response.status == 200)
                #expect(response.bodyText == Self.json)
                #expect(response.headers["content-type"] == "application/json")
            }
            #expect(upstream.requests == 3)
            #expect(upstream.acceptedConnections == 1)
        }
    }

    /// The event loop client keeps a pool per loop: a request made near a loop goes on that loop's
    /// connection, so the gateway's upstream reads happen on the thread of the client's connection.
    @Test func theEventLoopClientKeepsEachLoopsConnectionsApart() async throws {
        let upstream = StallingUpstream(script: StallingUpstream.wholeAnswer(Self.json), laterRequests: .answered)
        let base = try await upstream.start()
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let transport = EventLoopHTTPTransport(group: group)
        defer {
            Task {
                await transport.shutdown()
                await upstream.stop()
                try? await group.shutdownGracefully()
            }
        }
        let loops = Array(group.makeIterator())
        for loop in [loops[0], loops[1], loops[0], loops[1], loops[0]] {
            #expect(try await transport.send(Self.post(base + "/v1/chat"), near: loop).status == 200)
        }
        #expect(upstream.requests == 5)
        #expect(upstream.acceptedConnections == 2)
    }

    /// A server may close a kept-alive connection just as the client sends on it; nothing of an answer
    /// came, so the request goes once more on a new connection instead of failing.
    @Test(arguments: TransportUnderTest.allCases)
    func aPooledConnectionTheServerDroppedIsReplacedNotFailed(_ kind: TransportUnderTest) async throws {
        let upstream = StallingUpstream(script: StallingUpstream.wholeAnswer(Self.json), laterRequests: .closeTheConnection)
        try await kind.run(against: upstream) { transport, base in
            for _ in 0..<2 {
                let response = try await transport.send(Self.post(base + "/v1/chat"), near: nil)
                #expect(response.status == 200)
            }
            #expect(upstream.requests == 2)
            #expect(upstream.acceptedConnections == 2)
        }
    }

    @Test(arguments: TransportUnderTest.allCases)
    func aRefusedConnectionNamesTheHostAndPort(_ kind: TransportUnderTest) async throws {
        let transport = kind.make()
        defer { Task { await transport.shutdown() } }
        // Port 9 (discard) is closed on loopback here, so the connection is refused at once.
        do {
            _ = try await transport.send(Self.post("http://127.0.0.1:9/v1/chat"), near: nil)
            Issue.record("a refused connection did not fail")
        } catch let error as HTTPTransportError {
            guard case .connectionFailed(let endpoint, _) = error else {
                Issue.record("expected connectionFailed, got \(error)")
                return
            }
            #expect(endpoint == "http://127.0.0.1:9/v1/chat")
            let brief = TransportFailureText.brief(error)
            #expect(brief.contains("127.0.0.1 port 9"), "\(brief)")
        }
    }

    /// https to a server that never answers the TLS handshake: the connect timeout covers the
    /// handshake, so the attempt fails in that time and not the request's.
    @Test(arguments: TransportUnderTest.allCases)
    func aTLSHandshakeThatNeverCompletesFailsAtTheConnectTimeout(_ kind: TransportUnderTest) async throws {
        let upstream = StallingUpstream(script: StallingUpstream.wholeAnswer(Self.json))
        try await kind.run(against: upstream) { transport, base in
            let url = base.replacingOccurrences(of: "http://", with: "https://") + "/v1/chat"
            let limit = Duration.milliseconds(500)
            let started = ContinuousClock.now
            await #expect(throws: HTTPTransportError.timedOut(endpoint: url, after: limit)) {
                _ = try await transport.send(Self.post(url, connectTimeout: limit), near: nil)
            }
            let took = ContinuousClock.now - started
            #expect(took >= limit && took < .seconds(5), "failed after \(took)")
        }
    }

    @Test(arguments: TransportUnderTest.allCases)
    func anAnswerThatStopsComingTimesOutAtTheRequestsTimeout(_ kind: TransportUnderTest) async throws {
        let upstream = StallingUpstream(script: StallingUpstream.jsonHeadThenPartOfTheBody)
        try await kind.run(against: upstream) { transport, base in
            let limit = Duration.milliseconds(400)
            let started = ContinuousClock.now
            await #expect(throws: HTTPTransportError.timedOut(endpoint: base + "/v1/chat", after: limit)) {
                _ = try await transport.send(Self.post(base + "/v1/chat", timeout: limit), near: nil)
            }
            let took = ContinuousClock.now - started
            #expect(took >= limit && took < .seconds(5), "failed after \(took)")
        }
    }

    @Test(arguments: TransportUnderTest.allCases)
    func anAnswerCutShortSaysSo(_ kind: TransportUnderTest) async throws {
        let upstream = StallingUpstream(script: StallingUpstream.jsonHeadThenPartOfTheBody)
        let base = try await upstream.start()
        let transport = kind.make()
        defer { Task { await transport.shutdown() } }

        let sent = Task { try await transport.send(Self.post(base + "/v1/chat"), near: nil) }
        while upstream.requests == 0 { try await Task.sleep(for: .milliseconds(10)) }
        await upstream.stop()
        await #expect {
            _ = try await sent.value
        } throws: { error in
            // The words are the client's own: libcurl's code for libcurl, none for the event loop client
            // (which once reported its breakages as "curl error 18").
            let text = "\(error)"
            let named = kind == .libcurl ? text.contains("curl error 18: ") : !text.contains("curl")
            return (error as? HTTPTransportError)?.summary == "answer cut short" && text.contains("(answer cut short)") && named
        }
    }

    /// A reset before any answer reads as one from either client (the event loop client called it "empty reply").
    @Test(arguments: TransportUnderTest.allCases)
    func aResetBeforeTheAnswerIsNamedAsOne(_ kind: TransportUnderTest) async throws {
        let upstream = StallingUpstream(script: "", resets: true)
        try await kind.run(against: upstream) { transport, base in
            await #expect {
                _ = try await transport.send(Self.post(base + "/v1/chat"), near: nil)
            } throws: { error in
                (error as? HTTPTransportError)?.summary == "connection reset" && "\(error)".contains("(connection reset)")
            }
            #expect(upstream.requests == 1)
        }
    }

    @Test(arguments: TransportUnderTest.allCases)
    func aWholeAnswerOverTheLimitFailsNamingTheLimit(_ kind: TransportUnderTest) async throws {
        let big = "{\"pad\":\"" + String(repeating: "x", count: 20_000) + "\"}"
        let upstream = StallingUpstream(script: StallingUpstream.wholeAnswer(big), laterRequests: .answered)
        try await kind.run(against: upstream) { transport, base in
            await #expect(throws: HTTPTransportError.responseTooLarge(endpoint: base + "/v1/chat", limit: 10_000)) {
                _ = try await transport.send(Self.post(base + "/v1/chat", maxResponseBytes: 10_000), near: nil)
            }
        }
    }

    @Test(arguments: TransportUnderTest.allCases)
    func shutdownEndsAStreamInFlight(_ kind: TransportUnderTest) async throws {
        let upstream = StallingUpstream(script: StallingUpstream.streamHead())
        let base = try await upstream.start()
        let transport = kind.make()
        defer { Task { await upstream.stop() } }

        let response = try await transport.open(Self.post(base + "/v1/chat"), near: nil)
        let reader = Task { try await response.body.next() }
        try await Task.sleep(for: .milliseconds(100))
        await transport.shutdown()
        await #expect(throws: HTTPTransportError.shutDown) { _ = try await reader.value }
        await #expect(throws: HTTPTransportError.shutDown) {
            _ = try await transport.send(Self.post(base + "/v1/chat"), near: nil)
        }
    }
}
