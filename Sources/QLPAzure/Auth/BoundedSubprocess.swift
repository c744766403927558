import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs a program to completion or to a deadline, reading its stdout and
/// stderr, on a thread of its own: blocking reads on Swift's cooperative pool
/// (two threads on a two-core machine) would stall every other task while the
/// program hangs. The program gets a process group of its own, so at the
/// deadline the whole group is killed, children that hold the pipes included.
struct BoundedSubprocess {
    struct Result {
        var status: Int32
        var output: [UInt8]
        var error: [UInt8]
    }

    enum Failure: Error, Equatable {
        case cannotStart(String)
        case timedOut
    }

    var path: String
    var arguments: [String]
    var environment: [String: String]
    var timeout: Duration

    func run() async throws(Failure) -> Result {
        let outcome: Swift.Result<Result, Failure> = await withCheckedContinuation { continuation in
            let thread = Thread { continuation.resume(returning: runBlocking()) }
            thread.name = "qlp-subprocess"
            thread.start()
        }
        return try outcome.get()
    }

    private func runBlocking() -> Swift.Result<Result, Failure> {
        var outPipe: [Int32] = [0, 0]
        var errPipe: [Int32] = [0, 0]
        guard pipe(&outPipe) == 0 else { return .failure(.cannotStart("pipe: \(String(cString: strerror(errno)))")) }
        guard pipe(&errPipe) == 0 else {
            close(outPipe[0]); close(outPipe[1])
            return .failure(.cannotStart("pipe: \(String(cString: strerror(errno)))"))
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
        // Nothing else of qlp's (sockets, the history database, files other
        // threads are writing) reaches the program.
        Self.closeInheritedDescriptors(&actions)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP))
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        var spawned = posix_spawn(&pid, path, &actions, &attributes, argv, envp)
        // ETXTBSY: another thread's fork still holds the file open for writing
        // (a just-installed az, a test's script); it clears within moments.
        for _ in 0..<10 where spawned == ETXTBSY {
            usleep(20_000)
            spawned = posix_spawn(&pid, path, &actions, &attributes, argv, envp)
        }
        close(outPipe[1])
        close(errPipe[1])
        guard spawned == 0 else {
            close(outPipe[0]); close(errPipe[0])
            return .failure(.cannotStart(String(cString: strerror(spawned))))
        }

        var output: [UInt8] = []
        var error: [UInt8] = []
        var open: [(fd: Int32, isOutput: Bool)] = [(outPipe[0], true), (errPipe[0], false)]
        let deadline = ContinuousClock.now + timeout
        var timedOut = false
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !open.isEmpty {
            let left = deadline - ContinuousClock.now
            guard left > .zero else {
                timedOut = true
                break
            }
            var fds = open.map { pollfd(fd: $0.fd, events: Int16(POLLIN), revents: 0) }
            let milliseconds = Int32(min(1_000, max(1, left.components.seconds * 1_000 + left.components.attoseconds / 1_000_000_000_000_000)))
            let ready = poll(&fds, nfds_t(fds.count), milliseconds)
            if ready < 0, errno == EINTR { continue }
            guard ready > 0 else { continue }
            var finished: [Int32] = []
            for entry in fds where entry.revents != 0 {
                let count = read(entry.fd, &buffer, buffer.count)
                if count > 0 {
                    if open.first(where: { $0.fd == entry.fd })?.isOutput == true {
                        output += buffer[0..<count]
                    } else {
                        error += buffer[0..<count]
                    }
                } else if count == 0 || (errno != EINTR && errno != EAGAIN) {
                    finished.append(entry.fd)
                }
            }
            for fd in finished { close(fd) }
            open.removeAll { finished.contains($0.fd) }
        }
        if timedOut {
            kill(-pid, SIGKILL)
            for entry in open { close(entry.fd) }
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1, errno == EINTR {}
        if timedOut { return .failure(.timedOut) }
        // WIFEXITED / WEXITSTATUS, spelled out (the macros do not import).
        let exitStatus = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return .success(Result(status: exitStatus, output: output, error: error))
    }

    private typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32

    /// glibc 2.34's posix_spawn_file_actions_addclosefrom_np, looked up at run
    /// time (Swift's Glibc module is built without _GNU_SOURCE, which hides it).
    private static let addCloseFrom: AddCloseFrom? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") else { return nil }
        return unsafeBitCast(symbol, to: AddCloseFrom.self)
    }()

    /// Closes every descriptor above stderr in the child: with closefrom where
    /// glibc has it, else each one open now (from /proc/self/fd).
    private static func closeInheritedDescriptors(_ actions: inout posix_spawn_file_actions_t) {
        if let addCloseFrom, addCloseFrom(&actions, 3) == 0 { return }
        let open = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd"))?.compactMap { Int32($0) } ?? []
        for fd in open where fd > 2 && fcntl(fd, F_GETFD) != -1 {
            posix_spawn_file_actions_addclose(&actions, fd)
        }
    }
}
