import CCurl
import Foundation

/// Turns a failed mail transfer's CURLcode, and what the SMTP dialogue
/// showed, into an ``SMTPError``.
enum SMTPErrorMapping {
    /// - Parameters:
    ///   - curlMessage: the CURLOPT_ERRORBUFFER text.
    ///   - lastCommand: the verb of the last command sent (``SMTPExchange/lastCommand``).
    ///   - lastReply: the server's last reply line.
    ///   - secrets: every form of the password that could be echoed back
    ///     (see ``secretForms(username:password:)``); scrubbed from both texts.
    static func error(
        for code: CURLcode, server: String, curlMessage: String, lastCommand: String,
        lastReply: String, lastReplyCode: Int?, secrets: [String]
    ) -> SMTPError {
        // Only a refusal (4xx, 5xx) is worth showing: a positive last reply
        // ("354 go ahead") says nothing about the failure.
        let refusal = lastReplyCode.flatMap { $0 >= 400 ? $0 : nil }
        let reply = refusal == nil ? "" : scrub(lastReply, secrets)
        let detail = scrub(curlMessage.isEmpty ? String(cString: curl_easy_strerror(code)) : curlMessage, secrets)
        func made(_ kind: SMTPError.Kind) -> SMTPError {
            SMTPError(
                kind: kind, server: server, replyCode: refusal, serverReply: reply, detail: detail,
                curlCode: Int(code.rawValue))
        }
        switch code {
        case CURLE_OPERATION_TIMEDOUT:
            return made(.timedOut)
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY, CURLE_COULDNT_CONNECT:
            return made(.connectFailed)
        case CURLE_USE_SSL_FAILED, CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM,
            CURLE_SSL_CIPHER, CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH,
            CURLE_SSL_INVALIDCERTSTATUS, CURLE_SSL_CRL_BADFILE, CURLE_SSL_ENGINE_NOTFOUND, CURLE_SSL_ENGINE_SETFAILED,
            CURLE_SSL_SHUTDOWN_FAILED, CURLE_SSL_ENGINE_INITFAILED:
            return made(.tlsFailed)
        case CURLE_LOGIN_DENIED, CURLE_AUTH_ERROR:
            return made(.loginDenied)
        case CURLE_ABORTED_BY_CALLBACK:
            return made(.cancelled)
        case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL:
            return made(.invalidServer)
        default:
            // libcurl reports a refused MAIL, RCPT or DATA as CURLE_SEND_ERROR
            // and a refused end of data as CURLE_WEIRD_SERVER_REPLY; the
            // command the refusal answered says which it was.
            if refusal != nil {
                switch lastCommand {
                case "RCPT": return made(.recipientRefused)
                case "MAIL", "DATA": return made(.messageRefused)
                case "AUTH": return made(.loginDenied)
                case "STARTTLS": return made(.tlsFailed)
                case "", "EHLO", "HELO": return made(.connectFailed)
                default: break
                }
            }
            switch code {
            case CURLE_SEND_ERROR, CURLE_RECV_ERROR, CURLE_GOT_NOTHING, CURLE_PARTIAL_FILE:
                return made(.connectionLost)
            default:
                return made(.failed)
            }
        }
    }

    /// The password as typed, and as the base64 that AUTH LOGIN (the
    /// password alone) and AUTH PLAIN (`\0user\0password`) put on the wire:
    /// the forms a server or libcurl could echo into a reply or message.
    static func secretForms(username: String?, password: String?) -> [String] {
        guard let password, !password.isEmpty else { return [] }
        let plain = [UInt8]([0]) + Array((username ?? "").utf8) + [0] + Array(password.utf8)
        return [password, base64(Array(password.utf8)), base64(plain)]
    }

    static func scrub(_ text: String, _ secrets: [String]) -> String {
        secrets.reduce(text) { $0.replacing($1, with: "<redacted>") }
    }

    private static func base64(_ bytes: [UInt8]) -> String { Data(bytes).base64EncodedString() }
}
