import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import QLPCore

/// A reply before it becomes a Hummingbird response; faults can still cut
/// its body or add headers.
struct EmulatedResponse: Sendable {
    var status: Int
    var headers: [(String, String)]
    var body: [UInt8]
    /// When set, the body goes out as these parts, each written after its
    /// delay (a model streaming tokens), instead of `body` all at once.
    var parts: [TimedPart]? = nil
    /// How the answer ends on the wire (a fault can cut it or never send it).
    var ending: Ending = .complete

    enum Ending: Sendable, Equatable {
        /// The whole answer, the connection left open for the next request.
        case complete
        /// The head with the whole body's Content-Length (chunked for a
        /// stream), about three fifths of the body, then the connection closes.
        case cutShort
        /// No answer: the connection is aborted with a TCP RST.
        case reset
    }

    /// Thrown from the body writer to drop the connection mid-answer:
    /// Hummingbird closes a connection whose response failed to write.
    struct ConnectionCut: Error {}

    /// An answer that is never sent: the connection is reset instead.
    static let reset = EmulatedResponse(status: 0, headers: [], body: [], ending: .reset)

    /// One piece of a streamed body.
    struct TimedPart: Sendable {
        var delay: Duration
        var bytes: [UInt8]
    }

    /// The response; a streamed one stops early (and ends cleanly) once `stopping` says the emulator is shutting down.
    func response(stopping: @escaping @Sendable () -> Bool = { false }) -> Response {
        var fields = HTTPFields()
        for (name, value) in headers {
            if let n = HTTPField.Name(name) { fields.append(HTTPField(name: n, value: value)) }
        }
        let cut = ending == .cutShort
        guard let parts else {
            guard cut else {
                return Response(
                    status: HTTPResponse.Status(code: status), headers: fields,
                    body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
            }
            // The length of the whole body is promised, a part is sent.
            fields[.contentLength] = String(body.count)
            let sent = Self.cutPoint(body.count)
            let body = body
            return Response(
                status: HTTPResponse.Status(code: status), headers: fields,
                body: ResponseBody { writer in
                    try await writer.write(ByteBuffer(bytes: body.prefix(sent)))
                    throw ConnectionCut()
                })
        }
        let kept = cut ? Self.cutShort(parts) : parts
        return Response(
            status: HTTPResponse.Status(code: status), headers: fields,
            body: ResponseBody { writer in
                for part in kept {
                    if stopping() { break }
                    if part.delay > .zero { try await Task.sleep(for: part.delay) }
                    try await writer.write(ByteBuffer(bytes: part.bytes))
                }
                if cut { throw ConnectionCut() }
                try await writer.finish(nil)
            })
    }

    /// How many bytes of a body of `count` a cut leaves: about three fifths, at least one.
    static func cutPoint(_ count: Int) -> Int { max(1, count * 3 / 5) }

    /// The first three fifths (about) of a streamed body, its parts' delays kept.
    static func cutShort(_ streamed: [TimedPart]) -> [TimedPart] {
        let keep = cutPoint(streamed.reduce(0) { $0 + $1.bytes.count })
        var total = 0
        var kept: [TimedPart] = []
        for var part in streamed where total < keep {
            part.bytes = Array(part.bytes.prefix(keep - total))
            total += part.bytes.count
            kept.append(part)
        }
        return kept
    }

    /// Cuts the body off at about three fifths, as a dropped connection or a proxy leaves it.
    mutating func truncate() {
        if let streamed = parts {
            parts = Self.cutShort(streamed)
        } else {
            body = Array(body.prefix(Self.cutPoint(body.count)))
        }
    }
}

/// Replies in Azure's shapes.
enum EmulatorReply {
    static func json(_ body: JSONText, status: Int = 200, headers: [(String, String)] = []) -> EmulatedResponse {
        text(body.rendered, status: status, contentType: "application/json; charset=utf-8", headers: headers)
    }

    static func text(_ body: String, status: Int, contentType: String, headers: [(String, String)] = []) -> EmulatedResponse {
        EmulatedResponse(status: status, headers: [("Content-Type", contentType)] + headers, body: Array(body.utf8))
    }

    static func empty(status: Int) -> EmulatedResponse { EmulatedResponse(status: status, headers: [], body: []) }

    /// ARM's error body: {"error": {"code", "message"}}.
    static func armError(status: Int, code: String, message: String, headers: [(String, String)] = []) -> EmulatedResponse {
        json(
            .object([("error", .object([("code", .string(code)), ("message", .string(message))]))]),
            status: status, headers: [("x-ms-error-code", code)] + headers)
    }

    /// Entra ID's token error body (AADSTS codes in the description).
    static func entraError(error: String, code: Int, description: String, status: Int = 400) -> EmulatedResponse {
        let trace = UUID().uuidString.lowercased()
        let correlation = UUID().uuidString.lowercased()
        let now = ISO8601DateFormatter().string(from: Date())
        return json(
            .object([
                ("error", .string(error)),
                (
                    "error_description",
                    .string("AADSTS\(code): \(description)\r\nTrace ID: \(trace)\r\nCorrelation ID: \(correlation)\r\nTimestamp: \(now)")
                ),
                ("error_codes", .array([.number(code)])),
                ("timestamp", .string(now)),
                ("trace_id", .string(trace)),
                ("correlation_id", .string(correlation)),
            ]), status: status)
    }
}
