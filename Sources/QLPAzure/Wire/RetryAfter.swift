import Foundation
import QLPCore
import QLPHTTP

extension RetryAfter {
    /// The wait a response's headers ask for (see ``RetryAfter/read(_:now:)``), at most an hour.
    static func wait(from headers: HTTPHeaders, now: Date = Date()) -> Duration? {
        read(headers, now: now)?.wait
    }
}
