import QLPCanvas

/// One line of `qlp doctor`'s table.
struct DoctorCheck: Sendable {
    enum Outcome: Sendable {
        case ok(String)
        case fail(String, remedy: String)
        /// Not applicable here (nothing configured for it): not a failure.
        case skipped(String)
    }

    var name: String
    var outcome: Outcome

    var passed: Bool {
        if case .fail = outcome { return false }
        return true
    }
}

/// The table, in columns that fit a terminal.
enum DoctorTable {
    static func render(_ checks: [DoctorCheck], width: Int = 100) -> String {
        let nameW = min(34, checks.map { DisplayWidth.of($0.name) }.max() ?? 10)
        var lines = [DisplayWidth.pad("CHECK", to: nameW) + "  RESULT  DETAIL"]
        for check in checks {
            let (word, detail, remedy): (String, String, String?) =
                switch check.outcome {
                case .ok(let d): ("OK", d, nil)
                case .fail(let d, let r): ("FAIL", d, r)
                case .skipped(let d): ("SKIP", d, nil)
                }
            let indent = String(repeating: " ", count: nameW + 10)
            let textWidth = max(30, width - nameW - 10)
            // URLs, paths and commands stay whole (past the width if need be): they are copied, not read.
            let wrapped = DisplayWidth.wrap(detail, to: textWidth, splittingLongWords: false)
            lines.append(DisplayWidth.pad(check.name, to: nameW) + "  " + DisplayWidth.pad(word, to: 6) + "  " + (wrapped.first ?? ""))
            lines += wrapped.dropFirst().map { indent + $0 }
            if let remedy {
                lines += DisplayWidth.wrap("fix: " + remedy, to: textWidth, splittingLongWords: false).map { indent + $0 }
            }
        }
        let failed = checks.filter { !$0.passed }.count
        lines.append("")
        lines.append(failed == 0 ? "All \(checks.count) checks passed." : "\(failed) of \(checks.count) checks failed.")
        return lines.joined(separator: "\n") + "\n"
    }
}
