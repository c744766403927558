import Testing

@testable import QLPAzure

/// The one rule for asking a token endpoint again (Entra ID and IMDS had a
/// loop each, and Entra none at all: one 429 failed `qlp doctor` and `qlp report`).
@Suite struct TokenRequestRetryTests {
    @Test func entraRetriesThrottlingAndServerErrorsTwiceThenGivesUp() {
        var retry = TokenRequestRetry.entra
        #expect(retry.next(status: 429, asked: nil) == .retry(after: .seconds(1)))
        #expect(retry.next(status: 503, asked: nil) == .retry(after: .seconds(3)))
        #expect(retry.next(status: 429, asked: nil) == .giveUp)
        #expect(retry.retries == 2)
    }

    @Test func entraNeverRetriesARefusal() {
        var retry = TokenRequestRetry.entra
        for status in [400, 401, 403, 404] { #expect(retry.next(status: status, asked: nil) == .giveUp) }
    }

    @Test func aLongerRetryAfterIsWaitedAndOnePastTheCapIsNot() {
        var retry = TokenRequestRetry.entra
        #expect(retry.next(status: 429, asked: .seconds(7)) == .retry(after: .seconds(7)))
        // Half an hour asked: a command would sit silent; the refusal stands, and says so.
        #expect(retry.next(status: 429, asked: .seconds(1800)) == .giveUp)
    }

    @Test func imdsAlsoRetriesNotFoundAndGoneAsItsDocumentationAsks() {
        var retry = TokenRequestRetry.imds(delays: [.seconds(2), .seconds(6), .seconds(14)])
        #expect(retry.next(status: 410, asked: nil) == .retry(after: .seconds(2)))
        #expect(retry.next(status: 404, asked: nil) == .retry(after: .seconds(6)))
        #expect(retry.next(status: 500, asked: nil) == .retry(after: .seconds(14)))
        #expect(retry.next(status: 500, asked: nil) == .giveUp)
        var none = TokenRequestRetry.imds(delays: [])
        #expect(none.next(status: 410, asked: nil) == .giveUp)
    }
}
