import Foundation
import QLPCore

/// Reads the tokens a response reports in its `usage` object (OpenAI,
/// Azure OpenAI and Ollama's /v1 all use this shape; embeddings report no
/// completion tokens) as the core's `TokenCounts`.
public enum TokenUsage {
    /// The last `usage` object in a response body or the tail of an SSE stream.
    /// Only that small object is read, never the whole body, and without
    /// Foundation (this runs for every answer). A count that is not a whole
    /// number from 0 to 10^15 is refused naming the field: the board adds
    /// these up for the life of the process.
    static func find(in bytes: [UInt8]) throws(ImplausibleCount) -> TokenCounts? {
        guard let range = JSONBytes.lastObject(named: "usage", in: bytes),
            let usage = try? JSONOutline(Array(bytes[range]))
        else { return nil }
        let input = try count(text: usage.member("prompt_tokens", of: 0).flatMap(usage.numberText(at:)), field: "usage.prompt_tokens")
        let output = try count(
            text: usage.member("completion_tokens", of: 0).flatMap(usage.numberText(at:)), field: "usage.completion_tokens")
        guard input != nil || output != nil else { return nil }
        return TokenCounts(input: input ?? 0, output: output ?? 0)
    }

    /// One count of a decoded `usage` object (a probe's): nil when absent or not a number.
    static func count(_ value: Any?, field: String) throws(ImplausibleCount) -> Int? {
        guard let number = value as? NSNumber else { return nil }
        return try count(text: Substring(number.stringValue), field: field)
    }

    /// One count as the upstream wrote it: nil when absent.
    static func count(text: Substring?, field: String) throws(ImplausibleCount) -> Int? {
        guard let text else { return nil }
        // Within OutsideCount.plausible (below 2^53) a double holds every whole number exactly.
        guard let number = Double(text), let whole = OutsideCount.whole(number), whole >= 0 else {
            throw ImplausibleCount(field: field, value: String(text))
        }
        return whole
    }
}
