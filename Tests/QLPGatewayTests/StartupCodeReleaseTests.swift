import Foundation
import QLPProcess
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `qlp gateway` unmaps its code once it listens (`StartupCodeRelease`), so
/// that the start-up code it never runs again stops counting in its RSS.
@Suite struct StartupCodeReleaseTests {
    @Test func theExecutablesCodeMappingsAreFoundInAMapsText() {
        let maps = """
            55beb82c6000-55beb8b43000 r--p 00000000 fe:00 1234 /opt/qlp/bin/qlp
            55beb8b43000-55bebab6f000 r-xp 0087c000 fe:00 1234 /opt/qlp/bin/qlp
            55bebacbb000-55bebd26d000 rw-p 029f2000 fe:00 1234 /opt/qlp/bin/qlp
            7fda4f86d000-7fda5006d000 rw-p 00000000 00:00 0
            7fda50100000-7fda50200000 r-xp 00028000 fe:00 99 /usr/lib/x86_64-linux-gnu/libc.so.6
            7fda50300000-7fda50301000 r-xp 00000000 fe:00 77 /opt/qlp/bin/qlp copy
            """
        #expect(StartupCodeRelease.codeRanges(inMaps: maps, of: "/opt/qlp/bin/qlp") == [0x55be_b8b4_3000..<0x55be_bab6_f000])
        #expect(StartupCodeRelease.codeRanges(inMaps: maps, of: "/opt/qlp/bin/qlp copy") == [0x7fda_5030_0000..<0x7fda_5030_1000])
        #expect(StartupCodeRelease.codeRanges(inMaps: maps, of: "/usr/bin/other").isEmpty)
    }

    /// On this process: its code resident before and after (each read from /proc/self/smaps).
    @Test func releasingUnmapsCodeThatIsNotRunning() throws {
        // The kernel pages out only clean pages: a test binary linked seconds ago is still dirty in the
        // page cache (the first run here released a third of it), so write it back first, as an
        // installed binary long has been.
        let executable = open("/proc/self/exe", O_RDONLY)
        try #require(executable >= 0)
        fsync(executable)
        close(executable)
        let before = try Self.residentCodeKiB()
        try #require(before > 1024, "only \(before) KiB of code resident to begin with")
        let outcome = StartupCodeRelease.release()
        let after = try Self.residentCodeKiB()
        guard case .released(let bytes) = outcome else {
            Issue.record("nothing released: \(outcome)")
            return
        }
        #expect(bytes > 0)
        // The tests running meanwhile fault their code back in, but far from all of it.
        #expect(after < before / 2, "code resident \(before) KiB before, \(after) KiB after")
    }

    /// KiB resident in this executable's r-xp mappings.
    static func residentCodeKiB() throws -> Int {
        let executable = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        let smaps = try String(contentsOfFile: "/proc/self/smaps", encoding: .utf8)
        var inCode = false
        var total = 0
        for line in smaps.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            if let first = fields.first, first.contains("-"), fields.count >= 5, !first.hasSuffix(":") {
                inCode = fields[1].hasPrefix("r-x") && fields.count >= 6 && fields[5...].joined(separator: " ") == executable
            } else if inCode, fields.first == "Rss:", fields.count >= 2, let kib = Int(fields[1]) {
                total += kib
            }
        }
        return total
    }
}
