import Foundation
import QLPCanvas
import QLPCore

/// A problem in an input file, located: "costs.csv:14: BilledCost: 'abc' is not a number".
public struct ImportProblem: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    /// 1-based physical line where the row starts; nil for whole-file problems.
    public var line: Int?
    /// The CSV column name (as the file's header spells it).
    public var column: String?
    public var message: String

    public init(file: String, line: Int? = nil, column: String? = nil, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    /// One printable line: a message quotes the file's own fields and header,
    /// so whatever controls or escape sequences they hold are made visible
    /// and inert here, where every caller (stderr, a report's skipped rows)
    /// gets the text.
    public var description: String {
        var text = file
        if let line { text += ":\(line)" }
        text += ": "
        if let column { text += "\(column): " }
        return TerminalSafeText.printedLine(text + message)
    }
}

/// Which file layout an import read.
public enum CostFileFormat: Sendable, Equatable, CustomStringConvertible {
    /// FOCUS "1.0", "1.2" or "1.3", judged by the columns present.
    case focus(version: String)
    /// Azure Cost Management actual or amortized cost export (EA or MCA column names).
    case azureCostExport

    public var description: String {
        switch self {
        case .focus(let version): "FOCUS \(version)"
        case .azureCostExport: "Azure cost export"
        }
    }
}

/// What reading one cost file found, apart from its records (which went to
/// the caller as they were read).
public struct CostFileSummary: Sendable {
    public var file: String
    public var format: CostFileFormat
    /// Data rows read (including skipped ones).
    public var rowCount: Int
    /// The first `CostFileImporter.keptProblems` rows skipped because of
    /// --skip-bad-rows, each with its problem.
    public var skipped: [ImportProblem]
    /// Every row skipped, described in `skipped` or not.
    public var skippedCount: Int

    public init(file: String, format: CostFileFormat, rowCount: Int, skipped: [ImportProblem], skippedCount: Int) {
        self.file = file
        self.format = format
        self.rowCount = rowCount
        self.skipped = skipped
        self.skippedCount = skippedCount
    }
}

/// The rows of one cost file, as records, all kept.
public struct CostFileImport: Sendable {
    public var file: String
    public var format: CostFileFormat
    public var records: [CostRecord]
    /// Data rows read (including skipped ones).
    public var rowCount: Int
    /// Rows skipped because of --skip-bad-rows, each with its problem (the
    /// first `CostFileImporter.keptProblems` of them).
    public var skipped: [ImportProblem]
    /// Every row skipped.
    public var skippedCount: Int

    public init(summary: CostFileSummary, records: [CostRecord]) {
        file = summary.file
        format = summary.format
        self.records = records
        rowCount = summary.rowCount
        skipped = summary.skipped
        skippedCount = summary.skippedCount
    }

    /// Every currency a record is in (a report must not sum across them).
    public var currencies: Set<Currency> { Set(records.map(\.currency)) }
}
