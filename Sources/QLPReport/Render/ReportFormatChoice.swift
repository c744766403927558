/// Which format a report is written in, from --format and the --output
/// file's name together: a file called november.csv gets CSV without being
/// told twice, and one told two different things is refused, not guessed.
extension ReportFormat {
    /// The format a file's extension names (.txt, .md or .markdown, .csv,
    /// .json, any case); nil for any other name.
    public init?(fileName: String) {
        guard let dot = fileName.lastIndex(of: "."), !fileName[dot...].contains("/") else { return nil }
        let ext = fileName[fileName.index(after: dot)...].lowercased()
        if ext == "markdown" {
            self = .markdown
            return
        }
        guard let format = Self.allCases.first(where: { $0.fileExtension == ext }) else { return nil }
        self = format
    }

    /// The format given, else the one the output file's name says, else a table.
    public static func chosen(_ given: ReportFormat?, output: String?) throws(ReportFormatConflict) -> ReportFormat {
        let named = output.flatMap { ReportFormat(fileName: $0) }
        if let given, let named, let output, given != named { throw ReportFormatConflict(output: output, named: named, given: given) }
        return given ?? named ?? .table
    }
}

/// --format says one thing and the --output file's extension another.
public struct ReportFormatConflict: Error, Sendable, Equatable, CustomStringConvertible {
    public var output: String
    public var named: ReportFormat
    public var given: ReportFormat

    public var description: String {
        "--output \(output) names a \(named.rawValue) file but --format is \(given.rawValue); "
            + "leave out --format, or name the file .\(given.fileExtension)"
    }
}
