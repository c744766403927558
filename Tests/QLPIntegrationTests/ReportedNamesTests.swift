import Foundation
import QLPAzure
import QLPCore
import QLPEmulator
import QLPHTTP
import Testing

/// The emulator reports a service or budget under a name a test chooses
/// (`qlp emulate --resource-name`, /_emulator/names, `AzureEmulator.names`),
/// and the real clients read it back over the wire, controls and all.
@Suite struct ReportedNamesTests {
    static let hostile = "\u{1B}[2J\u{1B}]0;PWNED\u{07}Event\u{9B}6n\u{9D}0;HIJACK\u{07}Grid\u{08}\r!"
    static let november = (CivilDate(year: 2026, month: 11, day: 1)!, CivilDate(year: 2026, month: 11, day: 25)!)

    @Test func specsUnescapeWhatAShellCannotType() throws {
        let (old, new) = try ResourceRenameSpec.parse(#"Event Grid=\e[2J\e]0;PWNED\aEvent\x9b6n\x9D0;HIJACK\a\u{7}Grid\b\r!\\"#)
        #expect(old == "Event Grid")
        #expect(new == "\u{1B}[2J\u{1B}]0;PWNED\u{07}Event\u{9B}6n\u{9D}0;HIJACK\u{07}\u{07}Grid\u{08}\r!\\")
        #expect(try ResourceRenameSpec.parseAll(["a=b", "a=c=d"]) == ["a": "c=d"])
        for (text, words) in [
            ("Event Grid", "expected OLD=NEW"), ("=x", "expected OLD=NEW"), ("a=", "empty"),
            (#"a=\q"#, #"unknown escape '\q'"#), (#"a=\x9"#, "two hex digits"), (#"a=\u{110000}"#, "not a code point"),
            ("a=b\\", "a '\\' at the end"),
        ] {
            #expect { _ = try ResourceRenameSpec.parse(text) } throws: { "\($0)".contains(words) }
        }
        // A message about a spec holding raw controls names them, it does not send them.
        #expect { _ = try ResourceRenameSpec.parse("\u{1B}]0;x\u{07}") } throws: { error in
            "\(error)".contains("\\u{1b}]0;x\\u{7}") && !"\(error)".unicodeScalars.contains { $0.value < 0x20 }
        }
    }

    @Test func costManagementReportsTheRenamedServiceWithTheSameCost() async throws {
        try await withHarness { h in
            let before = try await h.client.dailyCostsByService(scope: h.scope, from: Self.november.0, to: Self.november.1).costs
            h.emulator.names.rename("Event Grid", to: Self.hostile)
            let after = try await h.client.dailyCostsByService(scope: h.scope, from: Self.november.0, to: Self.november.1).costs
            #expect(!after.contains { $0.service == "Event Grid" })
            let renamed = after.filter { $0.service == Self.hostile }
            #expect(renamed.count == 25, "one row a day under the new name, controls intact")
            #expect(renamed.map(\.amount) == before.filter { $0.service == "Event Grid" }.map(\.amount))
            #expect(after.count == before.count)
            h.emulator.names.restore("Event Grid")
            let restored = try await h.client.dailyCostsByService(scope: h.scope, from: Self.november.0, to: Self.november.1).costs
            #expect(restored == before)
        }
    }

    @Test func aServiceNameFilterMatchesTheReportedName() async throws {
        try await withHarness { h in
            h.emulator.names.rename("Event Grid", to: "Grid of Events")
            let token = try await h.tokens.token(for: AzureEndpoints.publicCloud.managementScope).token.reveal()
            func services(filteredOn name: String) async throws -> Set<String> {
                let body = """
                    {"type":"ActualCost","timeframe":"Custom","timePeriod":{"from":"2026-11-01","to":"2026-11-25"},
                     "dataset":{"granularity":"None","grouping":[{"type":"Dimension","name":"ServiceName"}],
                                "filter":{"dimensions":{"name":"ServiceName","operator":"In","values":["\(name)"]}}}}
                    """
                let response = try await h.transport.send(
                    HTTPRequest(
                        method: .post, url: "\(h.base)/\(h.scope)/providers/Microsoft.CostManagement/query?api-version=2023-11-01",
                        headers: ["Content-Type": "application/json", "Authorization": "Bearer \(token)"], body: Array(body.utf8)))
                #expect(response.status == 200)
                let object = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]
                let rows = (object?["properties"] as? [String: Any])?["rows"] as? [[Any]] ?? []
                return Set(rows.compactMap { $0.count > 1 ? $0[1] as? String : nil })
            }
            #expect(try await services(filteredOn: "Grid of Events") == ["Grid of Events"])
            #expect(try await services(filteredOn: "Event Grid").isEmpty, "Azure knows only the current name")
        }
    }

    @Test func budgetsAreRenamedOverTheAdminAPIAndRestored() async throws {
        try await withHarness { h in
            func put(_ body: String) async throws -> HTTPResponse {
                try await h.transport.send(
                    HTTPRequest(
                        method: .put, url: "\(h.base)/_emulator/names",
                        headers: ["Content-Type": "application/json"], body: Array(body.utf8)))
            }
            let set = try await put(#"{"quantumlayer-monthly": "qlp\u001b]0;PWNED\u0007\u009b6n-monthly"}"#)
            #expect(set.status == 200)
            let listed = try JSONSerialization.jsonObject(with: Data(set.body)) as? [String: String]
            #expect(listed == ["quantumlayer-monthly": "qlp\u{1B}]0;PWNED\u{07}\u{9B}6n-monthly"])
            let budgets = BudgetsClient(
                transport: h.transport, tokens: h.tokens, management: h.base,
                tokenScope: AzureEndpoints.publicCloud.managementScope)
            let renamed = try await budgets.list(scope: h.scope)
            #expect(renamed.map(\.name) == ["qlp\u{1B}]0;PWNED\u{07}\u{9B}6n-monthly"])
            for bad in ["[]", #"{"x": ""}"#, "{}", "not json"] {
                let refused = try await put(bad)
                #expect(refused.status == 400, "\(bad)")
                #expect(String(decoding: refused.body, as: UTF8.self).contains("own name to reported name"))
            }
            let cleared = try await h.transport.send(HTTPRequest(method: .delete, url: "\(h.base)/_emulator/names"))
            #expect(cleared.status == 204)
            #expect(try await budgets.list(scope: h.scope).map(\.name) == ["quantumlayer-monthly"])
        }
    }
}
