import NIOCore

/// Keeps the usage-only event of a streamed chat answer from a client that did
/// not ask for it (the gateway asked on its behalf, to count the tokens).
///
/// Server-sent events end with a blank line; an upstream's chunks may cut an
/// event anywhere. Complete events pass at once; only the unfinished end of a
/// chunk waits for the rest of its event (a client cannot read half an event
/// anyway). The usage-only event is the one whose `choices` is empty and whose
/// `usage` is an object (Azure sends `"usage": null` in every other chunk, and
/// an empty `choices` in its prompt-filter event): found by a byte scan, so
/// that the chunks that carry the answer are never parsed.
struct UsageChunkFilter {
    private var pending: [UInt8] = []

    /// What to forward of `chunk` now (possibly nothing).
    mutating func pass(_ chunk: ByteBuffer) -> ByteBuffer? {
        // The usual chunk: whole events, none with a usage object. It goes on as it came, uncopied.
        let view = chunk.readableBytesView
        if pending.isEmpty, view.count >= 2, view[view.endIndex - 1] == UInt8(ascii: "\n"),
            view[view.endIndex - 2] == UInt8(ascii: "\n"), !Self.holdsUsageObject(view)
        {
            return chunk
        }
        pending.append(contentsOf: view)
        var out: [UInt8] = []
        var start = pending.startIndex
        while let end = Self.eventEnd(in: pending, from: start) {
            let event = pending[start..<end]
            if !Self.isUsageOnly(event) { out.append(contentsOf: event) }
            start = end
        }
        pending.removeSubrange(pending.startIndex..<start)
        return out.isEmpty ? nil : ByteBuffer(bytes: out)
    }

    /// Whatever is left when the stream ends (an event without its blank line).
    mutating func finish() -> ByteBuffer? {
        defer { pending.removeAll() }
        guard !pending.isEmpty, !Self.isUsageOnly(pending[...]) else { return nil }
        return ByteBuffer(bytes: pending)
    }

    /// The index just past the blank line that ends the event starting at `start`, or nil.
    static func eventEnd(in bytes: [UInt8], from start: Int) -> Int? {
        let newline = UInt8(ascii: "\n")
        var i = start
        while i < bytes.count {
            if bytes[i] == newline {
                // "\n\n" or "\n\r\n".
                if i + 1 < bytes.count, bytes[i + 1] == newline { return i + 2 }
                if i + 2 < bytes.count, bytes[i + 1] == UInt8(ascii: "\r"), bytes[i + 2] == newline { return i + 3 }
            }
            i += 1
        }
        return nil
    }

    /// A `data:` event whose `choices` is `[]` and whose `usage` is an object.
    static func isUsageOnly(_ event: ArraySlice<UInt8>) -> Bool {
        guard let usage = valueStart(of: Array(#""usage""#.utf8), in: event), event[usage] == UInt8(ascii: "{"),
            let choices = valueStart(of: Array(#""choices""#.utf8), in: event), event[choices] == UInt8(ascii: "[")
        else {
            return false
        }
        guard let next = skipSpace(in: event, from: choices + 1) else { return false }
        return event[next] == UInt8(ascii: "]")
    }

    /// Whether any `"usage"` member in `bytes` has an object for its value.
    static func holdsUsageObject(_ bytes: ByteBufferView) -> Bool {
        let name = Array(#""usage""#.utf8)
        var rest = bytes[...]
        while let found = rest.firstRange(of: name) {
            var i = found.upperBound
            while i < bytes.endIndex, [UInt8(ascii: " "), UInt8(ascii: ":"), UInt8(ascii: "\t")].contains(bytes[i]) { i += 1 }
            if i < bytes.endIndex, bytes[i] == UInt8(ascii: "{") { return true }
            rest = bytes[found.upperBound...]
        }
        return false
    }

    /// Where the value of the first `"name"` member starts (past the colon and any spaces).
    private static func valueStart(of name: [UInt8], in bytes: ArraySlice<UInt8>) -> Int? {
        guard let found = bytes.firstRange(of: name) else { return nil }
        guard let colon = skipSpace(in: bytes, from: found.upperBound), bytes[colon] == UInt8(ascii: ":") else { return nil }
        return skipSpace(in: bytes, from: colon + 1)
    }

    private static func skipSpace(in bytes: ArraySlice<UInt8>, from index: Int) -> Int? {
        var i = index
        while i < bytes.endIndex {
            switch bytes[i] {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"), UInt8(ascii: "\n"): i += 1
            default: return i
            }
        }
        return nil
    }
}
