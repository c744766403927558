import QLPCanvas
import Testing

@testable import QLPTerminal

struct ThemeTests {
    @Test func reductionTo8Colours() {
        #expect(TerminalColor.indexed(214).reducedToAnsi8(asForeground: true).color == .ansi(3))  // orange -> yellow
        #expect(TerminalColor.indexed(25).reducedToAnsi8(asForeground: false).color == .ansi(4))  // deep blue
        #expect(TerminalColor.indexed(196).reducedToAnsi8(asForeground: true).color == .ansi(1))
        #expect(TerminalColor.indexed(76).reducedToAnsi8(asForeground: true).color == .ansi(2))
        #expect(TerminalColor.indexed(226).reducedToAnsi8(asForeground: false).color == .ansi(3))
        #expect(TerminalColor.indexed(16).reducedToAnsi8(asForeground: true).color == .ansi(0))
        #expect(TerminalColor.ansi(9).reducedToAnsi8(asForeground: true).color == .ansi(1))
        let grey = TerminalColor.indexed(245).reducedToAnsi8(asForeground: true)
        #expect(grey.color == .ansi(7) && grey.dimmed)
        #expect(TerminalColor.indexed(240).reducedToAnsi8(asForeground: false).color == .ansi(0))
    }

    @Test func monochromeStylesHaveNoColours() {
        for role in StyleRole.allCases {
            for theme in [Theme.defaultDark, .mono] {
                let style = theme.style(for: role, mode: .none)
                #expect(style.foreground == .default && style.background == .default)
            }
        }
    }

    @Test func meaningfulRolesDifferFromNormalWithoutColour() {
        let normal = Theme.defaultDark.style(for: .normal, mode: .none)
        for role in [StyleRole.muted, .title, .header, .demo, .warning, .critical, .stale, .helpKey, .selection, .gaugeEmpty] {
            #expect(Theme.defaultDark.style(for: role, mode: .none) != normal, "\(role)")
        }
        #expect(Theme.defaultDark.style(for: .demo, mode: .none) != Theme.defaultDark.style(for: .header, mode: .none))
        #expect(Theme.defaultDark.style(for: .critical, mode: .none) != Theme.defaultDark.style(for: .warning, mode: .none))
    }

    @Test func ansi8OnlyUsesBasicColours() {
        for role in StyleRole.allCases {
            let style = Theme.defaultDark.style(for: role, mode: .ansi8)
            for color in [style.foreground, style.background] {
                if case .ansi(let n) = color { #expect(n < 8) } else { #expect(color == .default) }
            }
        }
        #expect(Theme.defaultDark.style(for: .demo, mode: .ansi8).background == .ansi(3))
        #expect(Theme.defaultDark.style(for: .demo, mode: .ansi8).foreground == .ansi(0))
        #expect(Theme.defaultDark.style(for: .muted, mode: .ansi8).dim)
    }

    @Test func durationToMilliseconds() {
        #expect(CursesTerminal.milliseconds(.zero) == 0)
        #expect(CursesTerminal.milliseconds(.milliseconds(-5)) == 0)
        #expect(CursesTerminal.milliseconds(.microseconds(100)) == 1)
        #expect(CursesTerminal.milliseconds(.seconds(1.5)) == 1500)
        #expect(CursesTerminal.milliseconds(.seconds(10_000_000)) == Int32.max)
    }

    @Test func errorMessagesSayWhatToDo() {
        #expect(TerminalError.notATerminal.description.contains("qlp report"))
        #expect(TerminalError.cannotInitialize(term: "vt-odd").description.contains("TERM=vt-odd"))
        #expect(TerminalError.cannotInitialize(term: "").description.contains("TERM is not set"))
    }
}
