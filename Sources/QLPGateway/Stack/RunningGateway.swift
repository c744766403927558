import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A gateway running on this machine, as it announces itself in
/// `<state dir>/running/<pid>.json` so that `qlp routes` with no flags finds
/// it: `qlp demo` listens on free ports, and its admin token is its own.
public struct RunningGateway: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable {
        case demo
        /// The gateway `qlp dash` runs inside the dashboard.
        case dashboard
        /// `qlp gateway`, headless.
        case gateway

        /// How `qlp routes` names it ("using the demo gateway at ...").
        public var phrase: String {
            switch self {
            case .demo: "the demo gateway"
            case .dashboard: "the dashboard's gateway"
            case .gateway: "the gateway"
            }
        }
    }

    public var kind: Kind
    public var pid: Int32
    /// The OpenAI-compatible endpoint's base URL.
    public var gateway: String
    /// The admin API's base URL.
    public var admin: String
    /// The demo's own admin token, random per run and shown on its screen
    /// anyway. Only the demo writes one: a real gateway's token (from the
    /// config or the environment) never goes into a file.
    public var adminToken: String?
    public var started: Date

    public init(kind: Kind, pid: Int32, gateway: String, admin: String, adminToken: String? = nil, started: Date = Date()) {
        self.kind = kind
        self.pid = pid
        self.gateway = gateway
        self.admin = admin
        self.adminToken = adminToken
        self.started = started
    }

    enum CodingKeys: String, CodingKey {
        case kind, pid, gateway, admin, started
        case adminToken = "admin_token"
    }
}

/// The `running` folder of the state directory: one file per running
/// gateway, written when it listens and removed when it stops cleanly. A
/// process killed outright leaves its file behind; its pid is then not
/// running, and readers pass it over.
public enum RunningGatewayDirectory {
    public struct Failure: Error, CustomStringConvertible {
        public var path: String
        public var reason: String
        public var description: String { "cannot write \(path): \(reason)" }
    }

    /// What a look in the folder found.
    public struct Scan: Sendable {
        /// Files whose process is running, newest first.
        public var live: [(path: String, gateway: RunningGateway)] = []
        /// Files whose process is not running (killed without cleaning up).
        public var stale: [(path: String, gateway: RunningGateway)] = []
        /// Files that are not a running-gateway record, with why.
        public var unreadable: [(path: String, reason: String)] = []
    }

    public static func folder(stateDirectory: String) -> String { stateDirectory + "/running" }

    public static func file(pid: Int32, stateDirectory: String) -> String { folder(stateDirectory: stateDirectory) + "/\(pid).json" }

    /// Writes `gateway`'s file atomically (a reader never sees half of it),
    /// readable by the owner only: the demo's token is in it.
    /// - Returns: the file's path.
    @discardableResult
    public static func write(_ gateway: RunningGateway, stateDirectory: String) throws(Failure) -> String {
        let folder = folder(stateDirectory: stateDirectory)
        let path = file(pid: gateway.pid, stateDirectory: stateDirectory)
        do {
            try FileManager.default.createDirectory(
                atPath: folder, withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700])
        } catch {
            throw Failure(path: folder, reason: error.localizedDescription)
        }
        let data = Array(encoded(gateway))
        let temporary = folder + "/.\(gateway.pid).json.partial"
        unlink(temporary)
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw Failure(path: temporary, reason: String(cString: strerror(errno))) }
        // The umask may only have taken bits away; fchmod makes it exactly owner read-write.
        var written = fchmod(fd, 0o600) == 0 ? 0 : -1
        while written >= 0, written < data.count {
            let n = data[written...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if n < 0, errno == EINTR { continue }
            written = n < 0 ? -1 : written + n
        }
        let problem = written < 0 ? String(cString: strerror(errno)) : nil
        close(fd)
        if let problem {
            unlink(temporary)
            throw Failure(path: temporary, reason: problem)
        }
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw Failure(path: path, reason: reason)
        }
        return path
    }

    /// Removes `pid`'s file (at a clean stop); nothing if there is none.
    public static func remove(pid: Int32, stateDirectory: String) {
        unlink(file(pid: pid, stateDirectory: stateDirectory))
    }

    /// Reads every file in the folder; an absent folder is an empty scan.
    public static func scan(
        stateDirectory: String,
        isRunning: (Int32) -> Bool = RunningGatewayDirectory.isRunning
    ) -> Scan {
        let folder = folder(stateDirectory: stateDirectory)
        var scan = Scan()
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter {
            $0.hasSuffix(".json") && !$0.hasPrefix(".")
        }
        for name in names.sorted() {
            let path = folder + "/" + name
            guard let data = FileManager.default.contents(atPath: path) else {
                scan.unreadable.append((path, "cannot be read"))
                continue
            }
            do {
                let gateway = try decoder.decode(RunningGateway.self, from: data)
                if isRunning(gateway.pid) {
                    scan.live.append((path, gateway))
                } else {
                    scan.stale.append((path, gateway))
                }
            } catch {
                scan.unreadable.append((path, "not a running-gateway record (\(error))"))
            }
        }
        scan.live.sort { $0.gateway.started > $1.gateway.started }
        return scan
    }

    /// Whether a process with this pid exists (one owned by another user counts).
    public static func isRunning(_ pid: Int32) -> Bool {
        guard pid > 0 else { return false }
        return kill(pid, 0) == 0 || errno == EPERM
    }

    static func encoded(_ gateway: RunningGateway) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        // A struct of strings, numbers and a date cannot fail to encode.
        return (try? encoder.encode(gateway)) ?? Data()
    }

    private static var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }
}
