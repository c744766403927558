import Foundation
import QLPCore
import QLPHTTP
import QLPStore
import Testing

@testable import QLPGateway

/// Issue 14, finding 9: the audit log is printed (`qlp routes audit`), so a
/// reason or an actor that carries a control character is refused by the
/// admin API, and one that reached the store anyway prints as one inert line.
@Suite("Admin API: control characters", .serialized)
struct AdminControlCharacterTests {
    /// As JSON string escapes: a forged audit line, clear the screen, a C1 CSI, a right-to-left override, a bell.
    static let hostileReasons = [
        #"cheaper\n#99  2026-01-01 00:00:00 UTC  root  v1→v2"#, #"cheaper\u001b[2J"#, #"cheaper\u009b6n"#,
        #"cheaper\u202egpj.exe"#, #"cheaper\u0007"#, #"cheaper\rroot"#,
    ]

    @Test func finding09_aReasonWithAControlCharacterIsRefusedNamingTheField() async throws {
        let admin = try await AdminHarness.start()
        do {
            for reason in Self.hostileReasons {
                let response = try await admin.send(
                    .put, "/admin/routes/chat/weights",
                    #"{"version":1,"weights":{"gpt4":20,"gpt35":60,"llama3":20},"reason":"\#(reason)"}"#)
                #expect(response.status == 400, "\(reason): \(response.status) \(response.bodyText)")
                let message = object(response)["error"] as? String ?? ""
                #expect(message.contains("field 'reason'") && message.contains("control character"), "\(reason): \(message)")
            }
            let undo = try await admin.send(.post, "/admin/undo", #"{"reason":"oops\u001b]0;PWNED\u0007"}"#)
            #expect(undo.status == 400, "\(undo.bodyText)")
            // Nothing was applied or recorded.
            #expect(admin.live.snapshot.table.version == 1)
            #expect(try await admin.store.audit(limit: 10).count == 1)
            // A plain reason still goes through.
            let plain = try await admin.send(
                .put, "/admin/routes/chat/weights",
                #"{"version":1,"weights":{"gpt4":20,"gpt35":60,"llama3":20},"reason":"cheaper, per finance"}"#)
            #expect(plain.status == 200, "\(plain.bodyText)")
        }
        await admin.stop()
    }

    @Test func finding09_anActorHeaderWithAControlCharacterIsRefusedNamingTheHeader() async throws {
        let admin = try await AdminHarness.start()
        do {
            for actor in ["mallory\u{202E}ecila", "mallory\u{9B}6n", "mallory\tadmin"] {
                let response = try await admin.send(.post, "/admin/targets/gpt4/drain", #"{"version":1}"#, actor: actor)
                #expect(response.status == 400, "\(actor.debugDescription): \(response.bodyText)")
                #expect((object(response)["error"] as? String)?.contains("header X-QLP-Actor") == true, "\(response.bodyText)")
            }
            #expect(admin.live.snapshot.table.version == 1)
        }
        await admin.stop()
    }

    @Test func finding09_aForgedReasonInTheStorePrintsAsOneInertLine() async throws {
        let admin = try await AdminHarness.start()
        do {
            // Written to the store directly, as an older version or a hand edit could have.
            let forged =
                "cheaper\n#99  2026-01-01 00:00:00 UTC  root  v1→v2\n    chat weights: gpt4 40→100\u{1B}[2J\u{1B}]0;PWNED\u{07}\u{9B}6n\r\u{202E}"
            try await admin.store.recordRejected(
                audit: RouteAuditDraft(
                    actor: "mallory\n#98  forged", action: .setWeights,
                    summary: "chat weights\u{1B}[31m", reason: forged,
                    rejection: "stale\nrefused: nothing"))
            let client = AdminAPIClient(baseURL: admin.base, token: Secret(AdminHarness.token), actor: "test", transport: admin.transport)
            let view = try await client.audit(limit: 10)
            let text = RouteTableText.audit(view.entries)
            let bad = text.unicodeScalars.filter {
                ($0.value < 0x20 && $0 != "\n") || (0x7F...0x9F).contains($0.value) || (0x202A...0x202E).contains($0.value)
            }
            #expect(bad.isEmpty, "\(bad.map { String($0.value, radix: 16) }) in \(text.debugDescription)")
            // Two entries (the forged one and the seed), each its header line and its summary, reason and refusal lines.
            let lines = text.split(separator: "\n")
            #expect(lines.filter { $0.hasPrefix("#") }.count == 2, "\(text)")
            #expect(!lines.contains { $0.hasPrefix("#99") || $0.hasPrefix("#98") || $0.hasPrefix("refused: nothing") }, "\(text)")
            #expect(text.contains("reason: cheaper?#99  2026-01-01"), "\(text)")
            #expect(!text.contains("PWNED"))
        }
        await admin.stop()
    }
}
