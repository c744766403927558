/// The command a mistyped word most likely meant: `qlp reprot` is answered
/// "did you mean `qlp report`?" instead of being read as options of the
/// default command.
enum CommandSuggestion {
    /// The nearest name within two edits (a swap of neighbours counts as
    /// one), or a name the word begins or ends a prefix of; nil when nothing
    /// is that close.
    static func nearest(to word: String, among names: [String]) -> String? {
        let typed = word.lowercased()
        let scored = names.map { (name: $0, distance: distance(typed, $0.lowercased())) }
        if let prefix = names.first(where: { $0.hasPrefix(typed) && typed.count >= 3 }) { return prefix }
        guard let best = scored.min(by: { ($0.distance, $0.name) < ($1.distance, $1.name) }),
            best.distance <= min(2, max(1, typed.count / 3))
        else { return nil }
        return best.name
    }

    /// Edits between two words (insert, delete, substitute, swap two
    /// neighbours): the optimal string alignment distance.
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a)
        let b = Array(b)
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
        var d = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { d[i][0] = i }
        for j in 0...b.count { d[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1) }
            }
        }
        return d[a.count][b.count]
    }
}
