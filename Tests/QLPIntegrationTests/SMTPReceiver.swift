import Foundation
import QLPTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Support/smtp_receiver.py (aiosmtpd) on a loopback port it picks itself,
/// recording each message it accepts. Tests use ``withSMTPReceiver``, which
/// stops it whatever the test's outcome.
final class SMTPReceiver: @unchecked Sendable {
    let port: Int
    private let pid: pid_t
    private let directory: String
    /// The write end of the receiver's stdin: while it is open the receiver
    /// runs; when this process dies, the kernel closes it and the receiver
    /// exits (--exit-on-stdin-eof), so not even a crashed runner leaves it behind.
    private let lifeline: Int32

    var url: String { "smtp://127.0.0.1:\(port)" }
    private var recordPath: String { directory + "/received.jsonl" }
    private var logPath: String { directory + "/receiver.log" }

    /// A Python with aiosmtpd: $QLP_SMTP_PYTHON, $QLP_OPENAI_PYTHON (scripts/test
    /// installs both packages into one venv and sets both), or the repository's
    /// .build/pyenv; nil if none can import aiosmtpd. Looked up once.
    static let python: String? = {
        let environment = ProcessInfo.processInfo.environment
        let venv = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../.build/pyenv/bin/python").standardized.path
        let candidates = [environment["QLP_SMTP_PYTHON"], environment["QLP_OPENAI_PYTHON"], venv].compactMap { $0 }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) && canImportAiosmtpd($0) }
    }()

    static let unavailable: Comment = """
        no Python with aiosmtpd: run scripts/test (it installs aiosmtpd into .build/pyenv) or set QLP_SMTP_PYTHON
        """

    private static func canImportAiosmtpd(_ python: String) -> Bool {
        guard let pid = try? spawn([python, "-c", "import aiosmtpd"], stdin: nil, output: "/dev/null", environment: nil)
        else { return false }
        return reap(pid) == 0
    }

    private static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Support/smtp_receiver.py").path

    /// Starts a receiver; with `user`, it requires AUTH as `user` with `password`.
    init(python: String, user: String? = nil, password: String? = nil) async throws {
        let directory = NSTemporaryDirectory() + "qlp-smtp-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var pipeEnds: [Int32] = [-1, -1]
        guard pipe(&pipeEnds) == 0 else {
            try? FileManager.default.removeItem(atPath: directory)
            throw ReceiverFailure(description: "pipe() failed: errno \(errno)")
        }
        // Neither end may leak into processes other tests start meanwhile:
        // a copy of the write end elsewhere would keep the receiver alive.
        _ = fcntl(pipeEnds[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(pipeEnds[1], F_SETFD, FD_CLOEXEC)
        let lifeline = pipeEnds[1]
        var arguments = [python, Self.script, directory + "/received.jsonl", "--exit-on-stdin-eof", "--max-seconds", "120"]
        var environment = ProcessInfo.processInfo.environment
        if let user {
            arguments += ["--user", user]
            environment["QLP_SMTP_RECEIVER_PASSWORD"] = password ?? ""
        }
        let pid: pid_t
        do {
            pid = try Self.spawn(arguments, stdin: pipeEnds[0], output: directory + "/receiver.log", environment: environment)
        } catch {
            close(pipeEnds[0])
            close(pipeEnds[1])
            try? FileManager.default.removeItem(atPath: directory)
            throw error
        }
        close(pipeEnds[0])
        do {
            port = try await Self.waitForPort(logPath: directory + "/receiver.log", pid: pid)
        } catch {
            Self.end(pid: pid, lifeline: lifeline, directory: directory)
            throw error
        }
        self.pid = pid
        self.directory = directory
        self.lifeline = lifeline
    }

    /// Ends the receiver (SIGTERM), reaps it and removes its files.
    func stop() {
        Self.end(pid: pid, lifeline: lifeline, directory: directory)
    }

    private static func end(pid: pid_t, lifeline: Int32, directory: String) {
        close(lifeline)
        kill(pid, SIGTERM)
        reap(pid)
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// The messages received so far, in order.
    func received() throws -> [ReceivedMail] {
        guard let text = try? String(contentsOfFile: recordPath, encoding: .utf8) else { return [] }
        return try text.split(separator: "\n").map { try JSONDecoder().decode(ReceivedMail.self, from: Data($0.utf8)) }
    }

    /// The receiver's own output, for failure messages.
    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    private static func waitForPort(logPath: String, pid: pid_t) async throws -> Int {
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline {
            let log = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
            if let range = log.firstRange(of: "listening on 127.0.0.1 port ") {
                let digits = log[range.upperBound...].prefix { $0.isNumber }
                if let port = Int(digits), log[range.upperBound...].dropFirst(digits.count).first == "\n" { return port }
            }
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid {
                throw ReceiverFailure(description: "smtp_receiver.py exited before listening: \(log)")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw ReceiverFailure(description: "smtp_receiver.py did not start listening within 20 s")
    }

    private static func spawn(
        _ arguments: [String], stdin: Int32?, output: String,
        environment: [String: String]?
    ) throws -> pid_t {
        do {
            return try ChildProcess.spawn(arguments, output: output, stdin: stdin, environment: environment)
        } catch {
            throw ReceiverFailure(description: error.description)
        }
    }

    @discardableResult
    private static func reap(_ pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        return (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    }

    struct ReceiverFailure: Error, CustomStringConvertible {
        var description: String
    }
}

/// One message as Support/smtp_receiver.py recorded it.
struct ReceivedMail: Decodable {
    var mailFrom: String
    var rcptTos: [String]
    /// The message as received after DATA, dot-unstuffed.
    var content: String
    /// The user the sender logged in as; nil without AUTH.
    var authLogin: String?
    /// Header fields as Python's email package decodes them (RFC 2047 words decoded).
    var headers: [[String]]
    /// The body as Python's email package decodes it (transfer encoding and charset undone).
    var body: String
    /// What Python's email package found malformed; empty for a well-formed message.
    var defects: [String]

    enum CodingKeys: String, CodingKey {
        case mailFrom = "mail_from"
        case rcptTos = "rcpt_tos"
        case content
        case authLogin = "auth_login"
        case headers, body, defects
    }

    /// The decoded value of the first field called `name` (case-insensitive).
    func header(_ name: String) -> String? {
        headers.first { $0.first?.lowercased() == name.lowercased() }?.last
    }
}

/// Runs `body` with a started receiver and stops it however `body` ends.
func withSMTPReceiver(
    user: String? = nil, password: String? = nil,
    _ body: (SMTPReceiver) async throws -> Void
) async throws {
    let python = try #require(SMTPReceiver.python, SMTPReceiver.unavailable)
    let receiver = try await SMTPReceiver(python: python, user: user, password: password)
    do {
        try await body(receiver)
    } catch {
        receiver.stop()
        throw error
    }
    receiver.stop()
}
