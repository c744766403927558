import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Starting a program beside a test. posix_spawn with an empty signal mask
/// and default handlers: the test runner's threads block signals, and a child
/// inheriting that mask would ignore the SIGTERM a test stops it with.
public enum ChildProcess {
    public struct SpawnFailure: Error, CustomStringConvertible {
        public var description: String
    }

    /// - Parameters:
    ///   - output: the file stdout and stderr both go to; `appending` keeps what a previous run wrote.
    ///   - stdin: a descriptor to read from; /dev/null when nil.
    ///   - environment: the child's whole environment; this process's when nil.
    /// - Returns: the child's pid, to be reaped by the caller.
    public static func spawn(
        _ arguments: [String], output: String, appending: Bool = false, stdin: Int32? = nil,
        environment: [String: String]? = nil
    ) throws(SpawnFailure) -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if let stdin {
            posix_spawn_file_actions_adddup2(&actions, stdin, 0)
        } else {
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        }
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | (appending ? O_APPEND : O_TRUNC), 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
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
        let argv = arguments.map { strdup($0) } + [nil]
        let envp = (environment ?? ProcessInfo.processInfo.environment).map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for argument in argv { free(argument) }
            for variable in envp { free(variable) }
        }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, arguments[0], &actions, &attributes, argv, envp)
        guard status == 0 else {
            throw SpawnFailure(description: "cannot start \(arguments[0]): \(String(cString: strerror(status)))")
        }
        return pid
    }
}
