import Foundation

/// What the gateway needs from a client's request body, read once and
/// validated: the model asked for and whether the answer streams. The body
/// itself is forwarded as it came (only `model` is rewritten for Ollama).
public struct ClientRequest: Sendable, Equatable {
    public enum Operation: String, Sendable, Equatable {
        case chatCompletions = "chat/completions"
        case embeddings
    }

    public var operation: Operation
    public var model: String
    public var stream: Bool
    public var body: [UInt8]

    /// Validates `body` for `operation`; a problem becomes a 400 naming it.
    public init(operation: Operation, body: [UInt8]) throws(OpenAIErrorBody) {
        let parsed: Any
        do {
            parsed = try JSONSerialization.jsonObject(with: Data(body))
        } catch {
            throw .invalidRequest("We could not parse the JSON body of your request. (HINT: This likely means you aren't "
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
                    throw .invalidRequest("'messages[\(index)]' must be an object with a string 'role'.",
                                          param: "messages[\(index)]", code: "invalid_type")
                }
            }
            if let value = object["stream"] {
                guard let flag = value as? NSNumber, Self.isBoolean(flag) else {
                    throw .invalidRequest("'stream' must be a boolean.", param: "stream", code: "invalid_type")
                }
                stream = flag.boolValue
            }
        case .embeddings:
            guard let input = object["input"] else {
                throw .invalidRequest("Missing required parameter: 'input'.", param: "input", code: "missing_required_parameter")
            }
            guard input is String || input is [Any] else {
                throw .invalidRequest("'input' must be a string or an array of strings or token arrays.", param: "input",
                                      code: "invalid_type")
            }
        }
        self.operation = operation
        self.model = name
        self.stream = stream
        self.body = body
    }

    /// JSONSerialization gives booleans their own NSNumber subclass; `1` is not a boolean.
    private static let booleanType = ObjectIdentifier(type(of: NSNumber(value: true)))
    private static func isBoolean(_ number: NSNumber) -> Bool { ObjectIdentifier(type(of: number)) == booleanType }
}
