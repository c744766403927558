import Foundation
import NIOCore
import QLPCore
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
        let error = OpenAIErrorBody.invalidRequest("bad \"thing\"", param: "model", code: "x")
        #expect(error.json == #"{"error":{"message":"bad \"thing\"","type":"invalid_request_error","param":"model","code":"x"}}"#)
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
