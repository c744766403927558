import Foundation
import QLPCore

/// What the gateway needs from a client's request body, read once and
/// validated: the model asked for and whether the answer streams. The body
/// itself is forwarded as it came (only `model` is rewritten for Ollama).
public struct ClientRequest: Sendable, Equatable {
    public enum Operation: String, Sendable, Equatable {
        case chatCompletions = "chat/completions"
        case embeddings
    }

    /// What one request may ask for, from the gateway's settings.
    public struct Limits: Sendable, Equatable {
        public var maxOutputTokens: Int
        public var maxChoices: Int

        public init(_ settings: GatewaySettings = GatewaySettings()) {
            maxOutputTokens = settings.maxOutputTokens
            maxChoices = settings.maxChoices
        }
    }

    public var operation: Operation
    public var model: String
    public var stream: Bool
    public var body: [UInt8]
    /// The gateway asked the upstream for a streamed answer's usage on the
    /// client's behalf (`stream_options.include_usage`), so that its tokens
    /// are counted: the usage-only chunk is kept from the client, who did not ask for it.
    public var usageRequestedForAccounting = false
    /// The most tokens the request may use, for a key's tokens-per-minute
    /// limit before the upstream says: the prompt at about four bytes a token
    /// (the body's size, an overestimate that includes the JSON around it)
    /// plus the output it may ask for, for each choice. Corrected by the
    /// answer's usage.
    public var estimatedTokens = 0

    /// Validates `body` for `operation` and `limits`; a problem becomes a 400
    /// naming it. A chat request that sets no output limit is given
    /// `limits.maxOutputTokens` as max_tokens, so the bound holds for it too.
    public init(operation: Operation, body: [UInt8], limits: Limits = Limits()) throws(OpenAIErrorBody) {
        var body = body
        // Checked and mapped in one pass; nothing is decoded but the members read below.
        let outline: JSONOutline
        do {
            outline = try JSONOutline(body)
        } catch {
            throw .invalidRequest(
                "We could not parse the JSON body of your request. (HINT: This likely means you aren't "
                    + "using your HTTP library correctly. The OpenAI API expects a JSON payload.)",
                code: "invalid_json")
        }
        let root = 0
        guard outline.root.kind == .object else {
            throw .invalidRequest("The request body must be a JSON object.", code: "invalid_json")
        }
        guard let model = outline.member("model", of: root) else {
            throw .invalidRequest("you must provide a model parameter", param: "model", code: "missing_required_parameter")
        }
        guard let name = outline.string(at: model), !name.isEmpty else {
            throw .invalidRequest("'model' must be a non-empty string.", param: "model", code: "invalid_type")
        }
        var stream = false
        switch operation {
        case .chatCompletions:
            guard let messages = outline.member("messages", of: root) else {
                throw .invalidRequest("Missing required parameter: 'messages'.", param: "messages", code: "missing_required_parameter")
            }
            guard outline.values[messages].kind == .array else {
                throw .invalidRequest("'messages' must be an array of message objects.", param: "messages", code: "invalid_type")
            }
            let list = outline.children(of: messages)
            guard !list.isEmpty else {
                throw .invalidRequest("'messages' must contain at least one message.", param: "messages", code: "empty_array")
            }
            for (index, message) in list.enumerated() {
                guard let role = outline.member("role", of: message), outline.values[role].kind == .string else {
                    throw .invalidRequest(
                        "'messages[\(index)]' must be an object with a string 'role'.",
                        param: "messages[\(index)]", code: "invalid_type")
                }
            }
            if let value = outline.member("stream", of: root) {
                switch outline.values[value].kind {
                case .true: stream = true
                case .false: stream = false
                default: throw .invalidRequest("'stream' must be a boolean.", param: "stream", code: "invalid_type")
                }
            }
            var asksForOutput = false
            var outputTokens = limits.maxOutputTokens
            for key in ["max_tokens", "max_completion_tokens"] {
                guard let value = outline.member(key, of: root) else { continue }
                let asked = try Self.bounded(outline, value, key: key, limit: limits.maxOutputTokens, setting: "gateway.max_output_tokens")
                asksForOutput = true
                outputTokens = min(outputTokens, asked)
            }
            var choices = 1
            if let value = outline.member("n", of: root), outline.values[value].kind != .null {
                choices = try Self.bounded(outline, value, key: "n", limit: limits.maxChoices, setting: "gateway.max_choices")
            }
            estimatedTokens = body.count / 4 + outputTokens * choices
            if !asksForOutput { body = Self.adding(maxTokens: limits.maxOutputTokens, to: body) }
            if stream {
                let options = outline.member("stream_options", of: root)
                let includesUsage = options.flatMap { outline.member("include_usage", of: $0) }.map { outline.values[$0].kind == .true }
                if includesUsage != true {
                    if options == nil {
                        body = Self.adding(member: #""stream_options":{"include_usage":true}"#, to: body)
                    } else {
                        // Rare: the client set stream_options without usage. Its other options are kept.
                        body = Self.includingUsage(in: body, asksForOutput: asksForOutput, maxOutputTokens: limits.maxOutputTokens)
                    }
                    usageRequestedForAccounting = true
                }
            }
        case .embeddings:
            guard let input = outline.member("input", of: root) else {
                throw .invalidRequest("Missing required parameter: 'input'.", param: "input", code: "missing_required_parameter")
            }
            guard outline.values[input].kind == .string || outline.values[input].kind == .array else {
                throw .invalidRequest(
                    "'input' must be a string or an array of strings or token arrays.", param: "input",
                    code: "invalid_type")
            }
            estimatedTokens = body.count / 4
        }
        self.operation = operation
        self.model = name
        self.stream = stream
        self.body = body
    }

    /// A whole number from 1 to `limit`, or a 400 naming the parameter and the setting that bounds it.
    private static func bounded(
        _ outline: JSONOutline, _ index: Int, key: String, limit: Int, setting: String
    ) throws(OpenAIErrorBody) -> Int {
        let text = outline.numberText(at: index)
        guard let text, let number = Double(text), number.rounded() == number, number >= 1 else {
            throw .invalidRequest(
                "'\(key)' must be a whole number from 1 to \(limit)"
                    + "\(outline.values[index].kind == .null ? " (leave it out for \(limit))" : "").",
                param: key, code: "invalid_value")
        }
        guard number <= Double(limit) else {
            throw .invalidRequest(
                "'\(key)' is \(text), above this gateway's limit of \(limit) (\(setting)).",
                param: key, code: "limit_exceeded")
        }
        return Int(number)
    }

    /// The body re-encoded with `stream_options.include_usage` set (and
    /// max_tokens, when the client set none), its other members kept.
    private static func includingUsage(in body: [UInt8], asksForOutput: Bool, maxOutputTokens: Int) -> [UInt8] {
        guard var object = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] else { return body }
        var merged = object["stream_options"] as? [String: Any] ?? [:]
        merged["include_usage"] = true
        object["stream_options"] = merged
        if !asksForOutput { object["max_tokens"] = maxOutputTokens }
        guard let data = try? JSONSerialization.data(withJSONObject: object) else { return body }
        return [UInt8](data)
    }

    /// The object with `"max_tokens": N` added before its closing brace (the
    /// body is otherwise forwarded byte for byte).
    private static func adding(maxTokens: Int, to body: [UInt8]) -> [UInt8] {
        adding(member: "\"max_tokens\":\(maxTokens)", to: body)
    }

    /// The object with `member` (`"name":value`) added before its closing brace.
    private static func adding(member: String, to body: [UInt8]) -> [UInt8] {
        guard let close = body.lastIndex(of: UInt8(ascii: "}")) else { return body }
        return Array(body[..<close]) + Array(",\(member)".utf8) + Array(body[close...])
    }
}
