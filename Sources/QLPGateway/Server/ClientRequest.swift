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
        let parsed: Any
        do {
            parsed = try JSONSerialization.jsonObject(with: Data(body))
        } catch {
            throw .invalidRequest(
                "We could not parse the JSON body of your request. (HINT: This likely means you aren't "
                    + "using your HTTP library correctly. The OpenAI API expects a JSON payload.)",
                code: "invalid_json")
        }
        guard let object = parsed as? [String: Any] else {
            throw .invalidRequest("The request body must be a JSON object.", code: "invalid_json")
        }
        guard let model = object["model"] else {
            throw .invalidRequest("you must provide a model parameter", param: "model", code: "missing_required_parameter")
        }
        guard let name = model as? String, !name.isEmpty else {
            throw .invalidRequest("'model' must be a non-empty string.", param: "model", code: "invalid_type")
        }
        var stream = false
        switch operation {
        case .chatCompletions:
            guard let messages = object["messages"] else {
                throw .invalidRequest("Missing required parameter: 'messages'.", param: "messages", code: "missing_required_parameter")
            }
            guard let list = messages as? [Any] else {
                throw .invalidRequest("'messages' must be an array of message objects.", param: "messages", code: "invalid_type")
            }
            guard !list.isEmpty else {
                throw .invalidRequest("'messages' must contain at least one message.", param: "messages", code: "empty_array")
            }
            for (index, message) in list.enumerated() {
                guard let message = message as? [String: Any], message["role"] is String else {
                    throw .invalidRequest(
                        "'messages[\(index)]' must be an object with a string 'role'.",
                        param: "messages[\(index)]", code: "invalid_type")
                }
            }
            if let value = object["stream"] {
                guard let flag = value as? NSNumber, Self.isBoolean(flag) else {
                    throw .invalidRequest("'stream' must be a boolean.", param: "stream", code: "invalid_type")
                }
                stream = flag.boolValue
            }
            var asksForOutput = false
            var outputTokens = limits.maxOutputTokens
            for key in ["max_tokens", "max_completion_tokens"] {
                guard let value = object[key] else { continue }
                try Self.bounded(value, key: key, limit: limits.maxOutputTokens, setting: "gateway.max_output_tokens")
                asksForOutput = true
                outputTokens = min(outputTokens, (value as? NSNumber)?.intValue ?? outputTokens)
            }
            var choices = 1
            if let value = object["n"], !(value is NSNull) {
                try Self.bounded(value, key: "n", limit: limits.maxChoices, setting: "gateway.max_choices")
                choices = (value as? NSNumber)?.intValue ?? 1
            }
            estimatedTokens = body.count / 4 + outputTokens * choices
            if !asksForOutput { body = Self.adding(maxTokens: limits.maxOutputTokens, to: body) }
            if stream {
                let options = object["stream_options"]
                if (options as? [String: Any])?["include_usage"] as? Bool != true {
                    if options == nil {
                        body = Self.adding(member: #""stream_options":{"include_usage":true}"#, to: body)
                    } else {
                        // Rare: the client set stream_options without usage. Its other options are kept.
                        var rewritten = object
                        var merged = options as? [String: Any] ?? [:]
                        merged["include_usage"] = true
                        rewritten["stream_options"] = merged
                        if !asksForOutput { rewritten["max_tokens"] = limits.maxOutputTokens }
                        if let data = try? JSONSerialization.data(withJSONObject: rewritten) { body = [UInt8](data) }
                    }
                    usageRequestedForAccounting = true
                }
            }
        case .embeddings:
            guard let input = object["input"] else {
                throw .invalidRequest("Missing required parameter: 'input'.", param: "input", code: "missing_required_parameter")
            }
            guard input is String || input is [Any] else {
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
    private static func bounded(_ value: Any, key: String, limit: Int, setting: String) throws(OpenAIErrorBody) {
        guard let number = value as? NSNumber, !isBoolean(number), number.doubleValue.rounded() == number.doubleValue,
            number.doubleValue >= 1
        else {
            throw .invalidRequest(
                "'\(key)' must be a whole number from 1 to \(limit)\(value is NSNull ? " (leave it out for \(limit))" : "").",
                param: key, code: "invalid_value")
        }
        guard number.doubleValue <= Double(limit) else {
            throw .invalidRequest(
                "'\(key)' is \(number), above this gateway's limit of \(limit) (\(setting)).",
                param: key, code: "limit_exceeded")
        }
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

    /// JSONSerialization gives booleans their own NSNumber subclass; `1` is not a boolean.
    private static let booleanType = ObjectIdentifier(type(of: NSNumber(value: true)))
    private static func isBoolean(_ number: NSNumber) -> Bool { ObjectIdentifier(type(of: number)) == booleanType }
}
