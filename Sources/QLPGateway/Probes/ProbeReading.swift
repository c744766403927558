import Foundation

/// What a probe's response body says: whether it is complete, and the tokens
/// used (reported, or counted from the stream when the upstream sent no usage).
struct ProbeReading: Sendable, Equatable {
    var complete: Bool
    /// Why the body is not what the API sends, when it is not.
    var problem: String?
    var promptTokens: Int?
    var completionTokens: Int?
    /// Content chunks seen in a stream: the completion tokens when no usage came.
    var contentChunks: Int

    /// A server-sent event stream of chat completion chunks, ending `data: [DONE]`.
    static func stream(_ body: [UInt8]) -> ProbeReading {
        let text = String(decoding: body, as: UTF8.self).replacingOccurrences(of: "\r\n", with: "\n")
        var reading = ProbeReading(complete: false, contentChunks: 0)
        for event in text.components(separatedBy: "\n\n") where !event.isEmpty {
            for line in event.split(separator: "\n") where line.hasPrefix("data:") {
                let payload = line.dropFirst("data:".count).trimmingCharacters(in: .whitespaces)
                if payload == "[DONE]" {
                    reading.complete = true
                    continue
                }
                guard let chunk = try? JSONSerialization.jsonObject(with: Data(payload.utf8)) as? [String: Any] else {
                    reading.problem = "a stream event is not JSON"
                    continue
                }
                if let error = chunk["error"] {
                    reading.problem = "the stream carried an error: \(error)"
                }
                let choices = chunk["choices"] as? [[String: Any]] ?? []
                if let content = (choices.first?["delta"] as? [String: Any])?["content"] as? String, !content.isEmpty {
                    reading.contentChunks += 1
                }
                if let usage = chunk["usage"] as? [String: Any] {
                    do {
                        reading.promptTokens = try TokenUsage.count(usage["prompt_tokens"], field: "usage.prompt_tokens")
                        reading.completionTokens = try TokenUsage.count(
                            usage["completion_tokens"],
                            field: "usage.completion_tokens")
                    } catch {
                        reading.problem = "\(error)"
                    }
                }
            }
        }
        // A stream cut off says so first: its last event is cut too, but that is the symptom.
        if !reading.complete { reading.problem = "the stream ended without [DONE]" }
        return reading
    }

    /// An embeddings list: {"data": [{"embedding": [...]}], "usage": {...}}.
    static func embeddings(_ body: [UInt8]) -> ProbeReading {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] else {
            return ProbeReading(complete: false, problem: "the body is not JSON", contentChunks: 0)
        }
        guard let data = object["data"] as? [[String: Any]], let first = data.first, first["embedding"] is [Any] else {
            return ProbeReading(complete: false, problem: "the body has no embedding", contentChunks: 0)
        }
        let usage = object["usage"] as? [String: Any]
        do {
            let prompt = try TokenUsage.count(usage?["prompt_tokens"], field: "usage.prompt_tokens")
            return ProbeReading(complete: true, promptTokens: prompt, completionTokens: 0, contentChunks: 0)
        } catch {
            return ProbeReading(complete: false, problem: "\(error)", contentChunks: 0)
        }
    }
}
