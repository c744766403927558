/// Why an ``SMTPMail`` cannot be rendered: found before anything is sent.
///
/// Names the field but never repeats its value: a value with a line break
/// would break the log line it is printed on, and header values may be
/// private.
public struct SMTPMessageError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Problem: Sendable, Equatable {
        /// A CR or LF, which would end the header and start another
        /// (header injection) or, in an address, a new SMTP command.
        case lineBreak
        /// A NUL byte, which C strings (and so libcurl) would cut short.
        case nulCharacter
        /// Not a plain ASCII `local@domain` address.
        case invalidAddress
        /// The mail has no recipient.
        case noRecipients
        /// Not a header field name (printable ASCII, no colon, not empty).
        case invalidHeaderName
        /// Extra header values go out as given, so they must be printable ASCII.
        case nonASCIIValue
        /// A field the renderer writes itself (Date, From, To, Subject, MIME ones).
        case reservedHeader
        /// The same extra field twice.
        case duplicateHeader
        /// Longer than the 998 bytes a header line may have (RFC 5322 2.1.1).
        case lineTooLong
    }

    /// The header field, as `From`, `To`, `Subject` or an extra field's name.
    public let field: String
    public let problem: Problem

    public init(field: String, problem: Problem) {
        self.field = field
        self.problem = problem
    }

    public var description: String {
        let what =
            switch problem {
            case .lineBreak: "contains a line break (CR or LF), which could inject header fields or SMTP commands"
            case .nulCharacter: "contains a NUL character"
            case .invalidAddress: "is not a plain ASCII address like name@example.com"
            case .noRecipients: "names no recipient"
            case .invalidHeaderName: "is not a valid header field name"
            case .nonASCIIValue: "must be printable ASCII"
            case .reservedHeader: "is written by the mail renderer and cannot be given as an extra header"
            case .duplicateHeader: "is given more than once"
            case .lineTooLong: "is longer than a header line may be (998 bytes)"
            }
        return "\(field) \(what)"
    }
}
