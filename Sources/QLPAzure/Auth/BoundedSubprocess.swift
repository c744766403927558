import Subprocess

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Runs a program to completion or to a deadline, capturing its stdout and
/// stderr, on swiftlang/swift-subprocess. What qlp relies on (the tests in
/// AzureCLIProcessTests check each):
///
/// - Swift's cooperative pool (two threads on a two-core machine) is never
///   blocked while the program runs: the library spawns on a thread of its own
///   and waits for the program and its pipes through epoll (a pidfd on Linux).
/// - The program gets a process group of its own (`processGroupID = 0`), and
///   when this call gives up on it (the deadline, the caller's cancellation,
///   output over the limit) the library's teardown sends SIGKILL to the whole
///   group, children that hold the pipes included; the call returns once the
///   program is reaped.
/// - stdout and stderr are both kept, each up to `outputLimit` bytes; more is
///   `outputTooLarge`, not a truncated answer.
/// - The program gets exactly `environment`, nothing inherited, and nothing of
///   qlp's open descriptors (the library closes them all in the child, and
///   resets its signal mask and handlers).
///
/// One difference from the hand-written runner this replaced: when the
/// program itself exits, the library stops reading at once, even if a child it
/// left behind still holds the pipes; that child is not killed (killing the
/// group after the reap could reach a reused pid).
///
/// QLPTestSupport's ChildProcess and the end-to-end tests' Subprocess stay on
/// posix_spawn: their callers need the pid at once, from synchronous code, and
/// reap the child themselves (a server started beside a test, stopped with
/// SIGTERM and waited for with waitpid), which the library's scoped run does
/// not give.
struct BoundedSubprocess {
    struct Result {
        /// The exit status, or 128 + the signal that ended the program.
        var status: Int32
        var output: [UInt8]
        var error: [UInt8]
    }

    enum Failure: Error, Equatable {
        /// The program did not start; the text names it and says why.
        case cannotStart(String)
        /// The deadline passed; the program's process group was killed.
        case timedOut
        /// The program wrote more than `limit` bytes on stdout or on stderr; its process group was killed.
        case outputTooLarge(limit: Int)
        /// The calling task was cancelled; the program's process group was killed.
        case cancelled
        /// The program started but could not be read from or waited for (the library's words).
        case ioFailed(String)
    }

    var path: String
    var arguments: [String]
    var environment: [String: String]
    var timeout: Duration
    /// The most bytes kept of stdout, and of stderr.
    var outputLimit: Int = 1 << 20

    func run() async throws(Failure) -> Result {
        let deadline = ContinuousClock.now + timeout
        var busyRetries = 0
        while true {
            switch await attempt(until: deadline) {
            case .finished(let result):
                return result
            case .failed(let failure):
                throw failure
            case .busy where busyRetries < 10:
                // ETXTBSY: another thread's fork still holds the file open for
                // writing (a just-installed az, a test's script); it clears within moments.
                busyRetries += 1
                do { try await Task.sleep(for: .milliseconds(20)) } catch { throw .cancelled }
            case .busy:
                throw .cannotStart("\(path): \(String(cString: strerror(ETXTBSY)))")
            }
        }
    }

    private enum Outcome: Sendable {
        case finished(Result)
        case failed(Failure)
        case busy
    }

    private enum Race: Sendable {
        case program(Outcome)
        case deadline
        case interrupted
    }

    /// The program against the deadline. Whichever ends first, the other is
    /// cancelled: the program's task, cancelled, has the library run the
    /// teardown sequence (SIGKILL to the group) and returns once the program
    /// is reaped; the task group waits for it before returning.
    private func attempt(until deadline: ContinuousClock.Instant) async -> Outcome {
        let first: Race = await withTaskGroup(of: Race.self) { group in
            group.addTask { .program(await self.spawnAndCollect()) }
            group.addTask {
                do {
                    try await Task.sleep(until: deadline, clock: .continuous)
                    return .deadline
                } catch {
                    return .interrupted
                }
            }
            let first = await group.next() ?? .interrupted
            group.cancelAll()
            return first
        }
        switch first {
        case .deadline:
            return .failed(.timedOut)
        case .interrupted:
            return .failed(.cancelled)
        case .program(let outcome):
            // Cancelled while the program ran: what it gave is cut short.
            return Task.isCancelled ? .failed(.cancelled) : outcome
        }
    }

    private func spawnAndCollect() async -> Outcome {
        var options = PlatformOptions()
        // setpgid(0, 0) in posix_spawn: a process group of its own.
        options.processGroupID = 0
        // Run by the library when this task is cancelled or capturing fails: the
        // whole group at once (the implicit final kill targets the group too).
        options.teardownSequence = [.send(signal: .kill, toProcessGroup: true, allowedDurationToNextStep: .seconds(1))]
        let variables = Dictionary(
            environment.compactMap { name, value in Subprocess.Environment.Key(rawValue: name).map { ($0, value) } },
            uniquingKeysWith: { first, _ in first })
        do {
            let result = try await Subprocess.run(
                .path(.init(path)), arguments: Arguments(arguments), environment: .custom(variables),
                platformOptions: options, input: .none,
                output: .bytes(limit: outputLimit), error: .bytes(limit: outputLimit))
            let status: Int32 =
                switch result.terminationStatus {
                case .exited(let code): code
                case .signaled(let signal): 128 + signal
                }
            return .finished(Result(status: status, output: result.standardOutput, error: result.standardError))
        } catch let error as SubprocessError {
            return outcome(of: error)
        } catch {
            // CancellationError from the library's own waits.
            return .failed(.cancelled)
        }
    }

    private func outcome(of error: SubprocessError) -> Outcome {
        let errno = error.underlyingError?.rawValue
        switch error.code {
        case .executableNotFound:
            return .failed(.cannotStart("\(path): not found or not executable"))
        case .spawnFailed where errno == ETXTBSY:
            return .busy
        case .spawnFailed:
            if let errno { return .failed(.cannotStart("\(path): \(String(cString: strerror(errno)))")) }
            // Without an errno, the library refused the environment before spawning
            // (its words would quote a value, which may be a proxy's password).
            return .failed(
                .cannotStart(
                    "\(path): an environment variable cannot be passed "
                        + "(a name with '=' or NUL or starting with a digit, or a value with NUL)"))
        case .outputLimitExceeded:
            return .failed(.outputTooLarge(limit: outputLimit))
        default:
            return .failed(.ioFailed(error.description))
        }
    }
}
