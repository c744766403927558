import Foundation
import Testing

@testable import QLPCore

@Suite struct RetryAfterTests {
    /// 1994-11-06 08:49:30 UTC.
    let now = Date(timeIntervalSince1970: 784_111_770)

    func seconds(_ headers: [String: String]) -> Double? {
        let lowercased = Dictionary(uniqueKeysWithValues: headers.map { ($0.key.lowercased(), $0.value) })
        return RetryAfter.seconds(header: { lowercased[$0.lowercased()] }, now: now)
    }

    @Test func millisecondHeadersComeFirst() {
        #expect(seconds(["retry-after-ms": "1500", "Retry-After": "3"]) == 1.5)
        #expect(seconds(["x-ms-retry-after-ms": "250", "retry-after": "1"]) == 0.25)
        #expect(seconds(["retry-after-ms": "junk", "x-ms-retry-after-ms": "40"]) == 0.04)
    }

    @Test func deltaSecondsAndHTTPDates() {
        #expect(seconds(["Retry-After": "7"]) == 7)
        #expect(seconds(["retry-after": " 0 "]) == 0)
        #expect(seconds(["retry-after": "Sun, 06 Nov 1994 08:49:37 GMT"]) == 7)
        #expect(seconds(["retry-after": "Sunday, 06-Nov-94 08:49:40 GMT"]) == 10)
        #expect(seconds(["retry-after": "Sun Nov  6 08:49:45 1994"]) == 15)
        // A date already past means no wait.
        #expect(seconds(["retry-after": "Sun, 06 Nov 1994 08:00:00 GMT"]) == 0)
    }

    @Test func unreadableOrAbsentIsNil() {
        #expect(seconds([:]) == nil)
        #expect(seconds(["retry-after": "soon"]) == nil)
        #expect(seconds(["retry-after": "-3"]) == nil)
        #expect(seconds(["retry-after": "Sun, 31 Feb 1994 08:49:37 GMT"]) == nil)
        #expect(seconds(["retry-after": "Sun, 06 Nov 1994 25:49:37 GMT"]) == nil)
    }

    @Test func caseSensitiveLookupsStillFindTheUsualCapitalisation() {
        let headers = ["Retry-After": "4"]
        #expect(RetryAfter.seconds(header: { headers[$0] }, now: now) == 4)
    }
}
