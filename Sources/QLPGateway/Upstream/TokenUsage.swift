import Foundation
import QLPCore

/// Reads the tokens a response reports in its `usage` object (OpenAI,
/// Azure OpenAI and Ollama's /v1 all use this shape; embeddings report no
/// completion tokens) as the core's `TokenCounts`.
public enum TokenUsage {
    /// The last `usage` object in a response body or the tail of an SSE stream.
    /// Only that small object is decoded, never the whole body. A count that
    /// is not a whole number from 0 to 10^15 is refused naming the field: the
    /// board adds these up for the life of the process.
    static func find(in bytes: [UInt8]) throws(ImplausibleCount) -> TokenCounts? {
        guard let range = JSONBytes.lastObject(named: "usage", in: bytes),
            let object = try? JSONSerialization.jsonObject(with: Data(bytes[range])) as? [String: Any]
        else { return nil }
        let input = try count(object["prompt_tokens"], field: "usage.prompt_tokens")
        let output = try count(object["completion_tokens"], field: "usage.completion_tokens")
        guard input != nil || output != nil else { return nil }
        return TokenCounts(input: input ?? 0, output: output ?? 0)
    }

    /// One count of a decoded `usage` object: nil when absent.
    static func count(_ value: Any?, field: String) throws(ImplausibleCount) -> Int? {
        guard let number = value as? NSNumber else { return nil }
        guard let whole = OutsideCount.whole(number.doubleValue), whole >= 0,
            // Beyond 2^53 a double has lost digits; the exact integer decides.
            whole < 1 << 53 || number.int64Value == Int64(whole)
        else {
            throw ImplausibleCount(field: field, value: number.stringValue)
        }
        return whole
    }
}
