import Foundation

/// The parts of a chat, completion or embeddings request body the emulated
/// model servers act on, read from OpenAI's and Ollama's request shapes.
struct ModelRequestBody: Sendable {
    /// Why a body was refused, and which field (OpenAI's `param`).
    struct Refusal: Error, Sendable {
        var message: String
        var param: String?
    }

    var model: String?
    /// The text of every message (chat) or the prompt (generate).
    var texts: [String]
    /// nil when the body does not say.
    var stream: Bool?
    var includeUsage: Bool
    /// max_tokens, max_completion_tokens or Ollama's options.num_predict.
    var maxTokens: Int?
    /// Embeddings: each input's text and, for token-array inputs, its token count.
    var inputs: [(text: String, tokens: Int?)]

    private static func object(_ body: [UInt8]) throws(Refusal) -> [String: Any] {
        guard !body.isEmpty else { throw Refusal(message: "The request body is empty; a JSON object is required.") }
        let parsed: Any
        do {
            parsed = try JSONSerialization.jsonObject(with: Data(body))
        } catch {
            throw Refusal(message: "The request body is not valid JSON.")
        }
        guard let object = parsed as? [String: Any] else { throw Refusal(message: "The request body must be a JSON object.") }
        return object
    }

    /// A chat request: `messages` required, each with string or text-part content.
    static func chat(_ body: [UInt8]) throws(Refusal) -> ModelRequestBody {
        let o = try object(body)
        guard let messages = o["messages"] as? [Any], !messages.isEmpty else {
            throw Refusal(message: "'messages' is a required property and must be a non-empty array", param: "messages")
        }
        var texts: [String] = []
        for (i, m) in messages.enumerated() {
            guard let message = m as? [String: Any], message["role"] is String else {
                throw Refusal(message: "'messages[\(i)]' must be an object with a 'role'", param: "messages")
            }
            switch message["content"] {
            case let text as String: texts.append(text)
            case let parts as [Any]:
                texts.append(parts.compactMap { ($0 as? [String: Any])?["text"] as? String }.joined(separator: "\n"))
            default: texts.append("")
            }
        }
        return try common(o, texts: texts)
    }

    /// Ollama's /api/generate: `prompt` (may be empty: that only loads the model).
    static func generate(_ body: [UInt8]) throws(Refusal) -> ModelRequestBody {
        let o = try object(body)
        return try common(o, texts: [(o["prompt"] as? String) ?? ""])
    }

    /// An embeddings request: `input` a string, strings, tokens or token arrays.
    static func embeddings(_ body: [UInt8]) throws(Refusal) -> ModelRequestBody {
        let o = try object(body)
        var inputs: [(text: String, tokens: Int?)] = []
        switch o["input"] {
        case let text as String: inputs = [(text, nil)]
        case let items as [Any] where !items.isEmpty:
            if items.allSatisfy({ $0 is NSNumber }) {
                inputs = [(items.map { "\($0)" }.joined(separator: ","), items.count)]
            } else {
                for item in items {
                    switch item {
                    case let text as String: inputs.append((text, nil))
                    case let tokens as [Any]: inputs.append((tokens.map { "\($0)" }.joined(separator: ","), tokens.count))
                    default: throw Refusal(message: "'input' items must be strings or arrays of tokens", param: "input")
                    }
                }
            }
        default:
            throw Refusal(message: "'input' is a required property: a string or an array of strings", param: "input")
        }
        var request = try common(o, texts: [])
        request.inputs = inputs
        return request
    }

    private static func common(_ o: [String: Any], texts: [String]) throws(Refusal) -> ModelRequestBody {
        if let model = o["model"], !(model is String) { throw Refusal(message: "'model' must be a string", param: "model") }
        var maxTokens: Int?
        for key in ["max_tokens", "max_completion_tokens"] where o[key] != nil && !(o[key] is NSNull) {
            guard let n = o[key] as? Int, n >= 1 else {
                throw Refusal(message: "'\(key)' must be a whole number of at least 1", param: key)
            }
            maxTokens = n
        }
        if let predict = (o["options"] as? [String: Any])?["num_predict"] as? Int, predict > 0 { maxTokens = predict }
        if let stream = o["stream"], !(stream is NSNull), !(stream is Bool) {
            throw Refusal(message: "'stream' must be true or false", param: "stream")
        }
        let options = o["stream_options"] as? [String: Any]
        return ModelRequestBody(
            model: o["model"] as? String, texts: texts, stream: o["stream"] as? Bool,
            includeUsage: options?["include_usage"] as? Bool ?? false,
            maxTokens: maxTokens, inputs: [])
    }

    /// The model named in a body, without judging the rest (for counting and per-model faults).
    static func modelName(_ body: [UInt8]) -> String? {
        guard !body.isEmpty, let o = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] else { return nil }
        return o["model"] as? String
    }
}
