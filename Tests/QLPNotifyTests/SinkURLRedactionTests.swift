import QLPNotify
import Testing

@Suite("Sink URL redaction")
struct SinkURLRedactionTests {
    @Test func onlySchemeAndHostAreShown() {
        #expect(SinkURLRedaction.schemeAndHost(NotifyFixtures.slackURL) == "https://hooks.slack.com")
        #expect(SinkURLRedaction.schemeAndHost("HTTPS://Alerts.Example.com:8443/hook?token=x#f") == "https://alerts.example.com:8443")
        #expect(SinkURLRedaction.schemeAndHost("https://user:pw@host.example/x") == "https://host.example")
        #expect(SinkURLRedaction.schemeAndHost("https://host.example?token=abc") == "https://host.example")
        #expect(SinkURLRedaction.schemeAndHost("not a url/secret") == "<address not shown>")
    }

    @Test func scrubRemovesTheURLAndItsTokensFromText() {
        let echoed = "no such hook: \(NotifyFixtures.slackURL) (path /services/\(NotifyFixtures.slackToken), token SlackSecretToken123)"
        let scrubbed = SinkURLRedaction.scrub(echoed, url: NotifyFixtures.slackURL)
        #expect(!NotifyFixtures.containsSecret(scrubbed), "\(scrubbed)")
        #expect(scrubbed.hasPrefix("no such hook: https://hooks.slack.com/…"))
        #expect(SinkURLRedaction.scrub("fine", url: NotifyFixtures.slackURL) == "fine")
    }
}
