import Foundation
import QLPCore
import QLPGateway
import QLPHTTP
import QLPRouting

#if canImport(Glibc)
    import Glibc
#endif

/// What `qlp gateway` needs from the world beyond a valid config, checked
/// without serving anything: each Azure OpenAI deployment answers with the
/// configured auth (one probe, as the gateway's own probes send: a one-token
/// chat stream or one short embedding), each Ollama model is pulled
/// (/api/tags), the admin token is set and long enough, and both listeners'
/// addresses are free. Sinks are checked by Doctor itself, for every command.
struct GatewayReadiness {
    /// The shortest admin token accepted: 24 characters is 144 bits of a
    /// random hex or base64 token, beyond guessing over the network.
    static let minimumTokenLength = 24

    var settings: GatewaySettings
    /// The config's targets with their endpoints (for the demo, the emulator's stand-in).
    var table: RouteTable
    var upstream: UpstreamSettings
    var transport: any HTTPTransport
    var configPath: String
    /// `qlp doctor --demo`: the demo makes its own admin token for each run
    /// and listens on free ports, so neither is the config's to check.
    var demo: Bool

    func run() async -> [DoctorCheck] {
        // An Entra ID bearer refreshes in the background once asked for a token; doctor asks once.
        defer { upstream.azureBearer?.stop() }
        var checks: [DoctorCheck] = []
        if demo {
            checks.append(DoctorCheck(name: "gateway: admin token", outcome: .skipped("the demo makes a random admin token for each run")))
            checks.append(DoctorCheck(name: "gateway: listeners", outcome: .skipped("the demo listens on free ports unless told")))
        } else {
            checks.append(Self.tokenCheck(settings.adminToken, key: "gateway.admin_token", required: true, configPath: configPath))
            if settings.viewerToken != nil {
                checks.append(Self.tokenCheck(settings.viewerToken, key: "gateway.viewer_token", required: false, configPath: configPath))
            }
            checks.append(listener(host: settings.host, port: settings.port, key: "gateway.listen"))
            checks.append(listener(host: settings.adminHost, port: settings.adminPort, key: "gateway.admin_listen"))
        }
        checks += await targets()
        return checks
    }

    /// The admin (or viewer) token: set, and at least `minimumTokenLength`
    /// characters. Only its length is ever said, never a character of it.
    static func tokenCheck(_ token: Secret?, key: String, required: Bool, configPath: String) -> DoctorCheck {
        let name = "gateway: \(key.replacingOccurrences(of: "gateway.", with: "").replacingOccurrences(of: "_", with: " "))"
        let remedy =
            "set \(key) in \(configPath) from the environment (\"${QLP_ADMIN_TOKEN}\") to a random token of at least "
            + "\(minimumTokenLength) characters: export QLP_ADMIN_TOKEN=$(openssl rand -hex 24)"
        guard let token, !token.isEmpty else {
            return required
                ? DoctorCheck(name: name, outcome: .fail("\(key) is not set: the admin API refuses every request", remedy: remedy))
                : DoctorCheck(name: name, outcome: .skipped("\(key) is not set"))
        }
        let length = token.reveal().count
        guard length >= minimumTokenLength else {
            return DoctorCheck(
                name: name,
                outcome: .fail(
                    "\(key) is \(length) characters, fewer than \(minimumTokenLength)",
                    remedy: remedy))
        }
        return DoctorCheck(name: name, outcome: .ok("set, \(length) characters"))
    }

    /// Binds the listener's address and lets it go at once: a port another
    /// process holds, or an address not on this machine, fails here rather
    /// than when the gateway starts.
    func listener(host: String, port: Int, key: String) -> DoctorCheck {
        let name = "gateway: \(key.replacingOccurrences(of: "gateway.", with: ""))"
        let shown = host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        if let problem = ListenerProbe.bindAndRelease(host: host, port: port) {
            return DoctorCheck(
                name: name,
                outcome: .fail(
                    "\(shown): \(problem)",
                    remedy: "stop what listens there (ss -ltnp 'sport = :\(port)') or change \(key) in \(configPath)"))
        }
        return DoctorCheck(name: name, outcome: .ok("\(shown) is free"))
    }

    /// One check per target: an Azure OpenAI deployment is probed; an Ollama
    /// model must be in its server's /api/tags (read once per server).
    func targets() async -> [DoctorCheck] {
        guard !table.targets.isEmpty else {
            return [DoctorCheck(name: "gateway: targets", outcome: .skipped("no routing section: no gateway targets"))]
        }
        let prober = ModelProber(
            targets: { [] }, settings: ModelProber.Settings(gateway: settings, upstream: upstream),
            transport: transport, onResult: { _ in })
        var ollamaServers: [String: OllamaModelStatus] = [:]
        var checks: [DoctorCheck] = []
        for var probe in ProbeTarget.all(in: table) {
            let target = probe.target
            probe.target.endpoint = upstream.liveEndpoint(of: target)
            let name = "target: \(target.name)"
            switch target.backend {
            case .azureOpenAI:
                let result = await prober.probe(probe)
                if let failure = result.failure {
                    checks.append(
                        DoctorCheck(
                            name: name,
                            outcome: .fail(
                                "deployment '\(target.upstreamModel)' did not answer \(Self.request(probe.kind)): \(failure.reason)",
                                remedy: Self.azureRemedy(status: failure.status, deployment: target.upstreamModel, configPath: configPath)))
                    )
                } else {
                    checks.append(
                        DoctorCheck(
                            name: name,
                            outcome: .ok(
                                "deployment '\(target.upstreamModel)' answered \(Self.request(probe.kind)) in \(Int(result.totalMilliseconds.rounded())) ms"
                            )))
                }
            case .ollama:
                let endpoint = probe.target.endpoint
                let status: OllamaModelStatus
                if let known = ollamaServers[endpoint] {
                    status = known
                } else {
                    status = await prober.ollamaStatus(endpoint: endpoint)
                    ollamaServers[endpoint] = status
                }
                if let failure = status.failure {
                    checks.append(
                        DoctorCheck(
                            name: name,
                            outcome: .fail(
                                "cannot list the Ollama server's models: \(failure)",
                                remedy: "check ollama.endpoint in \(configPath) and that ollama serve runs there")))
                } else if status.state(of: target.upstreamModel) == .missing {
                    checks.append(
                        DoctorCheck(
                            name: name,
                            outcome: .fail(
                                "model '\(target.upstreamModel)' is not pulled (/api/tags lists \(status.available.count) model\(status.available.count == 1 ? "" : "s"))",
                                remedy: "run `ollama pull \(target.upstreamModel)` on the Ollama server")))
                } else {
                    checks.append(DoctorCheck(name: name, outcome: .ok("model '\(target.upstreamModel)' is pulled")))
                }
            }
        }
        return checks
    }

    /// What the probe sent, in words: "a chat request", "an embeddings request".
    static func request(_ kind: ProbeTarget.Kind) -> String {
        switch kind {
        case .chat: "a chat request"
        case .embeddings: "an embeddings request"
        }
    }

    static func azureRemedy(status: Int?, deployment: String, configPath: String) -> String {
        switch status {
        case 401?, 403?:
            "check azure_openai.auth in \(configPath): with api_key, azure_openai.api_key; with entra, the identity needs "
                + "the Cognitive Services OpenAI User role on the resource"
        case 404?: "no deployment '\(deployment)' on that resource: check azure_openai.deployment_names in \(configPath)"
        case 429?: "the deployment is throttled: its quota (tokens per minute) is spent; try again later"
        case nil: "check azure_openai.endpoint in \(configPath) and the network path to it"
        default: "see the deployment's state in the Azure portal"
        }
    }
}

/// Binding a TCP listener's address for a moment, to see whether the gateway could.
enum ListenerProbe {
    /// nil when `host:port` could be bound; otherwise why not. Port 0 (any
    /// free port) is always free.
    static func bindAndRelease(host: String, port: Int) -> String? {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_PASSIVE
        var found: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &found)
        guard status == 0, let first = found else {
            return "cannot resolve '\(host)': \(String(cString: gai_strerror(status)))"
        }
        defer { freeaddrinfo(first) }
        let fd = socket(first.pointee.ai_family, first.pointee.ai_socktype, first.pointee.ai_protocol)
        guard fd >= 0 else { return "socket(): \(String(cString: strerror(errno)))" }
        defer { close(fd) }
        // As the gateway's listener sets it, so a port left in TIME_WAIT by a stopped gateway counts as free.
        var on: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, socklen_t(MemoryLayout<Int32>.size))
        guard bind(fd, first.pointee.ai_addr, first.pointee.ai_addrlen) == 0 else {
            let code = errno
            return code == EADDRINUSE ? "in use by another process" : "cannot listen there: \(String(cString: strerror(code)))"
        }
        return nil
    }
}
