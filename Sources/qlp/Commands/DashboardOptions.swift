import ArgumentParser

/// Flags shared by the commands that draw the dashboard.
struct DashboardOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "Config file (default: $QLP_CONFIG, then $XDG_CONFIG_HOME/qlp/qlp.yaml, then ./config/qlp.yaml).", valueName: "file"))
    var config: String?

    @Flag(name: .customLong("no-color"), help: "No colour (NO_COLOR is honoured too).")
    var noColor = false

    @Flag(name: .customLong("read-only"), help: "No route changes from the dashboard (also dashboard.read_only).")
    var readOnly = false

    @Flag(
        name: .customLong("block-glyphs"),
        help: ArgumentHelp(
            "Draw bars with block characters, not coloured blanks: more bytes, but copied text keeps them (also dashboard.block_glyphs)."))
    var blockGlyphs = false

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Theme: default-dark, light, high-contrast, solarized, mono, or a theme file's path (default: dashboard.theme).",
            valueName: "name"))
    var theme: String?
}
