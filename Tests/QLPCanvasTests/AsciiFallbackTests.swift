import QLPCanvas
import Testing

@Suite struct AsciiFallbackTests {
    @Test func fallbackKeepsASCIIAndReplacesKnownSymbols() {
        #expect(AsciiFallback.text("gpt4 40→30 · ≥80 …") == "gpt4 40->30 | >=80 ...")
        #expect(AsciiFallback.text("plain text") == "plain text")
        // A name in another script is data: left for the terminal to mark.
        #expect(AsciiFallback.text("名前") == "名前")
    }

    @Test func anASCIICanvasTakesTheStandIns() {
        var canvas = Canvas(width: 20, height: 1)
        canvas.asciiOnly = true
        canvas.put("j/↓ 40→30", x: 0, y: 0)
        #expect(canvas.text == "j/Down 40->30")
    }

    /// A long word (a URL) stays whole when asked: doctor's lines are copied, not read.
    @Test func wrapCanKeepLongWordsWhole() {
        let url = "https://management.azure.com/subscriptions/0000/providers/Microsoft.Insights/metricDefinitions"
        #expect(DisplayWidth.wrap("see \(url) now", to: 30, splittingLongWords: false) == ["see", url, "now"])
        #expect(DisplayWidth.wrap("see \(url)", to: 30).count > 2)
    }
}
