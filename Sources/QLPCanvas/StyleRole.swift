/// What a cell means, not what colour it is. Views say "this is a warning";
/// the terminal backend's theme decides how a warning looks (colour, bold,
/// reverse), so themes and NO_COLOR never touch view code.
public enum StyleRole: UInt8, Sendable, CaseIterable, Hashable {
    case normal
    /// Secondary text: units, hints, timestamps.
    case muted
    /// Panel and section titles.
    case title
    /// The top header bar.
    case header
    /// The DEMO badge: must be unmistakable.
    case demo
    case accent
    case ok
    case warning
    case critical
    /// Data that is no longer fresh.
    case stale
    case gaugeEmpty
    case gaugeMarker
    case border
    case helpKey
    case helpText
    case selection
}
