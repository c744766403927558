import QLPCore

/// The `dashboard` section; every key has a documented default.
enum DashboardSectionParser {
    static let keys = [
        "cost_refresh", "request_timeout", "operator", "color", "log_file", "state_dir", "read_only", "theme", "bell",
        "block_glyphs", "admin_token",
    ]

    static func parse(_ section: ConfigValue?, _ r: ConfigReader, environment: [String: String]) -> DashboardSettings? {
        let stateHome = DashboardSettings.stateHome(environment: environment)
        var settings = DashboardSettings(
            costRefresh: .seconds(30 * 60), requestTimeout: .seconds(30),
            operatorName: environment["USER"].flatMap { $0.isEmpty ? nil : $0 } ?? "operator",
            colorEnabled: true, logFile: stateHome + "/qlp/qlp.log", stateDirectory: stateHome + "/qlp", readOnly: false)
        guard let section else { return settings }
        guard let map = r.mapping(section, allowed: keys) else { return nil }
        if let value = r.optional(map, "cost_refresh"), let d = r.duration(value) {
            // Cost Management allows a handful of queries per scope per minute
            // for the whole tenant; faster polling starves other tools.
            if d < .seconds(60) { r.fail(value, "must be at least 1m (Cost Management is throttled per tenant)") }
            settings.costRefresh = d
        }
        if let value = r.optional(map, "request_timeout"), let d = r.duration(value) {
            if d < .seconds(1) || d > .seconds(300) { r.fail(value, "must be between 1s and 5m") }
            settings.requestTimeout = d
        }
        if let value = r.optional(map, "operator"), let name = r.nonEmptyString(value) { settings.operatorName = name }
        if let value = r.optional(map, "color"), let mode = r.string(value) {
            switch mode {
            case "auto": settings.colorEnabled = true
            case "never": settings.colorEnabled = false
            default: r.fail(value, "expected auto or never, found '\(mode)'")
            }
        }
        if let value = r.optional(map, "log_file"), let path = r.path(value) { settings.logFile = path }
        if let value = r.optional(map, "state_dir"), let path = r.path(value) { settings.stateDirectory = path }
        if let value = r.optional(map, "read_only"), let flag = r.bool(value) { settings.readOnly = flag }
        if let value = r.optional(map, "block_glyphs"), let flag = r.bool(value) { settings.blockGlyphs = flag }
        if let value = r.optional(map, "bell"), let flag = r.bool(value) { settings.bell = flag }
        if let value = r.optional(map, "admin_token"), let token = r.secret(value) {
            // Empty (an unset ${QLP_ADMIN_TOKEN:-}) means none: `qlp dash --attach` then says so and does not start.
            settings.adminToken = token.isEmpty ? nil : token
        }
        // The name is checked against the themes the binary carries when the
        // dashboard starts (this layer does not know them); a path is expanded.
        if let value = r.optional(map, "theme"), let name = r.nonEmptyString(value) {
            settings.theme = name.contains("/") || name.hasSuffix(".theme") ? (r.path(value) ?? name) : name
        }
        return settings
    }
}
