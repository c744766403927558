import NIOCore
import QLPHTTP

/// Whether a whole 2xx body is an answer a client can use: JSON (by its
/// Content-Type, when the upstream sends one) framed as one object. A body
/// cut short or an HTML error page with status 200 (a proxy or load balancer
/// in front of the model) is the target's failure, so another target may
/// serve instead of the client receiving it as a success. Only the framing is
/// checked, not the whole JSON: the hot path reads a handful of bytes.
enum AnswerShape {
    /// Why `body` is not a usable answer, or nil when it is.
    static func problem(in body: ByteBuffer, contentType: String?) -> String? {
        if let contentType, !ASCIICase.contains(contentType, lowercaseWord: "json") {
            return "answered 200 with Content-Type \(contentType.prefix(40)), not JSON"
        }
        let view = body.readableBytesView
        let isBlank: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }
        guard let first = view.first(where: { !isBlank($0) }), let last = view.last(where: { !isBlank($0) }) else {
            return "answered 200 with an empty body"
        }
        guard first == UInt8(ascii: "{"), last == UInt8(ascii: "}") else {
            return "answered 200 with a body that is not a JSON object (cut short or malformed)"
        }
        return nil
    }

    /// Why a 2xx stream is not one, judged on its Content-Type and first chunk,
    /// or nil when it may be. A stream is Server-Sent Events (OpenAI, Azure:
    /// text/event-stream, lines starting data:, event:, id:, retry: or a
    /// ':' comment) or JSON lines (Ollama's /api: one object a line). The
    /// chunk may end part-way through a field name, so a start that could
    /// still become one passes.
    static func streamProblem(first: ByteBuffer?, contentType: String?) -> String? {
        if let contentType {
            if !ASCIICase.contains(contentType, lowercaseWord: "event-stream") && !ASCIICase.contains(contentType, lowercaseWord: "json") {
                return "answered 200 with Content-Type \(contentType.prefix(40)), not a stream"
            }
        }
        guard let first else { return "answered 200 with a stream that ended before any event" }
        let view = first.readableBytesView
        let isBlank: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }
        guard let start = view.firstIndex(where: { !isBlank($0) }) else { return nil }  // blank so far: judged no further
        let head = Array(view[start...].prefix(6))
        let openings: [[UInt8]] = ["data:", "event:", "id:", "retry:", ":", "{"].map { Array($0.utf8) }
        let plausible = openings.contains { head.starts(with: $0) || $0.starts(with: head) }
        return plausible ? nil : "answered 200 with a stream that does not start as events or JSON lines (an error page?)"
    }

}
