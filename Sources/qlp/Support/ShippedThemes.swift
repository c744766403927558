import ArgumentParser
import Foundation
import QLPTerminal

/// The themes in themes/, compiled into the binary (see Package.swift), so
/// `qlp` shows them wherever it is copied.
enum ShippedThemes {
    static var sources: [ThemeCatalog.Source] {
        [
            ("default-dark", PackageResources.default_dark_theme),
            ("light", PackageResources.light_theme),
            ("high-contrast", PackageResources.high_contrast_theme),
            ("solarized", PackageResources.solarized_theme),
            ("mono", PackageResources.mono_theme),
        ].map { ThemeCatalog.Source(name: $0.0, text: String(decoding: $0.1, as: UTF8.self), file: "themes/\($0.0).theme") }
    }

    /// Every shipped theme, plus the one `choice` names when it is a file, and
    /// the theme to start with.
    /// - Parameter choice: `--theme`, else `dashboard.theme`: a name or a path.
    /// - Throws: a message naming the file and line of a bad theme file, or
    ///   the choices for an unknown name.
    static func resolve(_ choice: String) throws(ExitCode) -> (catalog: ThemeCatalog, initial: Theme) {
        var sources = Self.sources
        var name = choice
        if choice.contains("/") || choice.hasSuffix(".theme") {
            let url = URL(fileURLWithPath: choice)
            guard let data = FileManager.default.contents(atPath: url.path) else {
                throw CommandFailure.exit("cannot read the theme file \(choice)")
            }
            name = url.deletingPathExtension().lastPathComponent
            sources.append(ThemeCatalog.Source(name: name, text: String(decoding: data, as: UTF8.self), file: choice))
        }
        do {
            let catalog = try ThemeCatalog(sources: sources)
            return (catalog, try catalog.theme(named: name))
        } catch {
            throw CommandFailure.exit("theme: \(error.description)")
        }
    }
}
