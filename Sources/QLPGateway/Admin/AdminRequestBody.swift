import Foundation
import QLPCanvas
import QLPRouting

/// The admin API's request bodies. `version` is the table version the caller
/// last read (optimistic concurrency); `reason` goes into the audit log.
struct WeightsBody: Decodable {
    var version: Int
    var weights: [String: Int]
    var reason: String?
}

struct VersionedBody: Decodable {
    var version: Int
    var reason: String?
}

struct FallbackBody: Decodable {
    var version: Int
    var order: [String]
    var reason: String?
}

struct PolicyBody: Decodable {
    var version: Int
    var policy: String
    var reason: String?
}

struct UndoBody: Decodable {
    var version: Int?
    var reason: String?
}

/// A body that cannot be used, with what is wrong and where, for a 400.
struct BadRequestBody: Error {
    var message: String
}

enum AdminRequestDecoding {
    /// The longest reason kept in the audit log.
    static let maxReasonLength = 500

    static func decode<Body: Decodable>(_ type: Body.Type, from bytes: [UInt8], emptyAs empty: String? = nil) throws(BadRequestBody) -> Body
    {
        let data = bytes.allSatisfy { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 } ? Data((empty ?? "").utf8) : Data(bytes)
        guard !data.isEmpty else { throw BadRequestBody(message: "the request needs a JSON body") }
        do {
            return try JSONDecoder().decode(Body.self, from: data)
        } catch let error as DecodingError {
            throw BadRequestBody(message: describe(error))
        } catch {
            throw BadRequestBody(message: "the body is not valid JSON")
        }
    }

    static func describe(_ error: DecodingError) -> String {
        /// "changes[2].weights": a list's element by its index, as the body is written.
        func field(_ path: [any CodingKey], _ last: (any CodingKey)? = nil) -> String {
            (path + (last.map { [$0] } ?? [])).reduce(into: "") { text, key in
                if let index = key.intValue {
                    text += "[\(index)]"
                } else {
                    text += (text.isEmpty ? "" : ".") + key.stringValue
                }
            }
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "missing field '\(field(context.codingPath, key))'"
        case .typeMismatch(let type, let context):
            return context.codingPath.isEmpty
                ? "the body must be a JSON object"
                : "field '\(field(context.codingPath))' must be \(kind(type))"
        case .valueNotFound(let type, let context):
            return "field '\(field(context.codingPath))' must be \(kind(type)), not null"
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty { return "the body is not valid JSON" }
            // Our own decoders (RouteChangeWire) say what is allowed, in words that read after the field's name.
            let said = context.debugDescription.hasPrefix("must ") ? context.debugDescription : "is invalid"
            return "field '\(field(context.codingPath))' \(said)"
        @unknown default:
            return "the body does not have the expected fields"
        }
    }

    private static func kind(_ type: Any.Type) -> String {
        switch type {
        case is Int.Type: "a whole number"
        case is String.Type: "a string"
        case is [String].Type: "a list of strings"
        case is [String: Int].Type: "an object of target: weight"
        default: "of type \(type)"
        }
    }

    static func reason(_ text: String?) throws(BadRequestBody) -> String? {
        guard let text = text?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty else { return nil }
        guard text.count <= maxReasonLength else {
            throw BadRequestBody(message: "field 'reason' is longer than \(maxReasonLength) characters")
        }
        try refuseControls(text, in: "field 'reason'")
        return text
    }

    /// The audit log is printed (`qlp routes audit`, the Audit view, the
    /// log): a line break in a reason or an actor would forge an entry there,
    /// an escape sequence would act on the reader's terminal. Refused here,
    /// by the same test the printed-line sanitiser applies, rather than
    /// stored and cleaned on every read.
    static func refuseControls(_ text: String, in place: String) throws(BadRequestBody) {
        guard let offset = text.unicodeScalars.firstIndex(where: TerminalSafeText.isUnsafe) else { return }
        let scalar = text.unicodeScalars[offset]
        let position = text.unicodeScalars.distance(from: text.unicodeScalars.startIndex, to: offset) + 1
        let code = String(scalar.value, radix: 16, uppercase: true)
        throw BadRequestBody(
            message: "\(place) holds a control character (U+\(String(repeating: "0", count: max(0, 4 - code.count)) + code) "
                + "at character \(position)); give it as one line of plain text")
    }

    static func policy(_ text: String) throws(BadRequestBody) -> Route.Policy {
        guard let policy = Route.Policy(rawValue: text) else {
            throw BadRequestBody(
                message: "field 'policy' must be one of "
                    + Route.Policy.allCases.map(\.rawValue).joined(separator: ", ") + ", not '\(text.prefix(40))'")
        }
        return policy
    }

    /// The audit log's actor: the token's configured name, then the
    /// X-QLP-Actor header when one is sent and differs from it ("admin/alice").
    /// The name comes from the token, never from the header, so a caller
    /// cannot pass as another token.
    static func actor(_ header: String?, identity: AdminIdentityView) throws(BadRequestBody) -> String {
        guard let given = try actorHeader(header), given != identity.name else { return identity.name }
        return "\(identity.name)/\(given)"
    }

    /// The X-QLP-Actor header, nil when absent or blank. One holding a
    /// control character is refused, as a reason is.
    static func actorHeader(_ header: String?) throws(BadRequestBody) -> String? {
        let trimmed = (header ?? "").trimmingCharacters(in: .whitespaces)
        try refuseControls(trimmed, in: "header X-QLP-Actor")
        return trimmed.isEmpty ? nil : String(trimmed.prefix(64))
    }

    /// New weights in the route's own target order (its priority order), targets new to it after, by name.
    static func shares(_ weights: [String: Int], existing: Route?) -> [Route.Share] {
        let order = existing?.shares.map(\.target) ?? []
        let known = order.filter { weights[$0] != nil }
        let added = weights.keys.filter { !order.contains($0) }.sorted()
        return (known + added).map { Route.Share(target: $0, weight: weights[$0] ?? 0) }
    }
}
