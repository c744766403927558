import Foundation
import QLPCore
import Testing

/// Issue 14, finding 5: a server-given wait is never longer than an hour and
/// never a crash, whatever number or date the header carries.
@Suite struct RetryAfterClampTests {
    /// 1994-11-06 08:49:30 UTC.
    let now = Date(timeIntervalSince1970: 784_111_770)

    func seconds(_ headers: [String: String]) -> Double? {
        let lowercased = Dictionary(uniqueKeysWithValues: headers.map { ($0.key.lowercased(), $0.value) })
        return RetryAfter.seconds(header: { lowercased[$0.lowercased()] }, now: now)
    }

    @Test func finding05_hugeWaitsAreClampedToOneHour() {
        #expect(seconds(["Retry-After": "9223372036854775807"]) == 3600)
        #expect(seconds(["retry-after-ms": "9223372036854775807"]) == 3600)
        #expect(seconds(["x-ms-retry-after-ms": "92233720368547758070000"]) == 3600)
        // So many digits that Double reads infinity.
        #expect(seconds(["Retry-After": String(repeating: "9", count: 400)]) == 3600)
        #expect(seconds(["Retry-After": "Fri, 31 Dec 9999 23:59:59 GMT"]) == 3600)
        #expect(seconds(["Retry-After": "3600"]) == 3600)
        #expect(seconds(["Retry-After": "3599"]) == 3599)
    }

    @Test func finding05_negativeAndNonNumericWaitsAreUnreadable() {
        for text in ["-1", "-9223372036854775808", "nan", "NaN", "inf", "-inf", "infinity", "0x10", "+5", "1e308", "5s", ""] {
            #expect(seconds(["Retry-After": text]) == nil, "Retry-After: \(text)")
            #expect(seconds(["retry-after-ms": text]) == nil, "retry-after-ms: \(text)")
        }
    }

    @Test func finding05_httpDatesInThePastAndFuture() {
        #expect(seconds(["Retry-After": "Sun, 06 Nov 1994 08:49:00 GMT"]) == 0)
        #expect(seconds(["Retry-After": "Sun, 06 Nov 1994 08:59:30 GMT"]) == 600)
        #expect(seconds(["Retry-After": "Sun, 06 Nov 1994 12:00:00 GMT"]) == 3600)
    }
}
