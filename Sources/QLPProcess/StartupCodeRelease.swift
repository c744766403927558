#if canImport(Glibc)
    import Glibc
#endif

/// Unmaps the program's own code pages once start-up is over, so that only
/// the code the program goes on running is mapped again.
///
/// A running `qlp gateway` had 18.4 MB of its binary's 32 MB of code resident:
/// start-up (argument parsing, YAML, the config checks, SQLite schema work)
/// runs once, and the kernel maps code in windows around each page first
/// executed, so those pages stay mapped for the life of the process. They are
/// clean file pages, but mapped ones count in RSS and in a container's memory
/// and are the last the kernel reclaims. `MADV_PAGEOUT` (Linux 5.4) unmaps
/// them; the pages the program still runs fault back in from the page cache
/// (minor faults, once), the rest stay out.
public enum StartupCodeRelease {
    /// What happened, for the log: how much code was mapped, or why nothing was done.
    public enum Outcome: Sendable, Equatable {
        case released(bytes: Int)
        case notFound
        case refused(errno: Int32)
    }

    /// MADV_PAGEOUT (Linux 5.4), which Glibc's headers here do not name.
    static let pageOut: Int32 = 21

    /// Pages out the executable's code mappings (r-xp mappings of /proc/self/exe's file).
    @discardableResult
    public static func release() -> Outcome {
        #if os(Linux)
            guard let executable = executablePath(), let maps = try? readText("/proc/self/maps") else { return .notFound }
            let ranges = codeRanges(inMaps: maps, of: executable)
            guard !ranges.isEmpty else { return .notFound }
            var total = 0
            for range in ranges {
                let length = Int(range.upperBound - range.lowerBound)
                guard let start = UnsafeMutableRawPointer(bitPattern: Int(range.lowerBound)) else { continue }
                if madvise(start, length, Self.pageOut) != 0 { return .refused(errno: errno) }
                total += length
            }
            return .released(bytes: total)
        #else
            return .notFound
        #endif
    }

    /// The executable mappings of `path` in a /proc/PID/maps text: "start-end r-xp offset dev inode path".
    public static func codeRanges(inMaps maps: String, of path: String) -> [Range<UInt>] {
        maps.split(separator: "\n").compactMap { line -> Range<UInt>? in
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 6, fields[1].hasPrefix("r-x"), fields[5...].joined(separator: " ") == path else { return nil }
            let bounds = fields[0].split(separator: "-")
            guard bounds.count == 2, let low = UInt(bounds[0], radix: 16), let high = UInt(bounds[1], radix: 16), low < high else {
                return nil
            }
            return low..<high
        }
    }

    private static func executablePath() -> String? {
        var buffer = [CChar](repeating: 0, count: 4096)
        let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard count > 0 else { return nil }
        return String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    private static func readText(_ path: String) throws -> String {
        guard let file = fopen(path, "r") else { throw ReadFailure() }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16_384)
        while true {
            let count = fread(&chunk, 1, chunk.count, file)
            if count <= 0 { break }
            bytes += chunk[..<count]
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private struct ReadFailure: Error {}
}
