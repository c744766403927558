import Foundation
import NIOCore
import QLPCore
import QLPTestSupport
import Testing

@testable import QLPGateway

/// The byte-level pieces of the hot path: the model rewrite, the usage scan,
/// request validation and the client-key check.
@Suite struct WireFormatTests {
    @Test func onlyTheTopLevelModelIsRewritten() throws {
        let body = #"{"messages":[{"role":"user","content":"say \"model\": x","model":"inner"}],"model" : "chat","n":1}"#
        let rewritten = try #require(JSONBytes.replacingTopLevelModel(in: Array(body.utf8), with: "llama3:8b"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(rewritten)) as? [String: Any])
        #expect(object["model"] as? String == "llama3:8b")
        let message = try #require((object["messages"] as? [[String: Any]])?.first)
        #expect(message["model"] as? String == "inner")
        #expect(message["content"] as? String == #"say "model": x"#)
        #expect(
            String(decoding: rewritten, as: UTF8.self)
                == #"{"messages":[{"role":"user","content":"say \"model\": x","model":"inner"}],"model" : "llama3:8b","n":1}"#)
    }

    @Test func aModelWrittenWithEscapesFallsBackToReencoding() throws {
        let body = #"{"mod\u0065l":"chat","input":"x"}"#
        #expect(JSONBytes.replacingTopLevelModel(in: Array(body.utf8), with: "m") == nil)
        let rewritten = UpstreamCall.rewritingModel(Array(body.utf8), to: "mistral:7b")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(rewritten)) as? [String: Any])
        #expect(object["model"] as? String == "mistral:7b")
    }

    @Test func usageIsReadFromTheLastUsageObject() throws {
        let stream = """
            data: {"choices":[{"delta":{"content":"\\"usage\\": {\\"prompt_tokens\\": 99}"}}],"usage":null}

            data: {"choices":[],"usage":{"prompt_tokens":12,"completion_tokens":5,"total_tokens":17}}

            data: [DONE]

            """
        #expect(try TokenUsage.find(in: Array(stream.utf8)) == TokenCounts(input: 12, output: 5))
        #expect(
            try TokenUsage.find(in: Array(#"{"data":[],"usage":{"prompt_tokens":4,"total_tokens":4}}"#.utf8))
                == TokenCounts(input: 4, output: 0))
        #expect(try TokenUsage.find(in: Array(#"{"choices":[]}"#.utf8)) == nil)
    }

    @Test func validationNamesTheMissingOrWrongField() {
        func problem(_ operation: ClientRequest.Operation, _ body: String) -> OpenAIErrorBody? {
            do {
                _ = try ClientRequest(operation: operation, body: Array(body.utf8))
                return nil
            } catch {
                return error
            }
        }
        #expect(problem(.chatCompletions, "[1,2]")?.code == "invalid_json")
        #expect(problem(.chatCompletions, "{\"model\":3,\"messages\":[]}")?.param == "model")
        #expect(problem(.chatCompletions, "{\"model\":\"m\",\"messages\":[]}")?.param == "messages")
        #expect(problem(.chatCompletions, "{\"model\":\"m\",\"messages\":[{\"content\":\"x\"}]}")?.param == "messages[0]")
        #expect(problem(.embeddings, "{\"model\":\"m\",\"input\":4}")?.param == "input")
        #expect(problem(.chatCompletions, "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"stream\":true}") == nil)
        // Read in one pass without Foundation: a trailing comma (which Foundation on Linux took, and upstreams refuse),
        // a number or string for a boolean, and a fraction for a count are each named.
        let chat = #"{"model":"m","messages":[{"role":"user","content":"x"}]"#
        #expect(problem(.chatCompletions, chat + #","stream":false,}"#)?.code == "invalid_json")
        #expect(problem(.chatCompletions, chat + #","stream":1}"#)?.param == "stream")
        #expect(problem(.chatCompletions, chat + #","stream":"true"}"#)?.param == "stream")
        #expect(problem(.chatCompletions, chat + #","max_tokens":2.5}"#)?.code == "invalid_value")
        #expect(problem(.chatCompletions, chat + #","max_tokens":4097}"#)?.message.contains("'max_tokens' is 4097, above") == true)
        #expect(problem(.chatCompletions, chat + #","max_tokens":1e1}"#) == nil)
        let error = OpenAIErrorBody.invalidRequest("bad \"thing\"", param: "model", code: "x")
        #expect(error.json == #"{"error":{"message":"bad \"thing\"","type":"invalid_request_error","param":"model","code":"x"}}"#)
    }

    @Test func theOverheadHeaderWritesMillisecondsAsPercentPoint3fDoes() {
        var random = SeededGenerator(seed: 7)
        for _ in 0..<2000 {
            let seconds = Double(random.next() % 5_000_000_000) / 1e12  // 0 to 5 ms, to the picosecond
            #expect(RequestForwarder.millisecondsText(seconds: seconds) == String(format: "%.3f", seconds * 1000))
        }
        #expect(RequestForwarder.millisecondsText(seconds: 0) == "0.000")
        #expect(RequestForwarder.millisecondsText(seconds: 1.5) == "1500.000")
        #expect(RequestForwarder.millisecondsText(seconds: 0.000_012_3) == "0.012")
    }

    @Test func theStreamsEndIsFoundInTheLastBytesOfAChunk() {
        #expect(StreamTail.endsWithDone(ByteBuffer(string: "data: {\"x\":1}\n\ndata: [DONE]\n\n")))
        #expect(StreamTail.endsWithDone(ByteBuffer(string: "data: [DONE]\r\n\r\n")))
        #expect(StreamTail.endsWithDone(ByteBuffer(string: "data: [DONE]")))
        #expect(!StreamTail.endsWithDone(ByteBuffer(string: "data: {\"content\":\"data: [DONE]\"}\n\n")))
        #expect(!StreamTail.endsWithDone(ByteBuffer(string: "[DONE]")))
        #expect(!StreamTail.endsWithDone(ByteBuffer()))
    }

    @Test func clientKeysMatchOnlyTheirOwnHash() throws {
        let utc = TimeZone(identifier: "UTC")!
        let keys = try KeyGate(
            configDigests: [ClientKeys.hexDigest(of: "alpha"), ClientKeys.hexDigest(of: "beta").uppercased()],
            timeZone: utc)
        let now = Date()
        #expect(ClientKeys.hexDigest(of: "abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(keys.identify(authorization: "Bearer alpha", now: now)?.name == "config-1")
        #expect(keys.identify(authorization: "bearer beta", now: now)?.name == "config-2")
        #expect(keys.identify(authorization: "Bearer gamma", now: now) == nil)
        #expect(keys.identify(authorization: "alpha", now: now) == nil)
        #expect(keys.identify(authorization: nil, now: now) == nil)
        #expect(try KeyGate(configDigests: [], timeZone: utc).identify(authorization: nil, now: now)?.name == UsageRecord.anonymous)
        #expect(throws: ClientKeys.ParseError.notSHA256Hex(index: 0)) { try KeyGate(configDigests: ["not-hex"], timeZone: utc) }
        // The config key's own name (it said client_key_hashes, a key no config has).
        #expect(ClientKeys.ParseError.notSHA256Hex(index: 2).description.hasPrefix("gateway.client_key_sha256[2] "))
    }
}
