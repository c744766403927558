import QLPHTTP

/// How long Azure asked us to wait. Cost Management sends its own headers
/// (x-ms-ratelimit-microsoft.costmanagement-{qpu,entity,tenant,client,clienttype}-retry-after)
/// beside the standard Retry-After; the safe wait is the longest of them.
enum RetryAfter {
    static func wait(from headers: HTTPHeaders) -> Duration? {
        var longest: Int?
        for (name, value) in headers {
            let lower = name.lowercased()
            let relevant = lower == "retry-after" || lower == "x-ms-retry-after-ms" || lower == "retry-after-ms"
                || (lower.hasPrefix("x-ms-ratelimit-microsoft.") && lower.hasSuffix("-retry-after"))
            guard relevant, let number = Int(value.trimmingCharacters(in: .whitespaces)) else { continue }
            let seconds = lower.hasSuffix("-ms") ? (number + 999) / 1000 : number
            longest = max(longest ?? 0, seconds)
        }
        return longest.map { .seconds($0) }
    }
}

import Foundation
