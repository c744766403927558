import Foundation
import QLPCore

/// OpenAI's chat and embeddings wire format, as Azure OpenAI and Ollama's
/// /v1 API both speak it, each with its own touches (`Flavour`).
enum OpenAIWire {
    struct Flavour: Sendable {
        /// Azure adds content-filter results to every answer and an empty
        /// first chunk carrying the prompt's filter results to every stream.
        var azure: Bool
        /// The model name reported in the body.
        var model: String
        var fingerprint: String
    }

    static let filterResults: JSONText = .object(
        ["hate", "self_harm", "sexual", "violence"].map {
            ($0, .object([("filtered", .bool(false)), ("severity", .string("safe"))]))
        })

    static func usage(_ answer: CompletionText) -> JSONText {
        .object([
            ("completion_tokens", .number(answer.completionTokens)), ("prompt_tokens", .number(answer.promptTokens)),
            ("total_tokens", .number(answer.completionTokens + answer.promptTokens)),
        ])
    }

    /// A whole chat completion (the shape of Azure's example, plus the schema's optional fields the service sends).
    static func completion(id: String, created: Int, flavour: Flavour, answer: CompletionText) -> JSONText {
        var choice: [(String, JSONText)] = [
            ("index", .number(0)), ("finish_reason", .string(answer.finishReason)),
            ("message", .object([("role", .string("assistant")), ("content", .string(answer.text))])),
        ]
        var fields: [(String, JSONText)] = [
            ("id", .string(id)), ("object", .string("chat.completion")), ("created", .number(created)),
            ("model", .string(flavour.model)), ("system_fingerprint", .string(flavour.fingerprint)),
        ]
        if flavour.azure {
            choice.append(("content_filter_results", filterResults))
            fields.append(
                (
                    "prompt_filter_results",
                    .array([
                        .object([
                            ("prompt_index", .number(0)),
                            ("content_filter_results", filterResults),
                        ])
                    ])
                ))
        }
        return .object(fields + [("choices", .array([.object(choice)])), ("usage", usage(answer))])
    }

    /// A streamed chat completion as server-sent events: the first part goes
    /// out at once (the caller has already waited the time to first token),
    /// each later token after `timing.perToken`, then, a token's time later,
    /// the finish, the usage when asked for, and `[DONE]`.
    static func stream(
        id: String, created: Int, flavour: Flavour, answer: CompletionText, includeUsage: Bool,
        timing: ModelTiming
    ) -> [EmulatedResponse.TimedPart] {
        func event(_ json: JSONText) -> String { "data: " + json.rendered + "\n\n" }
        func chunk(_ delta: [(String, JSONText)], finish: String?) -> String {
            var choice: [(String, JSONText)] = [
                ("index", .number(0)), ("delta", .object(delta)),
                ("finish_reason", finish.map(JSONText.string) ?? .null), ("logprobs", .null),
            ]
            if flavour.azure { choice.append(("content_filter_results", finish == nil ? filterResults : .object([]))) }
            var fields: [(String, JSONText)] = [
                ("id", .string(id)), ("object", .string("chat.completion.chunk")),
                ("created", .number(created)), ("model", .string(flavour.model)),
                ("system_fingerprint", .string(flavour.fingerprint)),
                ("choices", .array([.object(choice)])),
            ]
            if includeUsage { fields.append(("usage", .null)) }
            return event(.object(fields))
        }
        var first = ""
        if flavour.azure {
            first += event(
                .object([
                    ("choices", .array([])), ("created", .number(0)), ("id", .string("")), ("model", .string("")),
                    ("object", .string("")),
                    (
                        "prompt_filter_results",
                        .array([
                            .object([
                                ("prompt_index", .number(0)),
                                ("content_filter_results", filterResults),
                            ])
                        ])
                    ),
                ]))
        }
        var parts: [EmulatedResponse.TimedPart] = []
        for (i, token) in answer.tokens.enumerated() {
            if i == 0 {
                first += chunk([("role", .string("assistant")), ("content", .string(token))], finish: nil)
                parts.append(.init(delay: .zero, bytes: Array(first.utf8)))
            } else {
                parts.append(.init(delay: timing.perToken, bytes: Array(chunk([("content", .string(token))], finish: nil).utf8)))
            }
        }
        var last = chunk([], finish: answer.finishReason)
        if includeUsage {
            last += event(
                .object([
                    ("id", .string(id)), ("object", .string("chat.completion.chunk")), ("created", .number(created)),
                    ("model", .string(flavour.model)), ("system_fingerprint", .string(flavour.fingerprint)),
                    ("choices", .array([])), ("usage", usage(answer)),
                ]))
        }
        last += "data: [DONE]\n\n"
        // The model spends a token's time on the stop token too.
        parts.append(.init(delay: timing.perToken, bytes: Array(last.utf8)))
        return parts
    }

    /// An embeddings list. Rendered by hand: 1,536 numbers per input.
    static func embeddings(model: String, vectors: [[Double]], promptTokens: Int) -> String {
        var out = #"{"object":"list","data":["#
        for (i, vector) in vectors.enumerated() {
            if i > 0 { out += "," }
            out += #"{"object":"embedding","index":\#(i),"embedding":["#
            out += vector.map(CompletionText.render).joined(separator: ",")
            out += "]}"
        }
        out += #"],"model":\#(JSONText.string(model).rendered),"usage":{"prompt_tokens":\#(promptTokens),"total_tokens":\#(promptTokens)}}"#
        return out
    }

    /// OpenAI's error body: {"error": {"code", "message", "param", "type"}}.
    static func error(
        status: Int, message: String, type: String, param: String? = nil, code: String? = nil,
        headers: [(String, String)] = []
    ) -> EmulatedResponse {
        EmulatorReply.json(
            .object([
                (
                    "error",
                    .object([
                        ("code", code.map(JSONText.string) ?? .null), ("message", .string(message)),
                        ("param", param.map(JSONText.string) ?? .null), ("type", .string(type)),
                    ])
                )
            ]),
            status: status, headers: headers)
    }

    /// The type OpenAI gives an error of this status.
    static func errorType(status: Int) -> String {
        switch status {
        case 400: "invalid_request_error"
        case 401: "authentication_error"
        case 404: "not_found_error"
        case 429: "rate_limit_error"
        default: status >= 500 ? "server_error" : "api_error"
        }
    }
}
