import Foundation
import Testing

@testable import QLPDashboard

#if canImport(Glibc)
    import Glibc
#endif

struct StandardErrorRedirectTests {
    @Test func stderrGoesToTheLogFileUntilRestored() throws {
        let path = NSTemporaryDirectory() + "qlp-stderr-\(UUID().uuidString).log"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try "before\n".write(toFile: path, atomically: true, encoding: .utf8)
        let redirect = try #require(StandardErrorRedirect(appendingTo: path))
        let line = "stray library output \(UUID().uuidString)\n"
        _ = line.withCString { write(STDERR_FILENO, $0, strlen($0)) }
        redirect.restore()
        redirect.restore()  // a second call does nothing
        let after = "after restore \(UUID().uuidString)\n"
        _ = after.withCString { write(STDERR_FILENO, $0, strlen($0)) }
        let logged = try String(contentsOfFile: path, encoding: .utf8)
        // Other tests run alongside and may write to stderr too: check only what this one wrote.
        #expect(logged.hasPrefix("before\n"))
        #expect(logged.contains(line))
        #expect(!logged.contains(after))
    }

    @Test func anUnwritableLogLeavesStderrAlone() {
        #expect(StandardErrorRedirect(appendingTo: "/nonexistent-dir/qlp.log") == nil)
    }
}
