import Foundation
import HTTPTypes
import QLPCore

/// A key's refusal as the client sees it, in OpenAI's error shape so that
/// every OpenAI client reports it: 403 for a route the key may not use; 429
/// with Retry-After and `rate_limit_exceeded` over a rate (what OpenAI sends,
/// so clients' own backoff applies); 429 with `key_budget_exceeded` when the
/// budget is spent, which no backoff cures before the period resets.
enum KeyRefusalAnswer {
    static let budgetCode = "key_budget_exceeded"

    static func error(_ refusal: KeyRefusal, key: String, currency: Currency, timeZone: TimeZone, now: Date) -> OpenAIErrorBody {
        let name = ClientText.printable(key)
        switch refusal {
        case .routeNotAllowed(let route, let allowed):
            return OpenAIErrorBody(
                status: .forbidden,
                message: "The key '\(name)' may not use the route '\(ClientText.printable(route))'; "
                    + "it may use: \(allowed.joined(separator: ", ")).",
                type: "invalid_request_error", param: "model", code: "route_not_allowed")
        case .requestRate(let limit, let seconds):
            return throttled(
                "Rate limit reached for key '\(name)': \(limit) requests per minute. Try again in \(seconds) s.",
                code: "rate_limit_exceeded", type: "requests", seconds: seconds)
        case .tokenRate(let limit, let estimate, let seconds):
            let alone =
                estimate > limit
                ? " This request alone may use \(estimate) tokens (its prompt and max_tokens); ask for fewer output tokens."
                : " Try again in \(seconds) s."
            return throttled(
                "Rate limit reached for key '\(name)': \(limit) tokens per minute.\(alone)",
                code: "rate_limit_exceeded", type: "tokens", seconds: seconds)
        case .budget(let budget, let spent, let resets):
            let format = MoneyFormat()
            let seconds = max(1, Int(resets.timeIntervalSince(now).rounded(.up)))
            return throttled(
                "The key '\(name)' has spent \(format.string(Money(spent, currency))) of its "
                    + "\(format.string(Money(budget.amount, currency))) \(adjective(budget.period)) budget; "
                    + "it resets \(resetText(resets, timeZone: timeZone)).",
                code: budgetCode, type: "insufficient_quota", seconds: seconds)
        }
    }

    private static func throttled(_ message: String, code: String, type: String, seconds: Int) -> OpenAIErrorBody {
        var headers = HTTPFields()
        headers[.retryAfter] = String(seconds)
        return OpenAIErrorBody(status: .tooManyRequests, message: message, type: type, code: code, headers: headers)
    }

    private static func adjective(_ period: KeyBudget.Period) -> String {
        switch period {
        case .day: "daily"
        case .week: "weekly"
        case .month: "monthly"
        }
    }

    /// "on 2027-01-01 at 00:00 Europe/London".
    static func resetText(_ instant: Date, timeZone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: instant)
        func two(_ n: Int?) -> String { String(format: "%02d", n ?? 0) }
        return "on \(c.year ?? 0)-\(two(c.month))-\(two(c.day)) at \(two(c.hour)):\(two(c.minute)) \(timeZone.identifier)"
    }
}
