import Foundation
import QLPCore
import QLPNotify
import Testing

@Suite("Notification payloads")
struct PayloadTests {
    let transition = NotifyFixtures.raised()

    @Test func theWebhookBodyCarriesEveryFieldOfSchemaV1() throws {
        let body = try NotifyFixtures.json(WebhookPayload.render(AlertFacts(transition)))
        #expect(body["schema"] as? String == "qlp.alert.v1")
        #expect(body["id"] as? String == "budget.monthly.95")
        #expect(body["transition"] as? String == "raised")
        #expect(body["severity"] as? String == "critical")
        #expect(body["source"] as? String == "budget")
        #expect(body["summary"] as? String == "monthly budget past 95%")
        #expect(body["details"] as? String == transition.alert.text)
        #expect(body["raised_at"] as? String == "2026-11-30T00:53:20Z")
        #expect(body["cleared_at"] is NSNull)
        #expect(body["sent_at"] as? String == "2026-11-30T00:53:20Z")
        #expect(body["reminder"] as? Int == 0)
        #expect(body["idempotency_key"] as? String == IdempotencyKey.of(transition))
        #expect(body["test"] as? Bool == false)
        #expect(
            Set(body.keys) == [
                "schema", "id", "transition", "severity", "source", "summary", "details", "raised_at",
                "cleared_at", "sent_at", "reminder", "idempotency_key", "test",
            ])
    }

    /// The exact bytes, as docs/notifications.md shows them: a change here is a change receivers see.
    @Test func theWebhookBodyIsTheDocumentedBytes() {
        let golden =
            #"{"cleared_at":null,"details":"Monthly budget is 96% spent (£960.00 of £1,000.00) with 9 days to go.","#
            + #""id":"budget.monthly.95","idempotency_key":"cb458415b84bdd61c15ea445d15e1b1ed3a5f82a9f0a5ff0738513eb5d5a350e","#
            + #""raised_at":"2026-11-30T00:53:20Z","reminder":0,"schema":"qlp.alert.v1","sent_at":"2026-11-30T00:53:20Z","#
            + #""severity":"critical","source":"budget","summary":"monthly budget past 95%","test":false,"transition":"raised"}"#
        #expect(String(decoding: WebhookPayload.render(AlertFacts(transition)), as: UTF8.self) == golden)
    }

    /// docs/schemas/qlp-alert-v1.schema.json and the renderer agree on the fields and their values.
    @Test func thePublishedSchemaMatchesTheBody() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/schemas/qlp-alert-v1.schema.json")
        let schema = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: path)) as? [String: Any])
        let body = try NotifyFixtures.json(WebhookPayload.render(AlertFacts(transition)))
        #expect(Set(schema["required"] as? [String] ?? []) == Set(body.keys))
        let properties = try #require(schema["properties"] as? [String: [String: Any]])
        #expect(properties["schema"]?["const"] as? String == WebhookPayload.schema)
        #expect(properties["transition"]?["enum"] as? [String] == AlertTransition.Kind.allCases.map(\.name))
        #expect(properties["severity"]?["enum"] as? [String] == AlertSeverity.allCases.map(\.name))
        #expect(properties["source"]?["enum"] as? [String] == AlertSource.allCases.map(\.name))
    }

    @Test func aClearingHasItsTimeAndTheSummaryFallsBackToTheText() throws {
        let alert = NotifyFixtures.alert(source: .costData, headline: nil)
        let cleared = AlertTransition(
            kind: .cleared, alert: alert, raisedAt: NotifyFixtures.t0,
            clearedAt: NotifyFixtures.t0.addingTimeInterval(3600), at: NotifyFixtures.t0.addingTimeInterval(3600))
        let body = try NotifyFixtures.json(WebhookPayload.render(AlertFacts(cleared)))
        #expect(body["transition"] as? String == "cleared" && body["source"] as? String == "cost_data")
        #expect(body["cleared_at"] as? String == "2026-11-30T01:53:20Z")
        #expect(body["summary"] as? String == alert.text)
    }

    @Test func bodiesAreByteStableSoEveryRetryIsTheSame() {
        #expect(WebhookPayload.render(AlertFacts(transition)) == WebhookPayload.render(AlertFacts(transition)))
        #expect(SlackMessage.render(AlertFacts(transition)) == SlackMessage.render(AlertFacts(transition)))
        #expect(TeamsMessage.render(AlertFacts(transition)) == TeamsMessage.render(AlertFacts(transition)))
        // Sorted keys: "cleared_at" comes before "details" in the bytes.
        let text = String(decoding: WebhookPayload.render(AlertFacts(transition)), as: UTF8.self)
        #expect(text.range(of: "\"cleared_at\"")!.lowerBound < text.range(of: "\"details\"")!.lowerBound)
    }

    @Test func slackHasAFallbackTextAndHeaderSectionContextBlocks() throws {
        let body = try NotifyFixtures.json(SlackMessage.render(AlertFacts(transition)))
        #expect(body["text"] as? String == "[qlp CRITICAL] raised: monthly budget past 95%")
        let blocks = try #require(body["blocks"] as? [[String: Any]])
        #expect(blocks.compactMap { $0["type"] as? String } == ["header", "section", "context"])
        let header = try #require(blocks[0]["text"] as? [String: Any])
        #expect(header["type"] as? String == "plain_text")
        #expect((header["text"] as? String ?? "").count <= 150)
        let section = try #require(blocks[1]["text"] as? [String: Any])
        #expect((section["text"] as? String)?.contains("£960.00") == true)
    }

    @Test func slackEscapesWhatWouldPingAChannel() throws {
        let hostile = NotifyFixtures.alert(text: "cost centre <!channel> & <@U123>", headline: "<!here> spend")
        let body = try NotifyFixtures.json(SlackMessage.render(AlertFacts(NotifyFixtures.raised(hostile))))
        let blocks = try #require(body["blocks"] as? [[String: Any]])
        let section = try #require(blocks[1]["text"] as? [String: Any])
        let text = try #require(section["text"] as? String)
        #expect(!text.contains("<!") && text.contains("&lt;!channel&gt; &amp;"))
    }

    @Test func teamsSendsOneAdaptiveCardAttachment() throws {
        let body = try NotifyFixtures.json(TeamsMessage.render(AlertFacts(transition)))
        #expect(body["type"] as? String == "message")
        let attachments = try #require(body["attachments"] as? [[String: Any]])
        #expect(attachments.count == 1)
        #expect(attachments[0]["contentType"] as? String == "application/vnd.microsoft.card.adaptive")
        let card = try #require(attachments[0]["content"] as? [String: Any])
        #expect(card["type"] as? String == "AdaptiveCard")
        let version = try #require(Double(card["version"] as? String ?? ""))
        #expect(version <= 1.4)
        let elements = try #require(card["body"] as? [[String: Any]])
        #expect(elements.first?["text"] as? String == "[qlp CRITICAL] raised: monthly budget past 95%")
        let facts = try #require(elements.last?["facts"] as? [[String: String]])
        #expect(facts.contains { $0["title"] == "Severity" && $0["value"] == "critical" })
    }

    @Test func emailHasTheSubjectLineAndTheFactsInPlainText() {
        let mail = EmailMessage.render(AlertFacts(transition))
        #expect(mail.subject == "[qlp CRITICAL] raised: monthly budget past 95%")
        #expect(mail.body.hasPrefix("monthly budget past 95%\r\n\r\n" + transition.alert.text + "\r\n"))
        #expect(mail.body.contains("Severity:   critical\r\n"))
        #expect(mail.body.contains("Alert:      budget.monthly.95\r\n"))
        #expect(mail.body.contains("Raised:     2026-11-30T00:53:20Z\r\n"))
        #expect(!mail.body.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
    }

    @Test func aSubjectCannotStartANewMailHeader() {
        let hostile = NotifyFixtures.alert(headline: "spend\r\nBcc: everyone@example.com")
        let mail = EmailMessage.render(AlertFacts(NotifyFixtures.raised(hostile)))
        #expect(!mail.subject.contains("\r") && !mail.subject.contains("\n"))
        #expect(mail.subject == "[qlp CRITICAL] raised: spend  Bcc: everyone@example.com")
    }

    @Test func remindersAndTestsSayWhatTheyAre() throws {
        let reminder = AlertTransition(
            kind: .reminder, alert: NotifyFixtures.alert(), raisedAt: NotifyFixtures.t0,
            at: NotifyFixtures.t0.addingTimeInterval(7200), reminder: 2)
        #expect(EmailMessage.render(AlertFacts(reminder)).subject == "[qlp CRITICAL] reminder 2: monthly budget past 95%")
        let test = try NotifyFixtures.json(WebhookPayload.render(AlertFacts(NotifyFixtures.raised(), test: true)))
        #expect(test["test"] as? Bool == true)
        let slack = try NotifyFixtures.json(SlackMessage.render(AlertFacts(NotifyFixtures.raised(), test: true)))
        #expect((slack["text"] as? String)?.hasPrefix("[qlp TEST]") == true)
    }

    @Test func theIdempotencyKeyIsTheSHA256OfTheIdentity() {
        let key = IdempotencyKey.of(transition)
        #expect(key.count == 64 && key.allSatisfy { $0.isHexDigit && !$0.isUppercase })
        #expect(key == IdempotencyKey.of(NotifyFixtures.raised()))
        // SHA-256("abc"), FIPS 180-2's test vector.
        #expect(IdempotencyKey.of(identity: "abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        let reminder = AlertTransition(
            kind: .reminder, alert: transition.alert, raisedAt: transition.raisedAt, at: transition.at, reminder: 1)
        #expect(IdempotencyKey.of(reminder) != key)
    }
}
