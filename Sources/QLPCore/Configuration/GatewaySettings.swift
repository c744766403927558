/// The `gateway` section: where the OpenAI-compatible endpoint and its admin
/// API listen, who may call them, and the limits every request runs under.
public struct GatewaySettings: Sendable, Equatable {
    /// The client-facing listener; loopback unless set.
    public var host: String
    public var port: Int
    /// The admin API's own listener (route changes); loopback unless set.
    public var adminHost: String
    public var adminPort: Int
    /// Bearer token the admin API requires to read and change routes (role
    /// admin). Without it or a viewer token the admin API refuses everything.
    public var adminToken: Secret?
    /// Who the admin token is in the audit log ("admin/alice" with X-QLP-Actor: alice).
    public var adminTokenName: String = "admin"
    /// A second bearer token that may only read (role viewer): every change
    /// made with it is refused by the server (403).
    public var viewerToken: Secret?
    /// Who the viewer token is, for the admin API's whoami and its log.
    public var viewerTokenName: String = "viewer"
    /// SHA-256 (hex) of each client API key; empty means no key is required.
    public var clientKeyHashes: [String]
    /// Host names (or addresses) clients may call the listeners by, besides
    /// loopback ones; on a loopback listener nothing else is answered (DNS rebinding).
    public var allowedHosts: [String] = []
    /// Web page origins (https://app.example) allowed to call the gateway from
    /// a browser, with CORS granted to them; requests from any other page are refused.
    public var allowedOrigins: [String] = []
    /// The most output tokens a request may ask for (max_tokens,
    /// max_completion_tokens); a chat request that asks for none is given this.
    public var maxOutputTokens: Int = 4096
    /// The most choices (n) a request may ask for; each is paid for.
    public var maxChoices: Int = 1
    /// Largest request body accepted, in bytes.
    public var maxRequestBytes: Int
    /// Whole-request deadline, retries and waits included.
    public var requestTimeout: Duration
    /// Upstream attempts per request, the first one included.
    public var maxAttempts: Int
    /// The longest a request waits for an upstream's Retry-After before trying elsewhere or giving up.
    public var maxRetryAfterWait: Duration
    /// Circuit breaker: failures over this window...
    public var breakerWindow: Duration
    /// ...of at least this many requests...
    public var breakerMinimumRequests: Int
    /// ...at this failure ratio (0...1) open the breaker for `breakerOpenFor`.
    public var breakerFailureRatio: Double
    public var breakerOpenFor: Duration
    /// How often model latency probes run; zero turns them off.
    public var probeInterval: Duration
    /// How long either listener keeps a connection that has no request in
    /// progress (idle keep-alive, or a request whose head or body stopped
    /// arriving) before closing it, so slow or silent clients cannot hold
    /// sockets until the process runs out of descriptors.
    public var idleTimeout: Duration
    /// How long a stopping gateway (SIGTERM, SIGINT) lets requests and streams
    /// in flight finish after it stops accepting connections; streams still
    /// open then are ended. 25 s by default: under Kubernetes' 30 s grace
    /// period, so the pod exits before it is killed.
    public var drainTimeout: Duration = .seconds(25)
    /// Whether each request is written to the usage ledger (usage.sqlite in the state directory).
    public var usageLedger: Bool = true
    /// How long the ledger keeps single requests; the hourly rollups per key ×
    /// route × target are kept for 400 days (a credit period and more).
    public var usageRetention: Duration = .seconds(30 * 86_400)
    /// The HTTP client of the calls to the upstreams; read at start. The event loop client: a request
    /// stays on its connection's loop (README, "Upstream client", has both measured).
    public var upstreamClient: UpstreamClientKind = .eventLoop

    public init(
        host: String = "127.0.0.1", port: Int = 8088, adminHost: String = "127.0.0.1", adminPort: Int = 8089,
        adminToken: Secret? = nil, clientKeyHashes: [String] = [], maxRequestBytes: Int = 4 << 20,
        requestTimeout: Duration = .seconds(120), maxAttempts: Int = 3, maxRetryAfterWait: Duration = .seconds(2),
        breakerWindow: Duration = .seconds(10), breakerMinimumRequests: Int = 5, breakerFailureRatio: Double = 0.5,
        breakerOpenFor: Duration = .seconds(5), probeInterval: Duration = .seconds(30),
        idleTimeout: Duration = .seconds(30)
    ) {
        self.host = host
        self.port = port
        self.adminHost = adminHost
        self.adminPort = adminPort
        self.adminToken = adminToken
        self.clientKeyHashes = clientKeyHashes
        self.maxRequestBytes = maxRequestBytes
        self.requestTimeout = requestTimeout
        self.maxAttempts = maxAttempts
        self.maxRetryAfterWait = maxRetryAfterWait
        self.breakerWindow = breakerWindow
        self.breakerMinimumRequests = breakerMinimumRequests
        self.breakerFailureRatio = breakerFailureRatio
        self.breakerOpenFor = breakerOpenFor
        self.probeInterval = probeInterval
        self.idleTimeout = idleTimeout
    }
}
