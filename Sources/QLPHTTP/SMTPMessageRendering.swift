import Foundation

extension SMTPMail {
    /// The RFC 5322 message as sent after SMTP's DATA: header fields, a blank
    /// line, the body; every line ends in CRLF and none is longer than 998 bytes.
    ///
    /// Lines starting with "." are left alone: libcurl doubles the dot
    /// itself while uploading (RFC 5321 4.5.2; curl's test 901 checks it).
    ///
    /// - Parameter date: the Date field's value, in UTC.
    /// - Throws: ``SMTPMessageError`` naming the first field that could
    ///   inject header fields or SMTP commands, or is not well-formed.
    public func renderedMessage(date: Date = Date()) throws(SMTPMessageError) -> [UInt8] {
        try validateEnvelope()
        let extras = try checkedExtraHeaders()
        let subjectField = try Self.subjectField(subject)

        var head: [String] = [
            "Date: " + Self.rfc5322Date(date),
            "From: " + from,
            Self.folded(field: "To", items: to),
            subjectField,
        ]
        // Message-ID first among the extras, where readers of raw mail look for it.
        head += extras.filter { $0.name.lowercased() == "message-id" }.map { "\($0.name): \($0.value)" }
        head += extras.filter { $0.name.lowercased() != "message-id" }.map { "\($0.name): \($0.value)" }

        let (encoding, body) = Self.encodedBody(textBody)
        head += [
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=utf-8",
            "Content-Transfer-Encoding: " + encoding,
        ]
        var message: [UInt8] = []
        for line in head { message += Array(line.utf8) + [13, 10] }
        message += [13, 10]
        message += body
        return message
    }

    /// Checks the addresses that also go into MAIL FROM and RCPT TO, where a
    /// line break would start a new SMTP command.
    func validateEnvelope() throws(SMTPMessageError) {
        try Self.checkAddress(from, field: "From")
        guard !to.isEmpty else { throw SMTPMessageError(field: "To", problem: .noRecipients) }
        for address in to { try Self.checkAddress(address, field: "To") }
    }

    private static func checkAddress(_ address: String, field: String) throws(SMTPMessageError) {
        try checkNoControlBreaks(address, field: field)
        // A plain addr-spec only: no display name, comment, angle brackets
        // or SMTP parameters, whose syntax libcurl would pass on verbatim.
        let atextPunctuation = Set("!#$%&'*+-/=?^_`{|}~.".utf8)
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty, address.utf8.count <= 254,
            parts[0].utf8.allSatisfy({ isASCIIAlphanumeric($0) || atextPunctuation.contains($0) }),
            parts[1].utf8.allSatisfy({ isASCIIAlphanumeric($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".") }),
            !parts[1].hasPrefix("."), !parts[1].hasSuffix(".")
        else { throw SMTPMessageError(field: field, problem: .invalidAddress) }
    }

    private static func isASCIIAlphanumeric(_ byte: UInt8) -> Bool {
        (48...57).contains(byte) || (65...90).contains(byte) || (97...122).contains(byte)
    }

    private static func checkNoControlBreaks(_ value: String, field: String) throws(SMTPMessageError) {
        if value.utf8.contains(where: { $0 == 13 || $0 == 10 }) { throw SMTPMessageError(field: field, problem: .lineBreak) }
        if value.utf8.contains(0) { throw SMTPMessageError(field: field, problem: .nulCharacter) }
    }

    private static let reservedNames: Set<String> = [
        "date", "from", "to", "subject", "mime-version", "content-type", "content-transfer-encoding",
    ]

    private func checkedExtraHeaders() throws(SMTPMessageError) -> [SMTPHeader] {
        var seen: Set<String> = []
        for (index, header) in extraHeaders.enumerated() {
            // RFC 5322 3.6.8: printable ASCII except the colon. The name is
            // not repeated in the error when it is not one.
            guard !header.name.isEmpty, header.name.utf8.allSatisfy({ (33...126).contains($0) && $0 != 58 }) else {
                throw SMTPMessageError(field: "extra header #\(index + 1)", problem: .invalidHeaderName)
            }
            let key = header.name.lowercased()
            guard !Self.reservedNames.contains(key) else { throw SMTPMessageError(field: header.name, problem: .reservedHeader) }
            guard seen.insert(key).inserted else { throw SMTPMessageError(field: header.name, problem: .duplicateHeader) }
            try Self.checkNoControlBreaks(header.value, field: header.name)
            guard header.value.utf8.allSatisfy({ (32...126).contains($0) || $0 == 9 }) else {
                throw SMTPMessageError(field: header.name, problem: .nonASCIIValue)
            }
            guard header.name.utf8.count + 2 + header.value.utf8.count <= 998 else {
                throw SMTPMessageError(field: header.name, problem: .lineTooLong)
            }
        }
        return extraHeaders
    }

    /// Plain when it is printable ASCII that no reader could take for an
    /// encoded word and that fits a line; RFC 2047 encoded words otherwise,
    /// one per folded line.
    static func subjectField(_ subject: String) throws(SMTPMessageError) -> String {
        try checkNoControlBreaks(subject, field: "Subject")
        let plain =
            subject.utf8.allSatisfy { (32...126).contains($0) || $0 == 9 }
            && !subject.contains("=?") && subject.utf8.count <= 998 - "Subject: ".utf8.count
        if plain { return "Subject: " + subject }
        return "Subject: " + MIMEEncoding.encodedWords(subject).joined(separator: "\r\n ")
    }

    /// `Field: a, b, c`, folded after a comma before a line passes 78 characters.
    static func folded(field: String, items: [String]) -> String {
        var text = field + ":"
        var lineLength = text.utf8.count
        for (index, item) in items.enumerated() {
            let separator = index == 0 ? "" : ","
            if index > 0, lineLength + separator.utf8.count + 1 + item.utf8.count > 78 {
                text += separator + "\r\n " + item
                lineLength = 1 + item.utf8.count
            } else {
                text += separator + " " + item
                lineLength += separator.utf8.count + 1 + item.utf8.count
            }
        }
        return text
    }

    /// The Content-Transfer-Encoding and the encoded body.
    ///
    /// 7bit when the text is printable ASCII in lines SMTP can carry;
    /// otherwise the shorter of quoted-printable (readable when the text is
    /// mostly ASCII, as alerts are) and base64 (shorter for mostly non-Latin
    /// text, which quoted-printable triples).
    static func encodedBody(_ text: String) -> (encoding: String, body: [UInt8]) {
        let lines = MIMEEncoding.lines(of: text)
        let sevenBit = lines.allSatisfy { line in
            line.count <= 998 && line.allSatisfy { (32...126).contains($0) || $0 == 9 }
        }
        if sevenBit { return ("7bit", Array(lines.map { $0 + [13, 10] }.joined())) }
        let quoted = MIMEEncoding.quotedPrintable(lines: lines)
        let base64 = MIMEEncoding.base64(lines: lines)
        return quoted.count <= base64.count ? ("quoted-printable", quoted) : ("base64", base64)
    }

    /// RFC 5322 3.3 date-time in UTC: `Sat, 05 Dec 2026 18:33:59 +0000`.
    static func rfc5322Date(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(days[Int(parts.tm_wday)]), \(two(parts.tm_mday)) \(months[Int(parts.tm_mon)]) \(parts.tm_year + 1900) "
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)) +0000"
    }
}
