import CNcursesw
import QLPCanvas
import Testing

@testable import QLPTerminal

@Suite struct RowPlanTests {
    /// .normal: plain; .ok: plain, green, solid-capable; .header: own background.
    private let looks: [RoleLook] = {
        var looks = [RoleLook](
            repeating: RoleLook(attributes: 0, pair: 1, solid: .glyph, hasPlainBlank: true),
            count: CursesTerminal.roleCount)
        looks[Int(StyleRole.ok.rawValue)] = RoleLook(
            attributes: 0, pair: 7, solid: .coloured(attributes: 0, pair: 40),
            hasPlainBlank: true)
        looks[Int(StyleRole.header.rawValue)] = RoleLook(attributes: 0, pair: 9, solid: .glyph, hasPlainBlank: false)
        return looks
    }()

    private func cells(_ text: String, _ role: StyleRole) -> [Cell] { text.map { Cell($0, role: role) } }

    @Test func aPlainBlankBorrowsThePreviousCellsAttributes() {
        let row = cells("▅▅", .ok) + cells("  ", .normal) + cells("▅", .ok)
        let plan = RowPlan.plan(row[...], looks: looks)
        #expect(plan.map(\.pair) == [7, 7, 7, 7, 7])
        #expect(String(plan.map(\.grapheme)) == "▅▅  ▅")
    }

    @Test func blanksAfterAColouredBackgroundKeepTheirOwnLook() {
        let row = cells("ab", .header) + cells(" ", .normal)
        let plan = RowPlan.plan(row[...], looks: looks)
        #expect(plan.map(\.pair) == [9, 9, 1])
    }

    @Test func longRunsOfFullBlocksBecomeColouredBlanks() {
        let run = String(repeating: "█", count: SolidRuns.minimumRun)
        let row = cells(run, .ok) + cells(" ", .normal) + cells("███", .ok)
        let plan = RowPlan.plan(row[...], looks: looks)
        #expect(plan.prefix(SolidRuns.minimumRun).allSatisfy { $0 == PlannedCell(grapheme: " ", attributes: 0, pair: 40) })
        // The blank after a solid run keeps the default look: borrowing the
        // solid pair would paint it.
        #expect(plan[SolidRuns.minimumRun].pair == 1)
        #expect(plan.suffix(3).allSatisfy { $0.grapheme == "█" && $0.pair == 7 })
    }

    @Test func aRoleWithoutSolidColourKeepsItsGlyphs() {
        let run = String(repeating: "█", count: SolidRuns.minimumRun + 2)
        let plan = RowPlan.plan(cells(run, .normal)[...], looks: looks)
        #expect(plan.allSatisfy { $0.grapheme == "█" })
    }

    @Test func aTrackIsSolidOnlyInColour() {
        var looks = looks
        let track = cells("░░", .ok)
        #expect(RowPlan.plan(track[...], looks: looks).allSatisfy { $0.grapheme == " " && $0.pair == 40 })
        // Reverse video would make a track look full: it keeps its glyph.
        looks[Int(StyleRole.ok.rawValue)].solid = .reversed(attributes: 0, pair: 7)
        #expect(RowPlan.plan(track[...], looks: looks).allSatisfy { $0.grapheme == "░" })
        let blocks = cells(String(repeating: "█", count: SolidRuns.minimumRun), .ok)
        #expect(RowPlan.plan(blocks[...], looks: looks).allSatisfy { $0.grapheme == " " })
    }
}
