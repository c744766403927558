import CCurl
import Foundation
import Logging
import Synchronization

/// Sends mail with libcurl's SMTP client, one easy handle per mail.
///
/// `curl_easy_perform` blocks for the whole SMTP dialogue, so it runs on a
/// thread of its own rather than on Swift's cooperative pool, where it would
/// hold one of the few threads every task shares. Alert mail is rare, so a
/// thread per mail is cheaper than a multi-handle loop kept for it.
public struct CurlMailTransport: MailTransport {
    private let logger: Logger

    public init(logger: Logger = Logger(label: "qlp.smtp")) {
        self.logger = logger
    }

    public func send(_ mail: SMTPMail, via server: SMTPServer) async throws(SMTPError) -> SMTPReceipt {
        let job = try MailJob(mail: mail, server: server)
        let cancellation = MailCancellation()
        let result = await withTaskCancellationHandler {
            await withCheckedContinuation { (done: CheckedContinuation<Result<SMTPReceipt, SMTPError>, Never>) in
                let thread = Thread { job.run(cancellation: cancellation) { done.resume(returning: $0) } }
                thread.name = "qlp.smtp"
                thread.start()
            }
        } onCancel: {
            cancellation.cancel()
        }
        switch result {
        case .success(let receipt):
            logger.debug(
                "mail delivered",
                metadata: [
                    "server": "\(job.endpoint)", "recipients": "\(mail.to.count)",
                    "reply": "\(receipt.replyCode)",
                ])
        case .failure(let error):
            logger.debug("mail not delivered", metadata: ["error": "\(error)"])
        }
        return try result.get()
    }
}

/// Set when the sending task is cancelled; libcurl's progress callback
/// reads it and aborts the transfer.
private final class MailCancellation: Sendable {
    private let flag = Atomic<Bool>(false)
    func cancel() { flag.store(true, ordering: .relaxed) }
    var isCancelled: Bool { flag.load(ordering: .relaxed) }
}

/// Everything the mail thread needs, checked and rendered before it starts,
/// so that a bad mail or server URL fails without a connection.
private struct MailJob: Sendable {
    let endpoint: String
    let url: String
    let useSSL: curl_usessl?
    let username: String?
    let password: String?
    let from: String
    let recipients: [String]
    let message: [UInt8]
    let timeout: Duration

    init(mail: SMTPMail, server: SMTPServer) throws(SMTPError) {
        endpoint = server.endpoint
        do {
            _ = try SMTPServerURL.parse(server.url)
        } catch {
            throw SMTPError(kind: .invalidServer, server: endpoint, detail: error.reason)
        }
        do {
            message = try mail.renderedMessage()
        } catch {
            throw SMTPError(kind: .badMessage, server: endpoint, detail: error.description, messageError: error)
        }
        let password = server.username == nil ? nil : server.password?.reveal()
        // C strings end at a NUL: a cut-short user name or password would
        // log in as someone else or fail in a confusing way.
        guard !(server.username ?? "").utf8.contains(0), !(password ?? "").utf8.contains(0) else {
            throw SMTPError(kind: .invalidServer, server: endpoint, detail: "the user name or password contains a NUL character")
        }
        url = server.url
        if SMTPServerURL.isImplicitTLS(server.url) {
            useSSL = nil  // smtps:// is TLS from the first byte; STARTTLS does not apply
        } else {
            useSSL =
                switch server.starttls {
                case .required: CURLUSESSL_ALL
                case .optional: CURLUSESSL_TRY
                case .never: CURLUSESSL_NONE
                }
        }
        username = server.username
        self.password = password
        from = mail.from
        recipients = mail.to
        timeout = server.timeout
    }

    /// Runs the SMTP dialogue on the calling thread and hands the outcome to
    /// `deliver` as soon as it is known; the connection's QUIT and clean-up
    /// come after, so the caller does not wait for them.
    func run(cancellation: MailCancellation, deliver: (Result<SMTPReceipt, SMTPError>) -> Void) {
        // The only reference: setting it to nil below cleans the handle up then and there.
        var easy = CurlGlobalInit.ensure() ? CurlEasyHandle() : nil
        guard easy != nil else {
            deliver(
                .failure(
                    SMTPError(
                        kind: .failed, server: endpoint, detail: "libcurl could not be initialised",
                        curlCode: Int(CURLE_FAILED_INIT.rawValue))))
            return
        }
        var recipientList: UnsafeMutablePointer<curl_slist>?
        for recipient in recipients {
            guard let longer = curl_slist_append(recipientList, "<\(recipient)>") else {
                curl_slist_free_all(recipientList)
                deliver(
                    .failure(
                        SMTPError(
                            kind: .failed, server: endpoint, detail: "out of memory",
                            curlCode: Int(CURLE_OUT_OF_MEMORY.rawValue))))
                return
            }
            recipientList = longer
        }
        let exchange = SMTPExchange(message: message)
        withExtendedLifetime((exchange, cancellation)) {
            deliver(perform(easy!, exchange: exchange, cancellation: cancellation, recipients: recipientList))
            // curl_easy_cleanup sends QUIT and still calls back into `exchange`.
            easy = nil
        }
        curl_slist_free_all(recipientList)
    }

    private func perform(
        _ easy: CurlEasyHandle, exchange: SMTPExchange, cancellation: MailCancellation,
        recipients: UnsafeMutablePointer<curl_slist>?
    ) -> Result<SMTPReceipt, SMTPError> {
        var code = configure(easy, exchange: exchange, cancellation: cancellation, recipients: recipients)
        if code == CURLE_OK { code = curl_easy_perform(easy.raw) }
        var replyCode = 0
        _ = qlp_easy_getinfo_long(easy.raw, CURLINFO_RESPONSE_CODE, &replyCode)
        let secrets = SMTPErrorMapping.secretForms(username: username, password: password)
        guard code != CURLE_OK else {
            return .success(SMTPReceipt(replyCode: replyCode, reply: SMTPErrorMapping.scrub(exchange.lastReply, secrets)))
        }
        return .failure(
            SMTPErrorMapping.error(
                for: code, server: endpoint, curlMessage: easy.errorText, lastCommand: exchange.lastCommand,
                lastReply: exchange.lastReply, lastReplyCode: exchange.lastReplyCode ?? (replyCode > 0 ? replyCode : nil),
                secrets: secrets))
    }

    private func configure(
        _ easy: CurlEasyHandle, exchange: SMTPExchange, cancellation: MailCancellation,
        recipients: UnsafeMutablePointer<curl_slist>?
    ) -> CURLcode {
        var options = OptionWriter(handle: easy.raw)
        let context = Unmanaged.passUnretained(exchange).toOpaque()
        options.string(CURLOPT_URL, url)
        // Only SMTP: a URL that slipped past the check must not fetch anything else.
        options.string(CURLOPT_PROTOCOLS_STR, "smtp,smtps")
        options.long(CURLOPT_NOSIGNAL, 1)
        options.long(CURLOPT_TIMEOUT_MS, CurlOptions.milliseconds(timeout))
        options.long(CURLOPT_CONNECTTIMEOUT_MS, CurlOptions.milliseconds(timeout))
        options.pointer(CURLOPT_ERRORBUFFER, UnsafeMutableRawPointer(easy.errorBuffer))
        if let useSSL { options.long(CURLOPT_USE_SSL, Int(useSSL.rawValue)) }
        if let username {
            options.string(CURLOPT_USERNAME, username)
            options.string(CURLOPT_PASSWORD, password ?? "")
        }
        options.string(CURLOPT_MAIL_FROM, "<\(from)>")
        options.slist(CURLOPT_MAIL_RCPT, recipients)
        options.long(CURLOPT_UPLOAD, 1)
        options.offset(CURLOPT_INFILESIZE_LARGE, Int64(exchange.messageSize))
        options.record(
            qlp_easy_setopt_read_function(easy.raw) { buffer, size, count, context in
                guard let buffer, let context else { return Int(CURL_READFUNC_ABORT) }
                return Unmanaged<SMTPExchange>.fromOpaque(context).takeUnretainedValue().read(into: buffer, capacity: size * count)
            })
        options.pointer(CURLOPT_READDATA, context)
        // The debug callback sees the dialogue; libcurl calls it only in
        // verbose mode, and then prints nothing itself. Set first: should it
        // fail, the transfer is not performed, and verbose output (AUTH
        // lines included) never reaches stderr.
        options.record(
            qlp_easy_setopt_debug_function(easy.raw) { _, type, data, size, context in
                if let data, let context {
                    Unmanaged<SMTPExchange>.fromOpaque(context).takeUnretainedValue()
                        .observe(type, UnsafeRawBufferPointer(start: data, count: size))
                }
                return 0
            })
        options.pointer(CURLOPT_DEBUGDATA, context)
        if options.firstFailure == CURLE_OK { options.long(CURLOPT_VERBOSE, 1) }
        options.long(CURLOPT_NOPROGRESS, 0)
        options.record(
            qlp_easy_setopt_xferinfo_function(easy.raw) { context, _, _, _, _ in
                guard let context else { return 0 }
                // Non-zero aborts the transfer with CURLE_ABORTED_BY_CALLBACK.
                return Unmanaged<MailCancellation>.fromOpaque(context).takeUnretainedValue().isCancelled ? 1 : 0
            })
        options.pointer(CURLOPT_XFERINFODATA, Unmanaged.passUnretained(cancellation).toOpaque())
        return options.firstFailure
    }
}
