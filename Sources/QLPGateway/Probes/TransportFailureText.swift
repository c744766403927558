import QLPHTTP

/// A transport error in the few words a health reason needs ("cannot
/// connect to 10.0.0.4 port 11434", "timed out after 20 s"); the full text
/// (with the endpoint's path) stays in the log.
enum TransportFailureText {
    static func brief(_ error: HTTPTransportError) -> String {
        switch error {
        case .timedOut(_, let after):
            return "timed out after \(TargetCondition.duration(after.seconds * 1000))"
        case .connectionFailed(_, let detail):
            // libcurl: "Failed to connect to 127.0.0.1 port 8080 after 0 ms: Couldn't connect to server".
            if let start = detail.range(of: "Failed to connect to "),
                let end = detail.range(of: " after ", range: start.upperBound..<detail.endIndex)
            {
                let place = detail[start.upperBound..<end.lowerBound]
                return detail.lowercased().contains("refused") ? "connection refused by \(place)" : "cannot connect to \(place)"
            }
            return "cannot connect: \(detail)"
        case .responseTooLarge(_, let limit):
            return "answer larger than \(limit) bytes"
        case .transferFailed(_, _, let detail):
            return "\(error.summary): \(detail)"
        case .invalidRequest, .cancelled, .shutDown:
            return error.description
        }
    }
}
