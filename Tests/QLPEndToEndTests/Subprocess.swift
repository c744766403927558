import Foundation
import QLPTestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// Runs a program with posix_spawn and waits for it with waitpid.
///
/// Foundation's Process inherits the test runner's blocked signals into the
/// child (libdispatch blocks them on its threads), and a tmux server started
/// that way never dies on kill-server. Here the child gets an empty signal
/// mask and default handlers, as if started from a shell.
enum Subprocess {
    struct Result {
        var status: Int32
        var output: String
        var error: String
    }

    /// Runs the program to its end on a thread of its own (see `onOwnThread`): a
    /// child waited for on one of the async pool's threads stalls every other test.
    static func run(_ arguments: [String], environment: [String: String]? = nil, capture: Bool = true) async throws -> Result {
        try await onOwnThread { try runBlocking(arguments, environment: environment, capture: capture) }
    }

    /// Runs the program to its end on the calling thread: only where the caller
    /// cannot suspend (a test's `defer`, an initializer) and the command is short.
    /// - Parameters:
    ///   - capture: read stdout and stderr (off for programs that leave a
    ///     daemon holding them, such as `tmux new-session`).
    static func runBlocking(_ arguments: [String], environment: [String: String]? = nil, capture: Bool = true) throws -> Result {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        var outPipe: [Int32] = [-1, -1]
        var errPipe: [Int32] = [-1, -1]
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        if capture {
            guard pipe(&outPipe) == 0, pipe(&errPipe) == 0 else { throw SpawnError(description: "pipe() failed") }
            posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
            posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
            for fd in [outPipe[0], outPipe[1], errPipe[0], errPipe[1]] { posix_spawn_file_actions_addclose(&actions, fd) }
        } else {
            posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
            posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let env = (environment ?? ProcessInfo.processInfo.environment).map { "\($0.key)=\($0.value)" }
        var pid: pid_t = 0
        let argv = arguments.map { strdup($0) } + [nil]
        let envp = env.map { strdup($0) } + [nil]
        defer {
            for argument in argv { free(argument) }
            for variable in envp { free(variable) }
        }
        let spawned = posix_spawnp(&pid, arguments[0], &actions, &attributes, argv, envp)
        if capture {
            close(outPipe[1])
            close(errPipe[1])
        }
        guard spawned == 0 else {
            if capture {
                close(outPipe[0])
                close(errPipe[0])
            }
            throw SpawnError(description: "cannot start \(arguments[0]): \(String(cString: strerror(spawned)))")
        }
        var output = ""
        var error = ""
        if capture {
            // Read both pipes on separate threads so neither can fill and block the child.
            let errorReader = Thread.detachedRead(errPipe[0])
            output = readAll(outPipe[0])
            error = errorReader.wait()
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let exit = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return Result(status: exit, output: output, error: error)
    }

    static func readAll(_ fd: Int32) -> String {
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = read(fd, &buffer, buffer.count)
            if n > 0 { data.append(contentsOf: buffer[0..<n]) } else if n == 0 || errno != EINTR { break }
        }
        close(fd)
        return String(decoding: data, as: UTF8.self)
    }

    struct SpawnError: Error, CustomStringConvertible {
        var description: String
    }
}

extension Thread {
    /// Reads a file descriptor to its end on a new thread.
    final class PendingRead: @unchecked Sendable {
        private let done = DispatchSemaphore(value: 0)
        private var text = ""
        fileprivate func finish(_ value: String) {
            text = value
            done.signal()
        }
        func wait() -> String {
            done.wait()
            return text
        }
    }

    static func detachedRead(_ fd: Int32) -> PendingRead {
        let pending = PendingRead()
        Thread { pending.finish(Subprocess.readAll(fd)) }.start()
        return pending
    }
}
