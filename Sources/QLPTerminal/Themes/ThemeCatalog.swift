/// The themes a dashboard can switch between, by name: those shipped in
/// themes/ (compiled into the binary by the `qlp` target) and the built-in
/// fallbacks, so `default-dark` and `mono` exist even without the files.
public struct ThemeCatalog: Sendable {
    /// One theme file's text.
    public struct Source: Sendable {
        public var name: String
        public var text: String
        /// Where the text came from, for error messages ("themes/light.theme").
        public var file: String
        public init(name: String, text: String, file: String) {
            self.name = name
            self.text = text
            self.file = file
        }
    }

    private var themes: [String: Theme]

    /// Only the built-in themes (default-dark, mono).
    public static let builtin = ThemeCatalog(themes: [Theme.defaultDark, Theme.mono])

    public init(themes: [Theme]) {
        self.themes = Dictionary(themes.map { ($0.name, $0) }, uniquingKeysWith: { _, last in last })
    }

    /// The built-in themes plus every source; a file may replace a built-in
    /// of the same name.
    /// - Throws: the first file's error, with file and line.
    public init(sources: [Source]) throws(ThemeFileError) {
        var all = [Theme.defaultDark, Theme.mono]
        for source in sources {
            all.append(try ThemeFile.parse(source.text, name: source.name, file: source.file))
        }
        self.init(themes: all)
    }

    /// The theme called `name` (as in `dashboard.theme`, `--theme`, `:theme`).
    public func named(_ name: String) -> Theme? { themes[name] }

    /// Every theme's name, sorted: what `:theme` completes and errors list.
    public var names: [String] { themes.keys.sorted() }

    /// The theme, or an error that lists the choices.
    public func theme(named name: String) throws(ThemeFileError) -> Theme {
        guard let theme = named(name) else {
            throw ThemeFileError(file: "theme", line: 0, message: "unknown theme '\(name)' (one of: \(names.joined(separator: ", ")))")
        }
        return theme
    }
}
