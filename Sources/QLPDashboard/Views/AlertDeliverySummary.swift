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

    /// "failed", "retry 3", "queued", "sent": the worst sink's state; "-" when no sink took this alert.
    var word: String {
        guard let worst = sinks.min(by: { Self.rank($0.status) < Self.rank($1.status) }) else { return "-" }
        switch worst.status {
        case .failed: return "failed"
        case .retrying:
            let attempts = sinks.compactMap { if case .retrying(let attempt, _, _) = $0.status { attempt } else { nil } }
            return "retry \(attempts.max() ?? 1)"
        case .pending: return "queued"
        case .sent: return "sent"
        }
    }

    var role: StyleRole {
        switch word {
        case "failed": .critical
        case "sent": .ok
        case "-", "queued": .muted
        default: .warning
        }
    }

    /// "delivery (raised): teams-channel failed: HTTP 404: … · team-chat retrying (attempt 2: HTTP 500: …), next 14:02:41 ·
    /// oncall-webhook sent 14:02:11": the worst first, so that a cut line loses the good news.
    func detailLines(width: Int, context: RenderContext) -> [String] {
        let ordered = sinks.sorted { Self.rank($0.status) < Self.rank($1.status) }
        let parts = ordered.map { sink -> String in
            switch sink.status {
            case .failed(let reason): "\(sink.sink) failed: \(reason)"
            case .retrying(let attempt, let next, let error):
                "\(sink.sink) retrying (attempt \(attempt)\(error.map { ": \($0)" } ?? "")), next \(context.format.time(next))"
            case .pending: "\(sink.sink) queued"
            case .sent(let at): "\(sink.sink) sent \(context.format.time(at))"
            }
        }
        let kinds = Set(ordered.map(\.transitionKind.name))
        let head = kinds.count == 1 ? "delivery (\(kinds.first ?? "")): " : "delivery: "
        var lines = DisplayWidth.wrap(head + parts.joined(separator: " \(context.glyphs.separator) "), to: width)
        if lines.count > Self.detailLineLimit {
            let last = lines[Self.detailLineLimit - 1] + " " + lines[Self.detailLineLimit]
            lines =
                Array(lines.prefix(Self.detailLineLimit - 1)) + [DisplayWidth.truncate(last, to: width, ellipsis: context.glyphs.ellipsis)]
        }
        return lines
    }

    static let detailLineLimit = 3

    /// Worst first: failed, retrying, queued, sent.
    static func rank(_ status: SinkDelivery.Status) -> Int {
        switch status {
        case .failed: 0
        case .retrying: 1
        case .pending: 2
        case .sent: 3
        }
    }
}
