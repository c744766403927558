/// The password an SMTP server is logged in to with.
///
/// QLPHTTP cannot use QLPCore's `Secret` (it depends only on libcurl and
/// logging), so this is its own small wrapper with the same promise: every
/// textual form (description, debugDescription, interpolation, `dump`) is
/// `<redacted>`, and only ``reveal()`` gives the value, for the one call that
/// hands it to libcurl.
public struct SMTPPassword: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    private let value: String

    public init(_ value: String) { self.value = value }

    /// The password itself; only for handing it to libcurl.
    public func reveal() -> String { value }

    public var description: String { "<redacted>" }
    public var debugDescription: String { "<redacted>" }
    public var customMirror: Mirror { Mirror(self, children: []) }
}
