import QLPCore

extension DashboardSettings {
    /// `$XDG_STATE_HOME/qlp`, else `~/.local/state/qlp`: the state directory
    /// when the config sets no dashboard.state_dir, or when there is no config
    /// (`qlp routes` still looks there for a running demo).
    public static func defaultStateDirectory(environment: [String: String]) -> String {
        stateHome(environment: environment) + "/qlp"
    }

    static func stateHome(environment: [String: String]) -> String {
        environment["XDG_STATE_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (environment["HOME"].map { $0 + "/.local/state" } ?? ".")
    }
}
