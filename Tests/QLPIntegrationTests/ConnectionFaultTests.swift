import Foundation
import QLPAzure
import QLPCore
import QLPDashboard
import QLPEmulator
import QLPHTTP
import Testing

@testable import QLPFeed

/// The emulator's two connection faults (issue 14's fault matrix lists both):
/// `truncated` promises a Content-Length and closes part-way through the body;
/// `reset` aborts the connection with a TCP RST instead of answering. A client
/// sees each as the failure it is, and the next request on that endpoint,
/// once the fault is cleared, is answered whole.
@Suite struct ConnectionFaultTests {
    @Test func truncatedAndResetAreParsedFromASpec() throws {
        #expect(try FaultSpec.parse("ollama=truncated").1 == EndpointFault(truncatedBody: true))
        #expect(try FaultSpec.parse("cost.query=reset,count:1").1 == EndpointFault(remaining: 1, resetConnection: true))
        #expect { _ = try FaultSpec.parse("ollama=cut") } throws: { "\($0)".contains("truncated, reset") }
    }

    @Test func aTruncatedBodyEndsTheTransferWithAnError() async throws {
        try await withHarness { h in
            h.emulator.faults.set(EndpointFault(truncatedBody: true), for: .ollama)
            do {
                let response = try await h.transport.send(HTTPRequest(method: .get, url: "\(h.base)/api/tags"))
                Issue.record("a body cut short was taken as an answer: \(response.status), \(response.body.count) bytes")
            } catch let error as HTTPTransportError {
                guard case .transferFailed(_, let breakage, let detail) = error else {
                    Issue.record("expected a failed transfer, got \(error)")
                    return
                }
                #expect(breakage == .cutShort, "CURLE_PARTIAL_FILE expected: \(detail)")
                #expect(detail.hasPrefix("curl error 18: "), "\(detail)")
                #expect("\(error)".contains("remaining"), "\(error)")
            }
            h.emulator.faults.clearAll()
            let whole = try await h.transport.send(HTTPRequest(method: .get, url: "\(h.base)/api/tags"))
            #expect(whole.status == 200)
            #expect((try? JSONSerialization.jsonObject(with: Data(whole.body))) != nil)
        }
    }

    @Test func aResetConnectionIsNamedAsOne() async throws {
        try await withHarness { h in
            h.emulator.faults.set(EndpointFault(resetConnection: true), for: .ollama)
            do {
                let response = try await h.transport.send(HTTPRequest(method: .get, url: "\(h.base)/api/tags"))
                Issue.record("a reset connection was taken as an answer: \(response.status)")
            } catch {
                #expect("\(error)".lowercased().contains("reset"), "\(error)")
            }
            #expect(h.emulator.statistics.responses(from: .ollama, status: 200) == 0)
            h.emulator.faults.clearAll()
            let whole = try await h.transport.send(HTTPRequest(method: .get, url: "\(h.base)/api/tags"))
            #expect(whole.status == 200)
        }
    }

    /// The cost panel keeps its last good data and says which failure it met
    /// (both were "network error" before, the same words as any other).
    @Test func theCostPanelNamesEachAndKeepsItsData() async throws {
        try await withHarness(pageSize: 400) { h in
            let plan = try EmulatorHarness.examplePlan()
            let identity = DashboardIdentity(
                subscriptionID: h.emulator.configuration.subscriptionID, resourceGroup: "rg",
                isDemo: true, configPath: nil, logFile: "/dev/null")
            let store = DashboardStateStore(DashboardState(identity: identity, plan: plan, costRefresh: .seconds(30)))
            let poller = CostPoller(
                client: h.client, scope: h.scope, store: store, history: nil, interval: .seconds(30),
                wake: WakeSignal(), clock: { EmulatorHarness.clock })
            var schedule = poller.startingSchedule
            _ = await poller.refreshRecordingFailure(schedule: &schedule)
            let good = try #require(store.state.cost.value?.overview.credit.spent)

            h.emulator.faults.set(EndpointFault(truncatedBody: true), for: .costQuery)
            _ = await poller.refreshRecordingFailure(schedule: &schedule)
            let cut = try #require(store.state.cost.problem, "a cut answer left no problem on the panel")
            #expect(cut.summary == "answer cut short", "\(cut.summary)")
            #expect(cut.detail.contains("Cost Management") && cut.detail.contains("remaining to read"), "\(cut.detail)")
            #expect(store.state.cost.value?.overview.credit.spent == good, "last good data kept")

            h.emulator.faults.set(EndpointFault(resetConnection: true), for: .costQuery)
            _ = await poller.refreshRecordingFailure(schedule: &schedule)
            let reset = try #require(store.state.cost.problem, "a reset left no problem on the panel")
            #expect(reset.summary == "connection reset", "\(reset.summary)")
            #expect(reset.detail.contains("Cost Management") && reset.detail.contains("reset by peer"), "\(reset.detail)")
            #expect(store.state.cost.value?.overview.credit.spent == good, "last good data kept")

            h.emulator.faults.clearAll()
            _ = await poller.refreshRecordingFailure(schedule: &schedule)
            #expect(store.state.cost.problem == nil)
        }
    }
}
