import Foundation
import Hummingbird
import NIOCore

/// The admin API's JSON responses.
enum AdminReply {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }()

    static func json(_ status: HTTPResponse.Status, _ value: some Encodable, headers: HTTPFields = [:]) -> Response {
        let body: Data
        do {
            body = try encoder.encode(value)
        } catch {
            // Only our own plain value types are encoded here; say so rather than send half a body.
            return problem(.internalServerError, "cannot encode the reply: \(error)")
        }
        var fields = headers
        fields[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }

    /// {"error": "..."} plus any extra fields (current_version for a conflict).
    static func problem(
        _ status: HTTPResponse.Status, _ message: String, currentVersion: Int? = nil,
        headers: HTTPFields = [:]
    ) -> Response {
        json(status, Problem(error: message, currentVersion: currentVersion), headers: headers)
    }

    struct Problem: Encodable {
        var error: String
        var currentVersion: Int?

        enum CodingKeys: String, CodingKey {
            case error
            case currentVersion = "current_version"
        }
    }
}
