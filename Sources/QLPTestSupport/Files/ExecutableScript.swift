#if canImport(Glibc)
    import Glibc
#endif

/// Writes a /bin/sh script a test then runs. Its descriptor is opened
/// close-on-exec: Foundation's `write(toFile:atomically:)` writes through
/// mkstemp, whose descriptor is not, so a process another test started at
/// that moment kept the script open for writing for its whole life, and
/// running the script failed with ETXTBSY ("Text file busy", seen in a
/// fresh-clone run of the suite).
public enum ExecutableScript {
    public struct WriteError: Error, CustomStringConvertible {
        public var path: String
        public var errno: Int32
        public var description: String { "cannot write the script \(path): errno \(errno)" }
    }

    /// Writes `#!/bin/sh`, `body` and a newline to `path`, mode 0755, replacing what was there.
    public static func write(_ body: String, to path: String) throws(WriteError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o755)
        guard descriptor >= 0 else { throw WriteError(path: path, errno: errno) }
        defer { close(descriptor) }
        let bytes = Array(("#!/bin/sh\n" + body + "\n").utf8)
        var written = 0
        while written < bytes.count {
            let count = bytes[written...].withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { throw WriteError(path: path, errno: errno) }
            written += count
        }
        // The umask may have taken bits off the mode open() was given.
        guard fchmod(descriptor, 0o755) == 0 else { throw WriteError(path: path, errno: errno) }
    }
}
