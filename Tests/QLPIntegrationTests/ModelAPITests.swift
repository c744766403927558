import Foundation
import QLPAzure
import QLPCore
import QLPEmulator
import QLPHTTP
import Testing

/// The emulated model APIs (Azure OpenAI chat and embeddings, Ollama's /api
/// and /v1) through the real libcurl client: shapes as the published
/// examples, the refusals Azure and Ollama give, streams that arrive as
/// events and end as the real ones do, usage, faults and per-model counts.
@Suite struct ModelAPITests {
    static let key = EmulatorConfiguration.demoOpenAIKey
    static let apiVersion = "2024-10-21"

    struct Running {
        let emulator: AzureEmulator
        let base: String
        let transport: CurlTransport

        func post(_ path: String, _ body: String, headers: HTTPHeaders = ["Content-Type": "application/json"]) async throws -> HTTPResponse
        {
            try await transport.send(
                HTTPRequest(method: .post, url: base + path, headers: headers, body: Array(body.utf8), timeout: .seconds(30)))
        }

        func get(_ path: String) async throws -> HTTPResponse {
            try await transport.send(HTTPRequest(method: .get, url: base + path, timeout: .seconds(30)))
        }

        func azure(
            _ deployment: String, _ body: String, operation: String = "chat/completions",
            key: String? = ModelAPITests.key, apiVersion: String? = ModelAPITests.apiVersion
        ) async throws -> HTTPResponse {
            var headers: HTTPHeaders = ["Content-Type": "application/json"]
            if let key { headers.add(name: "api-key", value: key) }
            let query = apiVersion.map { "?api-version=\($0)" } ?? ""
            return try await post("/openai/deployments/\(deployment)/\(operation)\(query)", body, headers: headers)
        }
    }

    /// An emulator with model latency off (or scaled), always stopped.
    func withModels(latency: ModelLatency = .off, _ body: (Running) async throws -> Void) async throws {
        var configuration = EmulatorConfiguration(
            world: CostWorld(seed: 42, firstDay: EmulatorHarness.firstDay),
            clock: { EmulatorHarness.clock })
        configuration.modelLatency = latency
        let emulator = AzureEmulator(configuration: configuration)
        let base = try await emulator.start()
        let running = Running(emulator: emulator, base: base, transport: CurlTransport())
        do {
            try await body(running)
        } catch {
            running.transport.shutdown()
            await emulator.stop()
            throw error
        }
        running.transport.shutdown()
        await emulator.stop()
    }

    func object(_ response: HTTPResponse) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any], "\(response.bodyText)")
    }

    func object(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    /// Every key of the example (nested objects and the first array element
    /// too) is in the answer with a value of the same JSON type. Keys the
    /// example has as null, or lists in `optional`, may be missing.
    func expectShape(_ answer: Any, like example: Any, optional: Set<String> = [], path: String = "$") {
        switch (example, answer) {
        case (let e as [String: Any], let a as [String: Any]):
            for (key, value) in e where !(value is NSNull) && !optional.contains(key) {
                guard let mine = a[key] else {
                    Issue.record("\(path).\(key) is missing")
                    continue
                }
                expectShape(mine, like: value, optional: optional, path: "\(path).\(key)")
            }
        case (let e as [Any], let a as [Any]):
            if let first = e.first, let mine = a.first { expectShape(mine, like: first, optional: optional, path: path + "[0]") }
        case (is String, is String), (is NSNumber, is NSNumber), (is NSNull, is NSNull): break
        default: Issue.record("\(path): expected \(type(of: example)), found \(type(of: answer))")
        }
    }

    /// The `data:` payloads of a server-sent event stream, in order.
    func events(_ response: HTTPResponse) -> [String] {
        response.bodyText.components(separatedBy: "\n\n").filter { !$0.isEmpty }.map {
            $0.hasPrefix("data: ") ? String($0.dropFirst("data: ".count)) : "NOT AN EVENT: " + $0
        }
    }

    static let chatBody =
        #"{"messages":[{"role":"system","content":"you are a helpful assistant that talks like a pirate"},"#
        + #"{"role":"user","content":"can you tell me how to care for a parrot?"}]}"#

    // MARK: Azure OpenAI

    @Test func azureChatHasTheExampleShapeAndDecodes() async throws {
        try await withModels { m in
            let response = try await m.azure("gpt4-deployment", Self.chatBody)
            #expect(response.status == 200)
            #expect(response.headers["apim-request-id"] != nil)
            expectShape(try object(response), like: try object(ModelAPIFixtures.azureChatCompletion))
            let completion = try AzureWireDecoding.chatCompletion(response.body)
            #expect(completion.object == "chat.completion")
            #expect(completion.model == "gpt-4")
            #expect(completion.choices.first?.finishReason == "stop")
            let usage = try #require(completion.usage)
            // Two messages, 51 + 41 characters: about a token per four characters, plus each message's overhead.
            #expect(usage.promptTokens == 3 + (4 + 13) + (4 + 11))
            #expect((usage.completionTokens ?? 0) > 0)
            #expect(usage.totalTokens == (usage.promptTokens ?? 0) + (usage.completionTokens ?? 0))
            // The same request gets the same answer and counts.
            let again = try AzureWireDecoding.chatCompletion(try await m.azure("gpt4-deployment", Self.chatBody).body)
            #expect(again.usage == usage)
            #expect(again.text == completion.text)
        }
    }

    @Test func maxTokensCapsTheCompletionAndSaysLength() async throws {
        try await withModels { m in
            let body = #"{"max_tokens":5,"messages":[{"role":"user","content":"Tell me a long story"}]}"#
            let completion = try AzureWireDecoding.chatCompletion(try await m.azure("gpt35-deployment", body).body)
            #expect(completion.usage?.completionTokens == 5)
            #expect(completion.choices.first?.finishReason == "length")
            #expect(completion.model == "gpt-35-turbo")
            #expect(completion.text?.split(separator: " ").count == 5)
        }
    }

    @Test func azureRefusesAsAzureDoes() async throws {
        try await withModels { m in
            for key in ["not-the-key", nil] {
                let denied = try await m.azure("gpt4-deployment", Self.chatBody, key: key)
                #expect(denied.status == 401)
                let error = try #require(try object(denied)["error"] as? [String: Any])
                #expect(error["code"] as? String == "401")
                #expect((error["message"] as? String)?.contains("invalid subscription key") == true)
                #expect(!denied.bodyText.contains(Self.key))
            }
            let noVersion = try await m.azure("gpt4-deployment", Self.chatBody, apiVersion: nil)
            #expect(noVersion.status == 404)
            #expect(noVersion.bodyText == #"{"error":{"code":"404","message":"Resource not found"}}"#)
            let unknown = try await m.azure("gpt5-deployment", Self.chatBody)
            #expect(unknown.status == 404)
            #expect((try object(unknown)["error"] as? [String: Any])?["code"] as? String == "DeploymentNotFound")
            let wrongKind = try await m.azure("gpt4-deployment", #"{"input":"hello"}"#, operation: "embeddings")
            #expect(wrongKind.status == 400)
            #expect((try object(wrongKind)["error"] as? [String: Any])?["code"] as? String == "OperationNotSupported")
            for (body, param) in [
                ("{not json", nil), (#"{"messages":[]}"#, "messages"),
                (#"{"messages":[{"role":"user","content":"x"}],"max_tokens":0}"#, "max_tokens"),
            ] {
                let bad = try await m.azure("gpt4-deployment", body)
                #expect(bad.status == 400)
                let error = try #require(try object(bad)["error"] as? [String: Any])
                #expect(error["type"] as? String == "invalid_request_error")
                #expect(error["param"] as? String == param)
            }
        }
    }

    @Test func azureStreamArrivesAsEventsEndingWithDoneAndUsage() async throws {
        try await withModels { m in
            let body =
                #"{"stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"can you tell me how to care for a parrot?"}]}"#
            let response = try await m.azure("gpt4-deployment", body)
            #expect(response.status == 200)
            #expect(response.headers["Content-Type"]?.hasPrefix("text/event-stream") == true)
            let events = events(response)
            #expect(events.count > 5)
            #expect(events.last == "[DONE]")
            let chunks = try events.dropLast().map { try object($0) }
            // Azure's first event carries the prompt's filter results and no choices.
            #expect((chunks.first?["choices"] as? [Any])?.isEmpty == true)
            #expect(chunks.first?["prompt_filter_results"] != nil)
            let deltas = chunks.compactMap { (($0["choices"] as? [[String: Any]])?.first?["delta"] as? [String: Any]) }
            let text = deltas.compactMap { $0["content"] as? String }.joined()
            #expect(deltas.first?["role"] as? String == "assistant")
            let finish = chunks.compactMap { ($0["choices"] as? [[String: Any]])?.first?["finish_reason"] as? String }
            #expect(finish == ["stop"])
            let usage = try #require(chunks.last?["usage"] as? [String: Any])
            #expect(usage["completion_tokens"] as? Int == deltas.filter { ($0["content"] as? String)?.isEmpty == false }.count)
            // The stream says what the whole answer says.
            let whole = try AzureWireDecoding.chatCompletion(
                try await m.azure(
                    "gpt4-deployment", #"{"messages":[{"role":"user","content":"can you tell me how to care for a parrot?"}]}"#
                ).body)
            #expect(text == whole.text)
            #expect(usage["prompt_tokens"] as? Int == whole.usage?.promptTokens)
        }
    }

    @Test func azureEmbeddingsHaveAdaDimensionsAndUsage() async throws {
        try await withModels { m in
            let response = try await m.azure(
                "embeddings-deployment", #"{"input":["this is a test","and another"]}"#, operation: "embeddings")
            #expect(response.status == 200)
            let answer = try object(response)
            let data = try #require(answer["data"] as? [[String: Any]])
            #expect(data.count == 2)
            #expect((data[0]["embedding"] as? [Double])?.count == 1536)
            #expect(data[1]["index"] as? Int == 1)
            #expect(answer["model"] as? String == "text-embedding-ada-002")
            let usage = try #require(answer["usage"] as? [String: Any])
            #expect(usage["prompt_tokens"] as? Int == 4 + 3)
            let vector = try #require(data[0]["embedding"] as? [Double])
            #expect(abs(vector.reduce(0) { $0 + $1 * $1 } - 1) < 1e-3)
        }
    }

    // MARK: Ollama

    @Test func ollamaChatStreamsNDJSONByDefaultAndHonoursStreamFalse() async throws {
        try await withModels(latency: .scaled(0.01)) { m in
            let streamed = try await m.post(
                "/api/chat", #"{"model":"llama3:8b","messages":[{"role":"user","content":"why is the sky blue?"}]}"#)
            #expect(streamed.status == 200)
            #expect(streamed.headers["Content-Type"] == "application/x-ndjson")
            let lines = try streamed.bodyText.split(separator: "\n").map { try object(String($0)) }
            #expect(lines.count > 2)
            for line in lines.dropLast() {
                #expect(line["done"] as? Bool == false)
                expectShape(line, like: try object(ModelAPIFixtures.apiChatResponseStreamChunk))
            }
            let last = try #require(lines.last)
            #expect(last["done"] as? Bool == true)
            expectShape(last, like: try object(ModelAPIFixtures.apiChatResponseStreamFinal))
            #expect(last["eval_count"] as? Int == lines.count - 1)
            let total = try #require(last["total_duration"] as? Int)
            let parts = ["load_duration", "prompt_eval_duration", "eval_duration"].compactMap { last[$0] as? Int }
            #expect(parts.count == 3 && parts.allSatisfy { $0 > 0 } && parts.reduce(0, +) == total)

            let whole = try await m.post(
                "/api/chat", #"{"model":"llama3:8b","stream":false,"messages":[{"role":"user","content":"why is the sky blue?"}]}"#)
            let answer = try object(whole)
            expectShape(answer, like: try object(ModelAPIFixtures.apiChatResponseNonstream))
            #expect(
                (answer["message"] as? [String: Any])?["content"] as? String
                    == lines.compactMap { ($0["message"] as? [String: Any])?["content"] as? String }.joined())
        }
    }

    @Test func ollamaGenerateEmbedAndTheListings() async throws {
        try await withModels { m in
            let generated = try object(
                try await m.post(
                    "/api/generate", #"{"model":"mistral:7b","prompt":"Why is the sky blue?","stream":false,"options":{"num_predict":3}}"#))
            expectShape(generated, like: try object(ModelAPIFixtures.apiGenerateResponseNonstream), optional: ["context"])
            #expect(generated["eval_count"] as? Int == 3)
            #expect(generated["done_reason"] as? String == "length")
            let embedded = try object(try await m.post("/api/embed", #"{"model":"llama3:8b","input":"Why is the sky blue?"}"#))
            expectShape(embedded, like: try object(ModelAPIFixtures.apiEmbedResponse))
            #expect(((embedded["embeddings"] as? [[Double]])?.first?.count ?? 0) == 4096)

            let tags = try object(try await m.get("/api/tags"))
            expectShape(tags, like: try object(ModelAPIFixtures.apiTagsResponse))
            #expect(
                ((tags["models"] as? [[String: Any]]) ?? []).compactMap { $0["name"] as? String }
                    == ["llama3:8b", "codellama:13b", "mistral:7b"])
            // llama3 is loaded from the start; mistral since the request above; codellama never asked for.
            let ps = try object(try await m.get("/api/ps"))
            expectShape(ps, like: try object(ModelAPIFixtures.apiPsResponse))
            #expect(((ps["models"] as? [[String: Any]]) ?? []).compactMap { $0["name"] as? String } == ["llama3:8b", "mistral:7b"])
            expectShape(try object(try await m.get("/api/version")), like: try object(ModelAPIFixtures.apiVersionResponse))
            let models = try object(try await m.get("/v1/models"))
            expectShape(models, like: try object(ModelAPIFixtures.v1ModelsResponse))
            #expect((models["data"] as? [Any])?.count == 3)
        }
    }

    @Test func ollamaOpenAIAPIAnswersAsOpenAIDoes() async throws {
        try await withModels { m in
            let whole = try await m.post(
                "/v1/chat/completions", #"{"model":"codellama:13b","messages":[{"role":"user","content":"Say this is a test"}]}"#)
            let completion = try AzureWireDecoding.chatCompletion(whole.body)
            #expect(completion.systemFingerprint == "fp_ollama")
            #expect(completion.model == "codellama:13b")
            #expect(completion.id.hasPrefix("chatcmpl-"))
            #expect((completion.usage?.completionTokens ?? 0) > 0)

            let streamed = try await m.post(
                "/v1/chat/completions",
                #"{"model":"codellama:13b","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"Say this is a test"}]}"#
            )
            #expect(streamed.headers["Content-Type"] == "text/event-stream")
            let events = events(streamed)
            #expect(events.count > 3)
            #expect(events.last == "[DONE]")
            let usage = try #require(try object(events[events.count - 2])["usage"] as? [String: Any])
            #expect(usage["completion_tokens"] as? Int == completion.usage?.completionTokens)

            let embeddings = try object(try await m.post("/v1/embeddings", #"{"model":"mistral:7b","input":["a","b"]}"#))
            #expect((embeddings["data"] as? [Any])?.count == 2)
            #expect(embeddings["object"] as? String == "list")
        }
    }

    @Test func ollamaUnknownModelIsA404InEachAPIsShape() async throws {
        try await withModels { m in
            let native = try await m.post("/api/chat", #"{"model":"llama3","messages":[{"role":"user","content":"hi"}]}"#)
            #expect(native.status == 404)
            expectShape(try object(native), like: try object(ModelAPIFixtures.apiErrorResponse))
            #expect(native.bodyText.contains(#"model \"llama3\" not found"#))
            let openAI = try await m.post("/v1/chat/completions", #"{"model":"gpt-4","messages":[{"role":"user","content":"hi"}]}"#)
            #expect(openAI.status == 404)
            expectShape(try object(openAI), like: try object(ModelAPIFixtures.v1ErrorResponse))
            #expect((try object(openAI)["error"] as? [String: Any])?["type"] as? String == "not_found_error")
            let missing = try await m.post("/api/generate", #"{"prompt":"hi"}"#)
            #expect(missing.status == 400)
            #expect(missing.bodyText == #"{"error":"model is required"}"#)
        }
    }

    // MARK: Faults and counts

    @Test func faultsApplyToTheModelEndpointsInTheirOwnShapes() async throws {
        try await withModels { m in
            m.emulator.faults.set(EndpointFault(status: 429, retryAfterSeconds: 7, remaining: 1), for: .openAIChat)
            let throttled = try await m.azure("gpt35-deployment", Self.chatBody)
            #expect(throttled.status == 429)
            #expect(throttled.headers["Retry-After"] == "7")
            #expect(throttled.headers["retry-after-ms"] == "7000")
            #expect((try object(throttled)["error"] as? [String: Any])?["code"] as? String == "429")
            #expect(try await m.azure("gpt35-deployment", Self.chatBody).status == 200)

            // One deployment failing while the other answers.
            m.emulator.faults.set(EndpointFault(status: 503), forModel: "gpt4-deployment")
            let failing = try await m.azure("gpt4-deployment", Self.chatBody)
            #expect(failing.status == 503)
            #expect((try object(failing)["error"] as? [String: Any])?["type"] as? String == "server_error")
            #expect(try await m.azure("gpt35-deployment", Self.chatBody).status == 200)
            m.emulator.faults.clear(model: "gpt4-deployment")
            #expect(try await m.azure("gpt4-deployment", Self.chatBody).status == 200)

            m.emulator.faults.set(EndpointFault(status: 500), for: .ollama)
            let ollama = try await m.post("/api/chat", #"{"model":"llama3:8b","messages":[{"role":"user","content":"hi"}]}"#)
            #expect(ollama.status == 500)
            expectShape(try object(ollama), like: try object(ModelAPIFixtures.apiErrorResponse))
            let v1 = try await m.post("/v1/chat/completions", #"{"model":"llama3:8b","messages":[{"role":"user","content":"hi"}]}"#)
            #expect((try object(v1)["error"] as? [String: Any])?["message"] != nil)

            // A stream cut off: no [DONE], as a dropped connection leaves it.
            m.emulator.faults.set(EndpointFault(malformedBody: true), for: .openAIChat)
            let cut = try await m.azure("gpt4-deployment", #"{"stream":true,"messages":[{"role":"user","content":"hi"}]}"#)
            #expect(cut.status == 200)
            #expect(!cut.bodyText.isEmpty && !cut.bodyText.contains("[DONE]"))

            // Set over HTTP, per model.
            let set = try await m.transport.send(
                HTTPRequest(
                    method: .put, url: m.base + "/_emulator/faults/model/mistral:7b",
                    body: Array(#"{"status":502}"#.utf8)))
            #expect(set.status == 200)
            #expect(set.bodyText.contains("model:mistral:7b"))
            #expect(try await m.post("/api/generate", #"{"model":"mistral:7b","prompt":"hi","stream":false}"#).status == 502)
            #expect(try await m.post("/api/generate", #"{"model":"llama3:8b","prompt":"hi","stream":false}"#).status == 500)
        }
    }

    @Test func modelFaultSpecsParseAndBadOnesSayTheForm() throws {
        #expect(FaultSpec.isModelFault("model:llama3:8b=status:500"))
        #expect(!FaultSpec.isModelFault("openai.chat=status:500"))
        let (model, fault) = try FaultSpec.parseModel("model:llama3:8b=status:429,retry-after:3")
        #expect(model == "llama3:8b")
        #expect(fault == EndpointFault(status: 429, retryAfterSeconds: 3))
        #expect { _ = try FaultSpec.parseModel("model:=status:500") } throws: { "\($0)".contains("model:NAME=SPEC") }
        #expect { _ = try FaultSpec.parseModel("model:gpt4-deployment=boom") } throws: { "\($0)".contains("unknown 'boom'") }
        #expect(try FaultSpec.parse("openai.embeddings=status:503").0 == .openAIEmbeddings)
    }

    @Test func requestsPerDeploymentAndModelAreCounted() async throws {
        try await withModels { m in
            for _ in 0..<3 { _ = try await m.azure("gpt4-deployment", Self.chatBody) }
            _ = try await m.azure("gpt35-deployment", Self.chatBody)
            _ = try await m.azure("embeddings-deployment", #"{"input":"x"}"#, operation: "embeddings")
            _ = try await m.azure("nowhere", Self.chatBody)
            for _ in 0..<2 {
                _ = try await m.post("/v1/chat/completions", #"{"model":"llama3:8b","messages":[{"role":"user","content":"hi"}]}"#)
            }
            _ = try await m.get("/api/tags")
            let answer = try object(try await m.get("/_emulator/requests"))
            #expect(answer["openai.chat"] as? Int == 5)
            #expect(answer["openai.embeddings"] as? Int == 1)
            #expect(answer["ollama"] as? Int == 3)
            let models = try #require(answer["models"] as? [String: Int])
            #expect(models == ["gpt4-deployment": 3, "gpt35-deployment": 1, "embeddings-deployment": 1, "llama3:8b": 2])
            #expect(m.emulator.statistics.requests(toModel: "gpt4-deployment") == 3)
        }
    }
}
