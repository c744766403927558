import Foundation
import QLPHTTP
import Testing

/// SMTPMail.renderedMessage: pure, no server. The integration tests in
/// SMTPMailTests.swift check the same output against Python's email parser.
@Suite struct SMTPMessageRenderingTests {
    /// 2026-12-05 18:33:59 UTC, a Saturday.
    static let date = Date(timeIntervalSince1970: 1_796_495_639)

    static func text(_ mail: SMTPMail) throws -> String {
        String(decoding: try mail.renderedMessage(date: date), as: UTF8.self)
    }

    static func headerAndBody(_ mail: SMTPMail) throws -> (head: String, body: String) {
        let message = try text(mail)
        let split = try #require(message.firstRange(of: "\r\n\r\n"))
        return (String(message[..<split.lowerBound]), String(message[split.upperBound...]))
    }

    @Test func anASCIIMailIsRenderedExactly() throws {
        let mail = SMTPMail(
            from: "alerts@qlp.example", to: ["ops@qlp.example"], subject: "Gateway 5xx rate high",
            textBody: "Line one\nLine two\n", extraHeaders: [.idempotencyKey("k-1"), .messageID("<m1@qlp.example>")])
        #expect(
            try Self.text(mail) == """
                Date: Sat, 05 Dec 2026 18:33:59 +0000\r
                From: alerts@qlp.example\r
                To: ops@qlp.example\r
                Subject: Gateway 5xx rate high\r
                Message-ID: <m1@qlp.example>\r
                X-QLP-Idempotency-Key: k-1\r
                MIME-Version: 1.0\r
                Content-Type: text/plain; charset=utf-8\r
                Content-Transfer-Encoding: 7bit\r
                \r
                Line one\r
                Line two\r

                """)
    }

    @Test func aNonASCIISubjectBecomesEncodedWordsThatDecodeBack() throws {
        let subject = "Überschreitung 🚨 " + String(repeating: "Zoë’s budget — ", count: 6) + "👨‍👩‍👧"
        let head = try Self.headerAndBody(
            SMTPMail(
                from: "a@qlp.example", to: ["b@qlp.example"], subject: subject,
                textBody: "")
        ).head
        let lines = head.components(separatedBy: "\r\n")
        let start = try #require(lines.firstIndex { $0.hasPrefix("Subject: ") })
        var words = [String(lines[start].dropFirst("Subject: ".count))]
        words += lines[(start + 1)...].prefix { $0.hasPrefix(" ") }.map { String($0.dropFirst()) }
        #expect(words.count > 1, "a long subject is folded over several lines")
        var bytes: [UInt8] = []
        for word in words {
            #expect(word.hasPrefix("=?UTF-8?B?") && word.hasSuffix("?="), "\(word)")
            #expect(word.count <= 75, "RFC 2047 limits an encoded word to 75 characters")
            let payload = try #require(Data(base64Encoded: String(word.dropFirst(10).dropLast(2))))
            // Each word must decode on its own: whole characters only.
            #expect(String(data: payload, encoding: .utf8) != nil, "\(word) splits a character")
            bytes += payload
        }
        #expect(String(decoding: bytes, as: UTF8.self) == subject)
        #expect(lines.allSatisfy { $0.utf8.count <= 78 }, "\(lines)")
    }

    @Test func aSubjectThatLooksLikeAnEncodedWordIsEncoded() throws {
        let head = try Self.headerAndBody(
            SMTPMail(
                from: "a@qlp.example", to: ["b@qlp.example"],
                subject: "=?UTF-8?B?SGk=?=", textBody: "")
        ).head
        #expect(head.contains("Subject: =?UTF-8?B?PT9VVEYtOD9CP1NHaz0/PQ==?="), "\(head)")
    }

    @Test func lineBreaksOfAnyKindBecomeCRLF() throws {
        let body = try Self.headerAndBody(
            SMTPMail(
                from: "a@qlp.example", to: ["b@qlp.example"], subject: "s",
                textBody: "a\nb\r\nc\rd\n\ne")
        ).body
        #expect(body == "a\r\nb\r\nc\r\nd\r\n\r\ne\r\n")
    }

    @Test func aMostlyASCIIBodyIsQuotedPrintable() throws {
        let long = String(repeating: "The gateway for Zoë's team answered 12 % of requests with 5xx. ", count: 4)
        let (head, body) = try Self.headerAndBody(
            SMTPMail(
                from: "a@qlp.example", to: ["b@qlp.example"], subject: "s",
                textBody: "Zoë = 5 \n\(long)\n.\n"))
        #expect(head.hasSuffix("Content-Transfer-Encoding: quoted-printable"))
        let lines = body.components(separatedBy: "\r\n")
        #expect(lines[0] == "Zo=C3=AB =3D 5=20", "trailing space escaped, '=' escaped")
        #expect(lines.allSatisfy { $0.utf8.count <= 76 }, "\(lines)")
        #expect(lines.allSatisfy { $0.unicodeScalars.allSatisfy(\.isASCII) })
        // Soft breaks never cut an =XX escape.
        for line in lines where line.hasSuffix("=") {
            let content = String(line.dropLast())
            #expect(!content.hasSuffix("="), "\(line)")
            #expect(content.components(separatedBy: "=").dropFirst().allSatisfy { $0.count >= 2 }, "\(line)")
        }
        #expect(Self.decodeQuotedPrintable(body) == "Zoë = 5 \r\n\(long)\r\n.\r\n")
    }

    @Test func aMostlyNonLatinBodyIsBase64() throws {
        let text = String(repeating: "予算の95%を使いました。", count: 10)
        let (head, body) = try Self.headerAndBody(
            SMTPMail(
                from: "a@qlp.example", to: ["b@qlp.example"], subject: "s",
                textBody: text))
        #expect(head.hasSuffix("Content-Transfer-Encoding: base64"))
        let lines = body.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        #expect(lines.allSatisfy { $0.count <= 76 })
        let decoded = try #require(Data(base64Encoded: lines.joined()))
        #expect(String(decoding: decoded, as: UTF8.self) == text)
    }

    @Test func manyRecipientsAreFoldedAfterCommas() throws {
        let to = (1...8).map { "operator-\($0)@qlp.example" }
        let head = try Self.headerAndBody(SMTPMail(from: "a@qlp.example", to: to, subject: "s", textBody: "")).head
        let unfolded = head.replacing("\r\n ", with: " ")
        #expect(unfolded.contains("To: " + to.joined(separator: ", ") + "\r\n"))
        #expect(head.components(separatedBy: "\r\n").allSatisfy { $0.utf8.count <= 78 })
    }

    @Test(arguments: [
        (
            SMTPMail(from: "a@qlp.example", to: ["b@qlp.example"], subject: "x\r\nBcc: c@qlp.example", textBody: ""),
            SMTPMessageError(field: "Subject", problem: .lineBreak)
        ),
        (
            SMTPMail(from: "a@qlp.example", to: ["b@qlp.example"], subject: "x\ny", textBody: ""),
            SMTPMessageError(field: "Subject", problem: .lineBreak)
        ),
        (
            SMTPMail(from: "a@qlp.example", to: ["b@qlp.example"], subject: "x\u{0}y", textBody: ""),
            SMTPMessageError(field: "Subject", problem: .nulCharacter)
        ),
        (
            SMTPMail(from: "a@qlp.example\r\n", to: ["b@qlp.example"], subject: "s", textBody: ""),
            SMTPMessageError(field: "From", problem: .lineBreak)
        ),
        (
            SMTPMail(from: "Alerts <a@qlp.example>", to: ["b@qlp.example"], subject: "s", textBody: ""),
            SMTPMessageError(field: "From", problem: .invalidAddress)
        ),
        (
            SMTPMail(from: "a@qlp.example", to: [], subject: "s", textBody: ""),
            SMTPMessageError(field: "To", problem: .noRecipients)
        ),
        (
            SMTPMail(from: "a@qlp.example", to: ["b@qlp.example", "c@qlp.example SIZE=1"], subject: "s", textBody: ""),
            SMTPMessageError(field: "To", problem: .invalidAddress)
        ),
        (
            SMTPMail(from: "a@qlp.example", to: ["zoë@qlp.example"], subject: "s", textBody: ""),
            SMTPMessageError(field: "To", problem: .invalidAddress)
        ),
        (
            SMTPMail(
                from: "a@qlp.example", to: ["b@qlp.example"], subject: "s", textBody: "",
                extraHeaders: [SMTPHeader("X-Key", "v\rBcc: c@qlp.example")]),
            SMTPMessageError(field: "X-Key", problem: .lineBreak)
        ),
        (
            SMTPMail(
                from: "a@qlp.example", to: ["b@qlp.example"], subject: "s", textBody: "",
                extraHeaders: [SMTPHeader("X-Key\r\nBcc", "v")]),
            SMTPMessageError(field: "extra header #1", problem: .invalidHeaderName)
        ),
        (
            SMTPMail(
                from: "a@qlp.example", to: ["b@qlp.example"], subject: "s", textBody: "",
                extraHeaders: [SMTPHeader("X-Key", "é")]),
            SMTPMessageError(field: "X-Key", problem: .nonASCIIValue)
        ),
        (
            SMTPMail(
                from: "a@qlp.example", to: ["b@qlp.example"], subject: "s", textBody: "",
                extraHeaders: [SMTPHeader("subject", "again")]),
            SMTPMessageError(field: "subject", problem: .reservedHeader)
        ),
        (
            SMTPMail(
                from: "a@qlp.example", to: ["b@qlp.example"], subject: "s", textBody: "",
                extraHeaders: [.messageID("<1@x>"), SMTPHeader("message-id", "<2@x>")]),
            SMTPMessageError(field: "message-id", problem: .duplicateHeader)
        ),
        (
            SMTPMail(
                from: "a@qlp.example", to: ["b@qlp.example"], subject: "s", textBody: "",
                extraHeaders: [SMTPHeader("X-Long", String(repeating: "v", count: 1000))]),
            SMTPMessageError(field: "X-Long", problem: .lineTooLong)
        ),
    ])
    func aFieldThatCouldInjectOrIsMalformedIsRefusedByName(_ mail: SMTPMail, _ expected: SMTPMessageError) {
        #expect(throws: expected) { try mail.renderedMessage(date: Self.date) }
        #expect("\(expected)".hasPrefix(expected.field + " "))
    }

    /// Undoes quoted-printable (soft breaks, =XX escapes) for the checks above.
    static func decodeQuotedPrintable(_ text: String) -> String {
        var bytes: [UInt8] = []
        let input = Array(text.replacing("=\r\n", with: "").utf8)
        var index = 0
        while index < input.count {
            if input[index] == UInt8(ascii: "="), index + 2 < input.count,
                let value = UInt8(String(decoding: input[(index + 1)...(index + 2)], as: UTF8.self), radix: 16)
            {
                bytes.append(value)
                index += 3
            } else {
                bytes.append(input[index])
                index += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
