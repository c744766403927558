import Foundation
import QLPCore
import QLPStore
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The dashboard's SQLite files hold cost figures and history: only their
/// owner may read them, whatever the umask, -wal and -shm included.
@Suite struct OwnerOnlyStoreFileTests {
    static func mode(_ path: String) -> mode_t? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return info.st_mode & 0o777
    }

    static func octal(_ path: String) -> String { mode(path).map { String($0, radix: 8) } ?? "missing" }

    static func scratch() -> String {
        NSTemporaryDirectory() + "qlp-modes-\(UUID().uuidString)"
    }

    @Test func finding13_costHistoryDirectoryAndDatabaseFilesAreOwnerOnly() throws {
        let directory = Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let state = directory + "/state/qlp"
        let history = try SQLiteCostHistory(path: state + "/history.sqlite")
        let day = CivilDate(year: 2026, month: 11, day: 26)!
        try history.save(CostSnapshot(scope: "subscriptions/s", range: DayRange(day, day)!, costs: [], fetchedAt: Date()))
        #expect(Self.mode(directory + "/state") == 0o700, "the parent qlp created is \(Self.octal(directory + "/state"))")
        #expect(Self.mode(state) == 0o700, "the state directory is \(Self.octal(state))")
        for file in ["history.sqlite", "history.sqlite-wal", "history.sqlite-shm"] {
            #expect(Self.mode(state + "/" + file) == 0o600, "\(file) is \(Self.octal(state + "/" + file))")
        }
    }

    @Test func finding13_aSeriesHistoryLeftWorldReadableByAnEarlierRunIsTightened() throws {
        let directory = Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = directory + "/series.sqlite"
        do {
            let first = try SQLiteSeriesHistory(path: path)
            try first.record(["cpu": SeriesPoint(at: Date(), value: 1)])
        }
        for file in [path, path + "-wal", path + "-shm"] where FileManager.default.fileExists(atPath: file) {
            chmod(file, 0o644)
        }
        let reopened = try SQLiteSeriesHistory(path: path)
        try reopened.record(["cpu": SeriesPoint(at: Date(), value: 2)])
        for file in [path, path + "-wal", path + "-shm"] {
            #expect(Self.mode(file) == 0o600, "\(file) is \(Self.octal(file))")
        }
    }
}
