import Foundation
import HTTPTypes
import QLPCore

/// An error answered in OpenAI's shape, which every OpenAI client parses:
/// `{"error":{"message":...,"type":...,"param":...,"code":...}}`.
public struct OpenAIErrorBody: Error, Sendable, Equatable {
    public var status: HTTPResponse.Status
    public var message: String
    public var type: String
    public var param: String?
    public var code: String?
    /// Extra response headers (Retry-After on a passed-on 429, for one).
    public var headers: HTTPFields

    public init(
        status: HTTPResponse.Status, message: String, type: String, param: String? = nil, code: String? = nil,
        headers: HTTPFields = [:]
    ) {
        self.status = status
        self.message = message
        self.type = type
        self.param = param
        self.code = code
        self.headers = headers
    }

    public static func invalidRequest(
        _ message: String, param: String? = nil, code: String? = nil,
        status: HTTPResponse.Status = .badRequest
    ) -> OpenAIErrorBody {
        OpenAIErrorBody(status: status, message: message, type: "invalid_request_error", param: param, code: code)
    }

    public var json: String {
        func field(_ value: String?) -> String { value.map(JSONText.quoted) ?? "null" }
        return "{\"error\":{\"message\":\(field(message)),\"type\":\(field(type)),\"param\":\(field(param)),\"code\":\(field(code))}}"
    }

    /// Whether `bytes` already is an OpenAI-style error (an object with an
    /// `error` object), so that an upstream's body can be passed on as it is.
    static func isOpenAIShaped(_ bytes: [UInt8]) -> Bool {
        guard let ranges = JSONBytes.topLevelValues(named: "error", in: bytes), let range = ranges.last else { return false }
        return bytes[range.lowerBound] == UInt8(ascii: "{")
    }

    /// The `error.message` of an upstream's error body, for the message naming the targets tried.
    static func message(in bytes: [UInt8]) -> String? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] else { return nil }
        if let error = object["error"] as? [String: Any] { return error["message"] as? String }
        return object["error"] as? String ?? object["message"] as? String
    }
}
