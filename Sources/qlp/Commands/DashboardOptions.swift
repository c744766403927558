import ArgumentParser

/// Flags shared by the commands that draw the dashboard.
struct DashboardOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Config file (default: $QLP_CONFIG, then $XDG_CONFIG_HOME/qlp/qlp.yaml, then ./config/qlp.yaml).", valueName: "file"))
    var config: String?

    @Flag(name: .customLong("no-color"), help: "No colour (NO_COLOR is honoured too).")
    var noColor = false
}
