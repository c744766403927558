import Foundation
import QLPCore
import QLPHTTP
import QLPNotify
import QLPStore
import QLPTestSupport
import Testing

/// The production path: CurlTransport against a real receiver on 127.0.0.1.
@Suite("Delivery over libcurl to a loopback receiver")
struct CurlDeliveryTests {
    @Test func theNotifierPostsTheBodyAndHeadersOverCurl() async throws {
        let receiver = LoopbackReceiver()
        let base = try await receiver.start()
        let transport = CurlTransport()
        let directory = NotifyFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try NotificationOutbox(path: directory + "/n.sqlite")
        let sink = NotificationSink(name: "local", destination: .webhook(url: Secret(base + "/hook?token=WebhookSecretQuery789")))
        let notifier = Notifier(settings: NotificationSettings(sinks: [sink]), outbox: store, transport: transport)
        let transition = NotifyFixtures.raised()
        await notifier.submit([transition])
        await notifier.deliverDue()
        await receiver.stop()
        transport.shutdown()

        #expect(try store.messages().first?.state == .delivered)
        let request = try #require(receiver.requests.first)
        let parts = request.components(separatedBy: "\r\n\r\n")
        let head = parts[0].lowercased()
        #expect(head.hasPrefix("post /hook?token=webhooksecretquery789 http/1.1"))
        #expect(head.contains("\r\ncontent-type: application/json"))
        #expect(head.contains("\r\nuser-agent: qlp"))
        #expect(head.contains("\r\nidempotency-key: \(IdempotencyKey.of(transition))"))
        let body = try NotifyFixtures.json(Array(parts.dropFirst().joined(separator: "\r\n\r\n").utf8))
        #expect(body["schema"] as? String == "qlp.alert.v1" && body["id"] as? String == transition.alert.key)
    }

    @Test func sinkTestReportsTheReceiversAnswerAndReachabilityConnectsWithoutSending() async throws {
        let receiver = LoopbackReceiver(reply: "HTTP/1.1 400 Bad Request\r\ncontent-length: 12\r\nconnection: close\r\n\r\ninvalid_blob")
        let base = try await receiver.start()
        let transport = CurlTransport()
        let sink = NotificationSink(
            name: "chat", destination: .slack(url: Secret(base + "/services/T0000000/B0000000/SlackSecretToken123")))
        let tester = SinkTest(transport: transport)

        let reachable = await tester.checkReachability(sink)
        #expect(reachable.outcome == .ok)
        #expect(receiver.requests.isEmpty, "a reachability check sent a request")

        let result = await tester.sendTest(to: sink)
        await receiver.stop()
        transport.shutdown()
        #expect(result.outcome == .refused && result.status == 400 && result.detail == "invalid_blob")
        #expect(result.description == "chat (\(base)): HTTP 400: invalid_blob")
        let slack = try NotifyFixtures.json(Array((receiver.requests.first ?? "").components(separatedBy: "\r\n\r\n").last!.utf8))
        #expect((slack["text"] as? String)?.hasPrefix("[qlp TEST]") == true)

        // Nothing listens there (a port held so that no test running beside this one takes it): both say so, with the host only.
        let closed = try ReservedLoopbackPort()
        let moved = NotificationSink(
            name: "chat", destination: .slack(url: Secret(closed.base + "/services/T0000000/B0000000/SlackSecretToken123")))
        let gone = await tester.checkReachability(moved)
        #expect(gone.outcome == .unreachable && gone.detail == "cannot connect", "\(gone.description)")
        let another = CurlTransport()
        let unsent = await SinkTest(transport: another).sendTest(to: moved)
        another.shutdown()
        #expect(unsent.outcome == .unreachable)
        #expect(!NotifyFixtures.containsSecret(gone.description + unsent.description))
    }
}
