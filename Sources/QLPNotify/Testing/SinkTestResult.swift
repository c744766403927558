/// What a sink's receiver made of a test message, or of a connection
/// attempt: for `qlp alerts test` and `qlp doctor`. Names the sink and its
/// address as scheme://host only.
public struct SinkTestResult: Sendable, Equatable, CustomStringConvertible {
    public enum Outcome: Sendable, Equatable {
        /// The receiver took the message (or, for a reachability check, the connection was made).
        case ok
        /// The receiver answered, but not with success.
        case refused
        /// No answer: name lookup, connection, TLS or time-out.
        case unreachable
        /// This build or set-up cannot check the sink (email without a mailer).
        case unavailable
    }

    public var sink: String
    /// `https://hooks.slack.com`, `smtp server smtp.example.com`.
    public var address: String
    public var outcome: Outcome
    /// The HTTP status, when the receiver answered.
    public var status: Int?
    /// The start of the receiver's answer, or what went wrong, in a few words.
    public var detail: String

    public init(sink: String, address: String, outcome: Outcome, status: Int? = nil, detail: String) {
        self.sink = sink
        self.address = address
        self.outcome = outcome
        self.status = status
        self.detail = detail
    }

    public var isOK: Bool { outcome == .ok }

    /// "oncall-webhook (https://alerts.example.com): HTTP 200: ok".
    public var description: String {
        var text = "\(sink) (\(address)): "
        if let status { text += "HTTP \(status)" + (detail.isEmpty ? "" : ": ") }
        return text + detail
    }
}
