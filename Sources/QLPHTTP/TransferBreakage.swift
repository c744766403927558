/// How a transfer broke after its connection was made, in terms an operator
/// tells apart (a proxy cutting an answer is not a peer resetting), whichever
/// client carried it: libcurl's codes and SwiftNIO's errors both map here.
public enum TransferBreakage: Sendable, Equatable {
    /// Fewer bytes came than the answer's head announced.
    case cutShort
    /// The connection closed before any answer.
    case emptyReply
    /// Writing the request failed.
    case sendFailed
    /// The peer reset the connection.
    case connectionReset
    /// Reading the answer failed otherwise.
    case receiveFailed
    /// What came was not HTTP.
    case malformedAnswer
    /// An HTTP/2 stream was reset or the connection went away under it.
    case http2StreamBroken
    /// Anything else; `curlCode` is libcurl's `CURLcode` where libcurl reported it.
    case other(curlCode: Int?)

    /// A few words for a status line: "answer cut short", "connection reset".
    public var summary: String {
        switch self {
        case .cutShort: "answer cut short"
        case .emptyReply: "empty reply"
        case .sendFailed: "send failed"
        case .connectionReset: "connection reset"
        case .receiveFailed: "receive failed"
        case .malformedAnswer: "malformed answer"
        case .http2StreamBroken: "HTTP/2 stream broken"
        case .other: "network error"
        }
    }

    /// The connection failed under the request (a reset, a failed read or
    /// write, a close before any answer): a network fault another try of an
    /// idempotent request may get past, unlike an answer that came wrong.
    public var isConnectionLoss: Bool {
        switch self {
        case .emptyReply, .sendFailed, .connectionReset, .receiveFailed: true
        case .cutShort, .malformedAnswer, .http2StreamBroken, .other: false
        }
    }
}
