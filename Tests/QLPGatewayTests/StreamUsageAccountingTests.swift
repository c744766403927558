import Foundation
import NIOCore
import QLPRouting
import Testing

@testable import QLPGateway

/// Issue 13, item 1: a streamed answer's tokens are counted whether or not
/// the client asked for usage. The gateway asks the upstream for it and keeps
/// the usage-only event back from a client that did not ask.
@Suite struct StreamUsageAccountingTests {
    static func request(_ json: String) throws -> ClientRequest {
        try ClientRequest(operation: .chatCompletions, body: Array(json.utf8))
    }

    static func object(_ request: ClientRequest) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any])
    }

    @Test func aStreamThatDoesNotAskForUsageIsAskedForItOnTheClientsBehalf() throws {
        let asked = try Self.request(#"{"model":"chat","stream":true,"max_tokens":5,"messages":[{"role":"user","content":"hi"}]}"#)
        #expect(asked.usageRequestedForAccounting)
        #expect((try Self.object(asked)["stream_options"] as? [String: Any])?["include_usage"] as? Bool == true)
        // Byte for byte otherwise: the member is added before the closing brace.
        #expect(
            String(decoding: asked.body, as: UTF8.self)
                == #"{"model":"chat","stream":true,"max_tokens":5,"messages":[{"role":"user","content":"hi"}],"stream_options":{"include_usage":true}}"#
        )
    }

    @Test func aClientThatAsksGetsItsBodyUnchangedAndSeesTheUsage() throws {
        let json =
            #"{"model":"chat","stream":true,"max_tokens":5,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"hi"}]}"#
        let asked = try Self.request(json)
        #expect(!asked.usageRequestedForAccounting)
        #expect(asked.body == Array(json.utf8))
    }

    @Test func otherStreamOptionsAreKeptWhenUsageIsAdded() throws {
        let asked = try Self.request(
            #"{"model":"chat","stream":true,"max_tokens":5,"stream_options":{"include_usage":false,"x":1},"messages":[{"role":"user","content":"hi"}]}"#
        )
        #expect(asked.usageRequestedForAccounting)
        let options = try #require(try Self.object(asked)["stream_options"] as? [String: Any])
        #expect(options["include_usage"] as? Bool == true)
        #expect(options["x"] as? Int == 1)
    }

    @Test func aNonStreamingRequestIsLeftAlone() throws {
        let json = #"{"model":"chat","max_tokens":5,"messages":[{"role":"user","content":"hi"}]}"#
        let plain = try Self.request(json)
        #expect(!plain.usageRequestedForAccounting)
        #expect(plain.body == Array(json.utf8))
    }

    // MARK: the filter

    /// Azure's shape with include_usage: a prompt-filter event (empty choices, no usage), content events with
    /// `"usage":null`, the usage-only event, then [DONE].
    static let azureStream = [
        #"data: {"choices":[],"created":0,"id":"","model":"","object":"","prompt_filter_results":[]}"#,
        #"data: {"choices":[{"delta":{"content":"Hel"},"index":0}],"id":"c1","model":"gpt-4","usage":null}"#,
        #"data: {"choices":[{"delta":{"content":"lo"},"index":0,"finish_reason":"stop"}],"id":"c1","model":"gpt-4","usage":null}"#,
        #"data: {"choices": [ ],"id":"c1","model":"gpt-4","usage": {"prompt_tokens":9,"completion_tokens":2,"total_tokens":11}}"#,
        "data: [DONE]",
    ].map { $0 + "\n\n" }.joined()

    static func run(_ chunks: [String]) -> String {
        var filter = UsageChunkFilter()
        var shown = ""
        for chunk in chunks {
            if let out = filter.pass(ByteBuffer(string: chunk)) { shown += String(buffer: out) }
        }
        if let rest = filter.finish() { shown += String(buffer: rest) }
        return shown
    }

    @Test func theUsageOnlyEventIsDroppedAndEverythingElsePassesIntact() {
        let shown = Self.run([Self.azureStream])
        #expect(!shown.contains("prompt_tokens"))
        #expect(shown.contains(#""content":"Hel""#) && shown.contains(#""content":"lo""#))
        #expect(shown.contains("prompt_filter_results"))
        #expect(shown.hasSuffix("data: [DONE]\n\n"))
        #expect(
            shown
                == Self.azureStream.replacingOccurrences(
                    of:
                        #"data: {"choices": [ ],"id":"c1","model":"gpt-4","usage": {"prompt_tokens":9,"completion_tokens":2,"total_tokens":11}}"#
                        + "\n\n",
                    with: ""))
    }

    @Test func eventsCutAnywhereAcrossChunksComeOutTheSame() {
        let whole = Self.run([Self.azureStream])
        let bytes = Array(Self.azureStream.utf8)
        for size in [1, 2, 7, 33, 100] {
            let pieces = stride(from: 0, to: bytes.count, by: size).map {
                String(decoding: bytes[$0..<min($0 + size, bytes.count)], as: UTF8.self)
            }
            #expect(Self.run(pieces) == whole, "chunks of \(size)")
        }
    }

    @Test func aCompleteEventPassesAtOnceAndOnlyAnUnfinishedOneWaits() {
        var filter = UsageChunkFilter()
        let first = filter.pass(ByteBuffer(string: "data: {\"choices\":[{\"delta\":{\"content\":\"a\"}}]}\n\ndata: {\"cho"))
        #expect(first.map { String(buffer: $0) } == "data: {\"choices\":[{\"delta\":{\"content\":\"a\"}}]}\n\n")
        let second = filter.pass(ByteBuffer(string: "ices\":[{\"delta\":{\"content\":\"b\"}}]}\r\n\r\n"))
        #expect(second.map { String(buffer: $0) } == "data: {\"choices\":[{\"delta\":{\"content\":\"b\"}}]}\r\n\r\n")
    }
}

/// An answer that says nothing of its tokens is counted as unknown, not as 0 tokens.
@Suite struct UnknownUsageTests {
    @Test func anAnswerWithoutUsageIsCountedAsUnknown() async throws {
        let upstream = StubUpstream { _, _ in
            .json(
                status: 200,
                body:
                    #"{"id":"c1","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"hi"},"finish_reason":"stop"}]}"#
            )
        }
        let harness = try await GatewayHarness.start(
            targets: [ollamaTarget("llama3", try await upstream.start())],
            routes: [Route(name: "chat", policy: .weighted, shares: [.init(target: "llama3", weight: 100)], fallback: [])])
        defer {
            Task {
                await harness.stop()
                await upstream.stop()
            }
        }
        #expect(try await harness.post("/v1/chat/completions", GatewayHarness.chatBody()).status == 200)
        #expect(try await harness.post("/v1/chat/completions", GatewayHarness.chatBody()).status == 200)
        let metrics = try await harness.get("/metrics").bodyText
        #expect(metrics.contains("qlp_gateway_usage_unknown_total{target=\"llama3\"} 2"), "\(metrics)")
        #expect(metrics.contains("qlp_gateway_tokens_total{target=\"llama3\",direction=\"input\"} 0"), "\(metrics)")
    }
}
