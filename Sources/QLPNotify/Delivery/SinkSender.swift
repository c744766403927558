import Foundation
import QLPCore
import QLPHTTP
import QLPStore

/// Makes one attempt at one message to one sink, and says what it came to in
/// words fit for the delivery record: a status and the start of the
/// receiver's answer, or a few words about the network and the host. Never
/// the URL's path or query, never a password.
struct SinkSender: Sendable {
    let transport: any HTTPTransport
    let mailer: (any AlertMailer)?
    var requestTimeout: Duration = .seconds(15)
    var connectTimeout: Duration = .seconds(10)
    /// Receivers answer webhooks with a word or two; more is not read.
    var maxResponseBytes = 64 << 10

    func attempt(_ draft: OutboxDraft, to sink: NotificationSink, now: Date) async -> DeliverySchedule.Attempt {
        switch sink.destination {
        case .webhook(let url), .slack(let url), .teams(let url):
            return await post(draft, to: url.reveal(), now: now)
        case .email(let settings):
            guard let mailer else { return .impossible(reason: AlertMailerUnavailable.reason) }
            let subject = draft.headers.first { $0.name == NotificationRendering.subjectHeader }?.value ?? "[qlp] alert"
            do {
                let answer = try await mailer.send(
                    subject: subject, body: String(decoding: draft.body, as: UTF8.self),
                    idempotencyKey: draft.idempotencyKey, sink: sink)
                return .accepted(detail: scrub(AlertText.oneLine(answer, limit: 200), settings))
            } catch let refusal as AlertMailerRefusal {
                return .impossible(reason: "the mail server refused it: " + scrub(AlertText.oneLine(refusal.reason, limit: 200), settings))
            } catch {
                return .unreachable(summary: "\(settings.host): " + scrub(AlertText.oneLine("\(error)", limit: 200), settings))
            }
        }
    }

    /// POSTs the body with the headers every HTTP sink gets.
    func post(_ draft: OutboxDraft, to url: String, now: Date) async -> DeliverySchedule.Attempt {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/json")
        headers.add(name: IdempotencyKey.header, value: draft.idempotencyKey)
        headers.add(name: "User-Agent", value: "qlp")
        for header in draft.headers { headers.replaceOrAdd(name: header.name, value: header.value) }
        var request = HTTPRequest(
            method: .post, url: url, headers: headers, body: draft.body, timeout: requestTimeout,
            connectTimeout: connectTimeout, maxResponseBytes: maxResponseBytes)
        request.followRedirects = false
        do {
            let response = try await transport.send(request)
            let retryAfter = RetryAfter.read(response.headers, now: now)?.wait
            let excerpt = SinkURLRedaction.scrub(ReceiverExcerpt.of(response.body), url: url)
            return .answered(status: response.status, retryAfter: retryAfter, excerpt: excerpt)
        } catch let error as HTTPTransportError {
            // `summary` names no address; the host is added by hand, the path never.
            return .unreachable(summary: "\(error.summary) (\(SinkURLRedaction.schemeAndHost(url)))")
        } catch {
            return .unreachable(summary: "network error (\(SinkURLRedaction.schemeAndHost(url)))")
        }
    }

    /// A mailer's text with the password taken out, should it echo it.
    private func scrub(_ text: String, _ settings: EmailSinkSettings) -> String {
        guard let password = settings.password?.reveal(), password.count >= 3 else { return text }
        return text.replacingOccurrences(of: password, with: "<redacted>")
    }
}
