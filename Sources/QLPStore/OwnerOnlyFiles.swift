import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Files qlp keeps for one user: the state directory, its SQLite databases
/// (with their -wal and -shm), the log and the finance reports. Cost figures,
/// route audits and logs are that user's business, so directories qlp creates
/// are 0700 and its files 0600 whatever the umask.
///
/// A directory that already exists is left as it is: `dashboard.state_dir`
/// and `dashboard.log_file` are the user's choice and may name a directory
/// shared on purpose; the files inside are 0600 (and tightened when qlp finds
/// its own file looser), so at most their names show.
public enum OwnerOnlyFiles {
    public static let directoryMode: mode_t = 0o700
    public static let fileMode: mode_t = 0o600

    public struct Failure: LocalizedError, Sendable, Equatable, CustomStringConvertible {
        public var path: String
        public var reason: String

        public var description: String { "\(path): \(reason)" }
        public var errorDescription: String? { description }
    }

    /// Creates `path` and any missing parent, each 0700.
    public static func makeDirectory(_ path: String) throws(Failure) {
        guard !path.isEmpty, !isDirectory(path) else { return }
        let parent = (path as NSString).deletingLastPathComponent
        if !parent.isEmpty, parent != path { try makeDirectory(parent) }
        if mkdir(path, directoryMode) != 0, errno != EEXIST {
            throw Failure(path: path, reason: "cannot create the directory: \(String(cString: strerror(errno)))")
        }
        // mkdir applies the umask; a umask cannot widen 0700, but say what is meant.
        _ = chmod(path, directoryMode)
    }

    /// Creates `path` empty at 0600 if it does not exist; an existing file of
    /// ours looser than that is tightened (earlier versions wrote 0644).
    public static func prepareFile(_ path: String) throws(Failure) {
        let fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, fileMode)
        guard fd >= 0 else {
            throw Failure(path: path, reason: "cannot create the file: \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        try tighten(fd: fd, path: path)
    }

    /// Prepares an SQLite database file and tightens a -wal or -shm left by an
    /// earlier run. SQLite gives a new -wal and -shm the database file's own
    /// mode, so a 0600 database keeps its companions 0600 too.
    public static func prepareDatabase(_ path: String) throws(Failure) {
        try makeDirectory((path as NSString).deletingLastPathComponent)
        try prepareFile(path)
        for suffix in ["-wal", "-shm", "-journal"] {
            let companion = path + suffix
            let fd = open(companion, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { continue }
            defer { close(fd) }
            try tighten(fd: fd, path: companion)
        }
    }

    /// Writes `bytes` to `path` atomically (a temporary file in the same
    /// directory, renamed over it), the result 0600 whatever `path` was before.
    public static func write(_ bytes: [UInt8], to path: String) throws(Failure) {
        let directory = (path as NSString).deletingLastPathComponent
        let temporary = (directory.isEmpty ? "." : directory) + "/.\((path as NSString).lastPathComponent).\(getpid()).tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_EXCL | O_CLOEXEC, fileMode)
        guard fd >= 0 else {
            throw Failure(path: path, reason: "cannot create \(temporary): \(String(cString: strerror(errno)))")
        }
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + written, bytes.count - written) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else {
                let reason = String(cString: strerror(errno))
                close(fd)
                unlink(temporary)
                throw Failure(path: path, reason: "cannot write: \(reason)")
            }
            written += count
        }
        let synced = fsync(fd) == 0
        close(fd)
        guard synced, rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw Failure(path: path, reason: "cannot write: \(reason)")
        }
    }

    private static func tighten(fd: Int32, path: String) throws(Failure) {
        var info = stat()
        guard fstat(fd, &info) == 0 else { return }
        // Only a file of ours, and only the permission bits beyond the owner's.
        guard info.st_uid == geteuid(), info.st_mode & 0o077 != 0 else { return }
        if fchmod(fd, info.st_mode & 0o700) != 0 {
            throw Failure(path: path, reason: "cannot make it private (chmod 600): \(String(cString: strerror(errno)))")
        }
    }

    private static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }
}
