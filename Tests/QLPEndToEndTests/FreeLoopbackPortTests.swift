import QLPTestSupport
import Testing

/// `freeLoopbackPort()` hands a port out once per test process. The kernel's
/// pick for port 0 is released again, so two calls could get the same port:
/// a whole-suite run once gave one gateway the same port for its admin API
/// and its data plane ("the gateway cannot listen on 127.0.0.1:41733: …
/// Address already in use", the admin API already listening there).
@Suite struct FreeLoopbackPortTests {
    @Test func noPortIsHandedOutTwice() throws {
        let ports = try (0..<1000).map { _ in try freeLoopbackPort() }
        let repeated = Dictionary(grouping: ports, by: { $0 }).filter { $0.value.count > 1 }.keys.sorted()
        #expect(repeated.isEmpty, "\(repeated.count) ports handed out more than once, e.g. \(repeated.prefix(5))")
    }
}
