import QLPCore
import Testing

@Suite("Durations in config")
struct DurationTextTests {
    @Test(arguments: [
        ("250ms", Duration.milliseconds(250)),
        ("30s", .seconds(30)),
        ("5m", .seconds(300)),
        ("1h", .seconds(3600)),
        ("1h30m", .seconds(5400)),
        ("1h0m5s", .seconds(3605)),
        ("1m500ms", .milliseconds(60_500)),
        (" 2m ", .seconds(120)),
        ("5M", .seconds(300)),
        ("0s", .zero),
        ("30d", .seconds(30 * 86_400)),
    ])
    func parses(text: String, expected: Duration) {
        #expect(DurationText.parse(text) == expected)
    }

    @Test(arguments: [
        "", "  ", "5", "5x", "m", "ms", "h1", "1.5h", "-5s", "1h 30m", "1h30", "5mm", "5 s", "1w",
        "99999999999999999999s", "9223372036854775807h", "9223372036854775807m", "9223372036854775807s",
    ])
    func rejects(text: String) {
        #expect(DurationText.parse(text) == nil)
    }

    @Test(arguments: [
        (Duration.seconds(30), "30s"),
        (.seconds(300), "5m"),
        (.seconds(5400), "1h30m"),
        (.seconds(3600), "1h"),
        (.seconds(3661), "1h1m1s"),
        (.milliseconds(250), "250ms"),
        (.milliseconds(1500), "1500ms"),
        (.zero, "0s"),
        (.seconds(86_400), "24h"),
    ])
    func formats(duration: Duration, expected: String) {
        #expect(DurationText.format(duration) == expected)
    }

    @Test(arguments: ["250ms", "30s", "5m", "1h30m", "2h", "1h1m1s", "1500ms", "90m", "3600s"])
    func roundTrips(text: String) throws {
        let duration = try #require(DurationText.parse(text))
        let formatted = DurationText.format(duration)
        #expect(DurationText.parse(formatted) == duration)
    }

    @Test func formatIsCanonical() {
        #expect(DurationText.parse("90m").map(DurationText.format) == "1h30m")
        #expect(DurationText.parse("3600s").map(DurationText.format) == "1h")
        #expect(DurationText.parse("1000ms").map(DurationText.format) == "1s")
    }
}
