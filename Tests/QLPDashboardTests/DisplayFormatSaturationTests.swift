import Foundation
import QLPDashboard
import Testing

/// Issue 14, finding 5: a time or age from a server-given wait (or any other
/// outside number) is drawn, saturated, never a trap.
@Suite struct DisplayFormatSaturationTests {
    let format = DisplayFormat(timeZone: TimeZone(identifier: "UTC")!)

    @Test func finding05_anInstantFarBeyondAnyCalendarIsDrawn() {
        for seconds in [1e308, 9.3e18, -1e308, Double.infinity, -Double.infinity] {
            let text = format.time(Date(timeIntervalSince1970: seconds))
            #expect(text.count == 8 && text.split(separator: ":").count == 3, "\(seconds) drew \(text)")
        }
        #expect(format.time(Date(timeIntervalSince1970: .nan)) == "--:--:--")
        #expect(format.time(Date(timeIntervalSince1970: 3661)) == "01:01:01")
    }

    @Test func finding05_hugeAndUnreadableAgesAreDrawn() {
        #expect(format.age(1e308) == ">9999d")
        #expect(format.age(.infinity) == ">9999d")
        #expect(format.age(9.3e18) == ">9999d")
        #expect(format.age(.nan) == "?")
        #expect(format.age(-1e308) == "0s")
        #expect(format.age(86_400 * 9999) == "9999d")
        #expect(format.age(125) == "2m")
    }
}
