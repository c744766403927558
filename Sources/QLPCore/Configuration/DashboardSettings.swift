/// The `dashboard` section: how the console behaves.
public struct DashboardSettings: Sendable, Equatable {
    /// How often Cost Management is polled. Its data lands every few hours and
    /// its quota is per tenant, so the default is conservative.
    public var costRefresh: Duration
    /// Longest wait for one HTTP request before the panel is marked stale.
    public var requestTimeout: Duration
    /// Who the audit log names for changes made from this console.
    public var operatorName: String
    /// Colour unless NO_COLOR or `color: never`.
    public var colorEnabled: Bool
    /// Log file; the dashboard never logs to the screen.
    public var logFile: String
    /// Where history and caches live (SQLite).
    public var stateDirectory: String
    public var readOnly: Bool
    /// Ring the terminal bell once per new critical alert.
    public var bell: Bool
    /// A theme shipped in the binary (`default-dark`, `light`, `high-contrast`,
    /// `solarized`, `mono`) or the path of a theme file (it holds a `/` or
    /// ends in `.theme`). `--theme` overrides it.
    public var theme: String
    /// Draw bars with block characters instead of coloured blanks: more bytes
    /// on the wire, but text copied from the screen keeps the bars.
    public var blockGlyphs: Bool
    /// The admin token `qlp dash --attach` sends to the replicas it attaches
    /// to (dashboard.admin_token); $QLP_ADMIN_TOKEN wins over it.
    public var adminToken: Secret? = nil

    public init(
        costRefresh: Duration, requestTimeout: Duration, operatorName: String, colorEnabled: Bool,
        logFile: String, stateDirectory: String, readOnly: Bool, theme: String = "default-dark", bell: Bool = true,
        blockGlyphs: Bool = false
    ) {
        self.bell = bell
        self.blockGlyphs = blockGlyphs
        self.theme = theme
        self.costRefresh = costRefresh
        self.requestTimeout = requestTimeout
        self.operatorName = operatorName
        self.colorEnabled = colorEnabled
        self.logFile = logFile
        self.stateDirectory = stateDirectory
        self.readOnly = readOnly
    }
}
