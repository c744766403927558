import Foundation
import QLPCore

extension Comparison {
    /// The lines of two periods by name: the eight largest of this period,
    /// then "Others" (when more than nine), then any fixed last line (Untagged).
    static func build(
        current: [String: Decimal], previous: [String: Decimal], keepLast: String? = nil,
        limit: Int = 10
    ) -> Comparison {
        let names = Set(current.keys).union(previous.keys)
        var lines = names.map { Line(name: $0, current: current[$0] ?? 0, previous: previous[$0] ?? 0) }
        // Largest this period first; ties by last period, then name, so output is stable.
        lines.sort { ($0.current, $0.previous, $1.name) > ($1.current, $1.previous, $0.name) }
        var fixed: Line?
        if let keepLast, let index = lines.firstIndex(where: { $0.name == keepLast }) { fixed = lines.remove(at: index) }
        let room = limit - (fixed == nil ? 0 : 1)
        var shown = lines
        if lines.count > room {
            shown = Array(lines.prefix(room - 1))
            let rest = lines.dropFirst(room - 1)
            shown.append(Line(name: "Others", current: rest.reduce(0) { $0 + $1.current }, previous: rest.reduce(0) { $0 + $1.previous }))
        }
        if let fixed { shown.append(fixed) }
        let moving = lines.filter { $0.change != 0 }
        let risers = moving.filter { $0.change > 0 }.sorted { ($0.change, $1.name) > ($1.change, $0.name) }.prefix(3)
        let fallers = moving.filter { $0.change < 0 }.sorted { ($0.change, $0.name) < ($1.change, $1.name) }.prefix(3)
        return Comparison(
            lines: shown, risers: Array(risers), fallers: Array(fallers),
            currentTotal: current.values.reduce(0, +), previousTotal: previous.values.reduce(0, +))
    }
}
