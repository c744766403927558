import QLPCanvas
import Testing

@testable import QLPTerminal

@Suite struct SolidRunsTests {
    private func row(_ text: String, role: StyleRole = .ok) -> [Cell] {
        text.map { Cell($0, role: role) }
    }

    @Test func onlyLongRunsOfOneRoleAreSolid() {
        let long = String(repeating: "█", count: SolidRuns.minimumRun)
        let short = String(repeating: "█", count: SolidRuns.minimumRun - 1)
        let cells = row("ab" + long + " " + short + "▅")
        let solid = SolidRuns.solidColumns(cells[...])
        #expect(solid.count == cells.count)
        #expect(solid[0..<2].allSatisfy { !$0 })
        #expect(solid[2..<(2 + SolidRuns.minimumRun)].allSatisfy { $0 })
        #expect(solid[(2 + SolidRuns.minimumRun)...].allSatisfy { !$0 })
    }

    @Test func aRoleChangeSplitsARun() {
        let half = String(repeating: "█", count: SolidRuns.minimumRun / 2 + 1)
        let cells = row(half, role: .ok) + row(half, role: .warning)
        #expect(!SolidRuns.solidColumns(cells[...]).contains(true))
    }

    @Test func blocksNeedALongRunTracksDoNot() {
        let half = SolidRuns.minimumRun / 2 + 1
        let mixed = row(String(repeating: "█", count: half) + String(repeating: "░", count: half))
        // Too few blocks for a solid run; every track cell is solid.
        #expect(SolidRuns.solidColumns(mixed[...]) == Array(repeating: false, count: half) + Array(repeating: true, count: half))
        let track = row("░")
        #expect(SolidRuns.solidColumns(track[...]) == [true], "a track is solid whatever its length")
    }

    @Test func worksOnASliceOfALargerGrid() {
        let long = row(String(repeating: "█", count: 20))
        let grid = row("xxxx") + long
        let solid = SolidRuns.solidColumns(grid[4...])
        #expect(solid == Array(repeating: true, count: 20))
    }
}
