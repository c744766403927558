import Foundation
import Testing

@testable import QLPHTTP

/// Streamed transfers, which carry every streamed answer from an upstream to
/// the gateway, on both upstream clients (libcurl's multi loop and the event
/// loop client): the body arrives chunk by chunk, a reader that falls behind
/// pauses the transfer instead of piling the body up in memory, and a stream
/// given up stops its transfer.
@Suite(.timeLimit(.minutes(1))) struct StreamingTransportTests {
    private static func post(_ url: String, maxResponseBytes: Int = 64 << 20, timeout: Duration = .seconds(30)) -> HTTPRequest {
        HTTPRequest(
            method: .post, url: url, headers: HTTPHeaders([("content-type", "application/json")]), body: Array("{}".utf8),
            timeout: timeout, connectTimeout: .seconds(5), maxResponseBytes: maxResponseBytes)
    }

    /// Runs `body` with a transport and the URL of an upstream that sends a stream's head and then
    /// nothing; both are stopped after.
    private static func withStalledStream(
        _ kind: TransportUnderTest, _ body: (any UpstreamHTTPTransport, String) async throws -> Void
    ) async throws {
        try await kind.run(against: StallingUpstream(script: StallingUpstream.streamHead())) { transport, stalled in
            try await body(transport, stalled + "/stall")
        }
    }

    /// 8 MiB of a-z repeated, made once: built a Character at a time it took seconds of a pool
    /// thread per test case in a debug build, which delayed every other test's timers.
    private static let alphabetPattern: String = {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz".utf8)
        var bytes = [UInt8]()
        bytes.reserveCapacity(8 << 20)
        while bytes.count < 8 << 20 { bytes.append(contentsOf: alphabet.prefix((8 << 20) - bytes.count)) }
        return String(decoding: bytes, as: UTF8.self)
    }()

    private static let firstChunkLimit: Duration = .milliseconds(300)

    /// A streamed POST whose head and first chunk must come within `firstChunkLimit`.
    private static func firstChunkLimited(_ url: String) -> HTTPRequest {
        var request = post(url)
        request.firstChunkTimeout = firstChunkLimit
        return request
    }

    /// The gateway holds a streamed attempt's head and first chunk to its share of the time
    /// (`firstChunkTimeout`): an upstream that sends its head and then nothing fails in about that
    /// long, well inside the transfer's own timeout, so the next target still has time.
    @Test(arguments: TransportUnderTest.allCases)
    func aHeadWithoutAFirstChunkTimesOutAtTheFirstChunkTimeout(_ kind: TransportUnderTest) async throws {
        try await Self.withStalledStream(kind) { transport, url in
            let started = ContinuousClock.now
            do {
                let response = try await transport.open(Self.firstChunkLimited(url))
                _ = try await response.body.next()
                Issue.record("a stream with no first chunk was not failed")
            } catch let error as HTTPTransportError {
                #expect(error == .timedOut(endpoint: url, after: Self.firstChunkLimit))
            }
            let took = ContinuousClock.now - started
            #expect(took >= Self.firstChunkLimit && took < .seconds(10), "failed after \(took)")
        }
    }

    /// Once the first chunk came, the first-chunk limit no longer applies: a stream may pause longer.
    @Test(arguments: TransportUnderTest.allCases)
    func aStreamThatStartedIsNotCutAtTheFirstChunkTimeout(_ kind: TransportUnderTest) async throws {
        let chunks = ["data: {\"n\":1}\n\n", "data: {\"n\":2}\n\n", "data: [DONE]\n\n"]
        let upstream = StubUpstream { _, _ in
            .stream(chunks: chunks, between: { index in if index == 1 { try? await Task.sleep(for: .milliseconds(700)) } })
        }
        try await kind.run(against: upstream) { transport, base in
            let body = try await transport.open(Self.firstChunkLimited(base + "/stream")).collectBody()
            #expect(String(decoding: body, as: UTF8.self) == chunks.joined())
        }
    }

    @Test(arguments: TransportUnderTest.allCases)
    func aReaderThatFallsBehindPausesTheTransferAndGetsEveryByte(_ kind: TransportUnderTest) async throws {
        // 8 MiB, far more than the socket buffers hold, in a pattern that shows a lost or repeated chunk.
        let size = 8 << 20
        let body = Self.alphabetPattern
        let upstream = StubUpstream { _, _ in .json(status: 200, body: body) }
        try await kind.run(against: upstream) { transport, base in
            let response = try await transport.open(Self.post(base + "/big"))
            #expect(response.status == 200)
            // The reader does nothing for a while: without the pause libcurl would read the whole body into memory.
            try await Task.sleep(for: .milliseconds(500))
            let waited = response.body.peakWaitingBytes
            // Past the pause, what one socket read already had in hand (libcurl: 64 KiB; NIO: up to four reads).
            #expect(waited <= StreamedDelivery.pauseAbove + (256 << 10), "\(waited) bytes waited for the reader")
            let received = try await response.collectBody()
            #expect(received.count == size)
            #expect(received == Array(body.utf8))
        }
    }

    @Test(arguments: TransportUnderTest.allCases)
    func aBodyOverTheLimitFailsTheReadNamingTheLimit(_ kind: TransportUnderTest) async throws {
        let chunk = String(repeating: "x", count: 4096)
        let upstream = StubUpstream { _, _ in .stream(chunks: Array(repeating: chunk, count: 8), between: { _ in }) }
        try await kind.run(against: upstream) { transport, base in
            let response = try await transport.open(Self.post(base + "/stream", maxResponseBytes: 10_000))
            await #expect(throws: HTTPTransportError.responseTooLarge(endpoint: base + "/stream", limit: 10_000)) {
                _ = try await response.collectBody()
            }
        }
    }

    /// A dropped stream's transfer stops and its connection closes: left running, it would hold a
    /// connection slot and the upstream's work until its 30 s timeout.
    @Test(arguments: TransportUnderTest.allCases)
    func droppingAStreamClosesItsConnection(_ kind: TransportUnderTest) async throws {
        let stalling = StallingUpstream(script: StallingUpstream.streamHead(thenEvent: "data: {}\n\n"))
        try await kind.run(against: stalling) { transport, stalled in
            var response: HTTPStreamingResponse? = try await transport.open(Self.post(stalled + "/stall"))
            #expect(try await response?.body.next() == Array("data: {}\n\n".utf8))
            #expect(stalling.openConnections == 1)
            response = nil
            let started = ContinuousClock.now
            while stalling.openConnections > 0, ContinuousClock.now - started < .seconds(5) {
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(stalling.openConnections == 0, "the dropped stream's connection is still open after 5 s")
        }
    }

    @Test(arguments: TransportUnderTest.allCases)
    func aReadWaitingForAStalledUpstreamEndsWhenItsTaskIsCancelled(_ kind: TransportUnderTest) async throws {
        try await Self.withStalledStream(kind) { transport, url in
            let response = try await transport.open(Self.post(url))
            let reader = Task { try await response.body.next() }
            try await Task.sleep(for: .milliseconds(100))
            reader.cancel()
            await #expect(throws: CancellationError.self) { _ = try await reader.value }
        }
    }

    /// What a stopping gateway's drain does to the streams still open when its deadline passes.
    @Test(arguments: TransportUnderTest.allCases)
    func cancellingTheStreamEndsAWaitingReadAtOnce(_ kind: TransportUnderTest) async throws {
        try await Self.withStalledStream(kind) { transport, url in
            let response = try await transport.open(Self.post(url))
            let reader = Task { try await response.body.next() }
            try await Task.sleep(for: .milliseconds(100))
            let started = ContinuousClock.now
            response.body.cancel()
            await #expect {
                _ = try await reader.value
            } throws: { error in
                if case .cancelled = error as? HTTPTransportError { return true }
                return false
            }
            #expect(ContinuousClock.now - started < .seconds(5))
        }
    }

    @Test(arguments: TransportUnderTest.allCases)
    func aFailureBeforeTheHeadIsThrownByOpen(_ kind: TransportUnderTest) async throws {
        let transport = kind.make()
        defer { Task { await transport.shutdown() } }
        // Port 9 (discard) is closed on loopback here, so the connection is refused at once.
        await #expect {
            _ = try await transport.open(Self.post("http://127.0.0.1:9/none"))
        } throws: { error in
            if case .connectionFailed = error as? HTTPTransportError { return true }
            return false
        }
    }
}
