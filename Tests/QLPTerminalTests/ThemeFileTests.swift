import Foundation
import QLPCanvas
import Testing

@testable import QLPTerminal

struct ThemeFileTests {
    /// themes/ at the repository root: the files the binary embeds.
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../themes").standardized

    static func shipped() throws -> [ThemeCatalog.Source] {
        try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".theme") }.sorted().map {
            ThemeCatalog.Source(
                name: String($0.dropLast(6)), text: try String(contentsOf: directory.appendingPathComponent($0), encoding: .utf8),
                file: "themes/\($0)")
        }
    }

    @Test func everyShippedThemeParsesAndTheFiveAreThere() throws {
        let catalog = try ThemeCatalog(sources: try Self.shipped())
        for name in ["default-dark", "light", "high-contrast", "solarized", "mono"] {
            #expect(catalog.named(name) != nil, "\(name)")
        }
    }

    @Test func theDefaultDarkFileIsTheBuiltInFallback() throws {
        let text = try String(contentsOf: Self.directory.appendingPathComponent("default-dark.theme"), encoding: .utf8)
        let theme = try ThemeFile.parse(text, name: "default-dark", file: "default-dark.theme")
        for role in StyleRole.allCases {
            for mode in [ColorMode.none, .ansi8, .ansi256, .direct] {
                #expect(theme.style(for: role, mode: mode) == Theme.defaultDark.style(for: role, mode: mode), "\(role) \(mode)")
            }
        }
    }

    @Test func everyShippedThemeSetsEveryRoleAndKeepsMeaningWithoutColour() throws {
        for source in try Self.shipped() {
            let theme = try ThemeFile.parse(source.text, name: source.name, file: source.file)
            #expect(Set(theme.colored.keys) == Set(StyleRole.allCases), "\(source.name)")
            let normal = theme.style(for: .normal, mode: .none)
            for role in [StyleRole.title, .header, .critical, .warning, .selection] {
                #expect(theme.style(for: role, mode: .none) != normal, "\(source.name) \(role)")
            }
        }
    }

    @Test func colourForms() throws {
        let theme = try ThemeFile.parse(
            """
            # a comment
            normal = red on bright-blue   # trailing comment
            muted = 240 dim
            title = #ff8700 on #000000 bold underline
            border = - on default
            selection = reverse
            gauge-empty = grey
            """, name: "t", file: "t.theme")
        #expect(theme.colored[.normal] == TerminalStyle(foreground: .ansi(1), background: .ansi(12)))
        #expect(theme.colored[.muted] == TerminalStyle(foreground: .indexed(240), dim: true))
        #expect(
            theme.colored[.title] == TerminalStyle(foreground: .rgb(255, 135, 0), background: .rgb(0, 0, 0), bold: true, underline: true))
        #expect(theme.colored[.border] == TerminalStyle())
        #expect(theme.colored[.selection] == TerminalStyle(reverse: true))
        #expect(theme.colored[.gaugeEmpty] == TerminalStyle(foreground: .ansi(8)))
        // No [no-color] section: qlp's attribute table.
        #expect(theme.style(for: .header, mode: .none) == TerminalStyle(reverse: true))
    }

    @Test func twentyFourBitColoursAreMappedDownByTerminalDepth() throws {
        let theme = try ThemeFile.parse("title = #ffaf00 on #1c1c1c bold", name: "t", file: "t.theme")
        #expect(theme.style(for: .title, mode: .direct).foreground == .rgb(255, 175, 0))
        #expect(theme.style(for: .title, mode: .ansi256) == TerminalStyle(foreground: .indexed(214), background: .indexed(234), bold: true))
        #expect(theme.style(for: .title, mode: .ansi8).foreground == .ansi(3))
        #expect(theme.style(for: .title, mode: .none) == TerminalStyle(bold: true))
        #expect(TerminalColor.nearestIndexed(0, 0, 0) == 16)
        #expect(TerminalColor.nearestIndexed(255, 255, 255) == 231)
        #expect(TerminalColor.nearestIndexed(128, 128, 128) == 244)
    }

    @Test func colourModeFollowsTheTerminalDescription() {
        #expect(ColorMode.forTerminal(colors: 0) == .none)
        #expect(ColorMode.forTerminal(colors: 8) == .ansi8)
        #expect(ColorMode.forTerminal(colors: 16) == .ansi8)
        #expect(ColorMode.forTerminal(colors: 256) == .ansi256)
        #expect(ColorMode.forTerminal(colors: 1 << 24) == .direct)
    }

    @Test(arguments: [
        ("normal = red\nmuted = purpel", "t.theme:2: unknown colour 'purpel'"),
        ("\n\ncolour = red", "t.theme:3: unknown role 'colour'"),
        ("normal red", "t.theme:1: expected 'role = colour"),
        ("normal = 300", "t.theme:1: colour 300 is out of range 0-255"),
        ("normal = #12345", "t.theme:1: '#12345' is not a #rrggbb colour"),
        ("normal = red on", "t.theme:1: 'on' needs a background colour"),
        ("normal = red blink", "t.theme:1: 'blink' is not an attribute"),
        ("normal = red\nnormal = blue", "t.theme:2: role 'normal' is set twice"),
        ("[colours]", "t.theme:1: unknown section '[colours]'"),
        ("[no-color]\nheader = red", "t.theme:2: 'red': [no-color] takes attributes only"),
        ("# nothing\n", "t.theme: no roles set"),
        ("normal =", "t.theme:1: nothing after '='"),
    ])
    func badFilesSayFileLineAndWhat(text: String, expected: String) {
        #expect {
            _ = try ThemeFile.parse(text, name: "t", file: "t.theme")
        } throws: { error in
            "\(error)".hasPrefix(expected)
        }
    }

    @Test func catalogFindsByNameAndListsChoices() throws {
        let catalog = try ThemeCatalog(sources: [.init(name: "paper", text: "normal = black on white", file: "paper.theme")])
        #expect(catalog.named("paper")?.colored[.normal] == TerminalStyle(foreground: .ansi(0), background: .ansi(7)))
        #expect(catalog.named("mono") != nil)
        #expect(catalog.named("nope") == nil)
        #expect(catalog.names == ["default-dark", "mono", "paper"])
        #expect(throws: ThemeFileError.self) { try catalog.theme(named: "nope") }
    }
}
