import Foundation
import QLPCanvas
import QLPStore

/// Where one alert's latest notification stands across its sinks, in a word
/// for the DELIVERY column (the worst sink decides) and in full, sink by
/// sink, for the lines under the table.
struct AlertDeliverySummary {
    var sinks: [SinkDelivery]

    init(_ sinks: [SinkDelivery]) {
        self.sinks = sinks.sorted { $0.sink < $1.sink }
    }

    /// "failed", "retry 3", "queued", "sent"; "-" when no sink took this alert.
    var word: String {
        var retryAttempt: Int?
        var queued = false
        for sink in sinks {
            switch sink.status {
            case .failed: return "failed"
            case .retrying(let attempt, _, _): retryAttempt = max(retryAttempt ?? 0, attempt)
            case .pending: queued = true
            case .sent: break
            }
        }
        if let retryAttempt { return "retry \(retryAttempt)" }
        if queued { return "queued" }
        return sinks.isEmpty ? "-" : "sent"
    }

    var role: StyleRole {
        switch word {
        case "failed": .critical
        case "sent": .ok
        case "-", "queued": .muted
        default: .warning
        }
    }

    /// "oncall-webhook: cleared sent 14:02:11 · finance-mail: raised failed: smtp://…: login denied (535 …)", wrapped.
    func detailLines(width: Int, context: RenderContext) -> [String] {
        let parts = sinks.map { sink -> String in
            let state: String = switch sink.status {
            case .pending: "queued"
            case .sent(let at): "sent \(context.format.time(at))"
            case .retrying(let attempt, let next, let error):
                "attempt \(attempt) failed\(error.map { " (\($0))" } ?? ""), next at \(context.format.time(next))"
            case .failed(let reason): "failed: \(reason)"
            }
            return "\(sink.sink): \(sink.transitionKind) \(state)"
        }
        var lines = DisplayWidth.wrap("delivery: " + parts.joined(separator: " \(context.glyphs.separator) "), to: width)
        if lines.count > 2 {
            lines = [lines[0], DisplayWidth.truncate(lines[1] + " " + lines[2], to: width, ellipsis: context.glyphs.ellipsis)]
        }
        return lines
    }
}
