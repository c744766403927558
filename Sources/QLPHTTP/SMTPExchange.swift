import CCurl

/// What one mail transfer's callbacks read and record: the message bytes
/// libcurl uploads, and what the SMTP dialogue showed (the last command and
/// the server's last reply), which tells a refused recipient from a refused
/// message where libcurl reports both as CURLE_SEND_ERROR.
///
/// Used only on the thread that sends the mail; libcurl reaches it through
/// an unretained context pointer, so the owner keeps it alive until the
/// easy handle is cleaned up.
final class SMTPExchange {
    private let message: [UInt8]
    private var offset = 0
    /// The verb of the last command sent (`RCPT`, `DATA`, ...), empty before any.
    private(set) var lastCommand = ""
    /// The server's last complete reply line, without its line end.
    private(set) var lastReply = ""
    /// A reply line libcurl has passed on only in part so far.
    private var partialReply: [UInt8] = []

    /// The verbs this transport's libcurl sends. Anything else on the
    /// command channel is an AUTH continuation (the base64 user name or
    /// password of AUTH LOGIN) and is never looked at, let alone kept.
    private static let verbs: Set<String> = ["EHLO", "HELO", "STARTTLS", "AUTH", "MAIL", "RCPT", "DATA", "QUIT", "RSET", "NOOP"]
    /// A longer reply line is cut; the start says what went wrong.
    private static let maxReplyBytes = 512

    init(message: [UInt8]) {
        self.message = message
    }

    /// The upload size, for SMTP's SIZE parameter.
    var messageSize: Int { message.count }

    /// CURLOPT_READFUNCTION's work: copies the next bytes of the message
    /// into libcurl's buffer; 0 ends the upload.
    func read(into buffer: UnsafeMutablePointer<CChar>, capacity: Int) -> Int {
        let count = min(capacity, message.count - offset)
        guard count > 0 else { return 0 }
        message.withUnsafeBufferPointer { bytes in
            UnsafeMutableRawPointer(buffer).copyMemory(from: bytes.baseAddress! + offset, byteCount: count)
        }
        offset += count
        return count
    }

    /// CURLOPT_DEBUGFUNCTION's work: keeps the verb of each command sent and
    /// the server's last reply line; drops everything else (message data,
    /// TLS records, libcurl's own remarks).
    func observe(_ type: curl_infotype, _ data: UnsafeRawBufferPointer) {
        switch type {
        case CURLINFO_HEADER_OUT:
            let verb = String(decoding: data.prefix { $0 != 32 && $0 != 13 && $0 != 10 }.prefix(8), as: UTF8.self).uppercased()
            if Self.verbs.contains(verb) { lastCommand = verb }
        case CURLINFO_HEADER_IN:
            for byte in data {
                if byte == 10 {
                    if partialReply.last == 13 { partialReply.removeLast() }
                    lastReply = String(decoding: partialReply.prefix(Self.maxReplyBytes), as: UTF8.self)
                    partialReply = []
                } else if partialReply.count <= Self.maxReplyBytes {
                    partialReply.append(byte)
                }
            }
        default:
            break
        }
    }

    /// The code at the start of ``lastReply``, nil if it has none.
    var lastReplyCode: Int? {
        let digits = lastReply.utf8.prefix(3)
        guard digits.count == 3, digits.allSatisfy({ (48...57).contains($0) }) else { return nil }
        return Int(String(decoding: digits, as: UTF8.self))
    }
}
