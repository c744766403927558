import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization

/// A tiny upstream on loopback whose every answer the test decides, and which
/// remembers what it was asked (path, headers, body).
final class StubUpstream: Sendable {
    struct Seen: Sendable {
        var path: String
        var query: String?
        var headers: HTTPFields
        var body: [UInt8]
        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] ?? [:] }
    }

    enum Reply: Sendable {
        case json(status: Int, body: String, headers: [(String, String)] = [])
        /// SSE chunks written one by one; `between` runs before each chunk after the first.
        case stream(chunks: [String], between: @Sendable (Int) async -> Void)
    }

    private let answer: @Sendable (Int, Seen) async -> Reply
    private let seen = Mutex<[Seen]>([])
    private let running = Mutex<(group: ServiceGroup?, task: Task<Void, Never>?)>((nil, nil))
    private(set) nonisolated(unsafe) var base = ""

    /// `answer` gets the request's number (0, 1, ...) and what was asked.
    init(_ answer: @escaping @Sendable (Int, Seen) async -> Reply) {
        self.answer = answer
    }

    var requests: [Seen] { seen.withLock { $0 } }
    var count: Int { seen.withLock { $0.count } }

    func start() async throws -> String {
        let bound = AsyncStream<Int>.makeStream()
        let router = Router()
        let answer = self.answer
        router.post("**") { [self] request, _ -> Response in
            let body = try await request.body.collect(upTo: 16 << 20)
            let record = Seen(path: request.uri.path, query: request.uri.query, headers: request.headers, body: Array(buffer: body))
            let number = self.seen.withLock { list in
                list.append(record)
                return list.count - 1
            }
            switch await answer(number, record) {
            case .json(let status, let text, let extra):
                var headers = HTTPFields()
                headers[.contentType] = "application/json"
                for (name, value) in extra { headers[HTTPField.Name(name)!] = value }
                return Response(status: .init(code: status), headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
            case .stream(let chunks, let between):
                var headers = HTTPFields()
                headers[.contentType] = "text/event-stream"
                return Response(
                    status: .ok, headers: headers,
                    body: ResponseBody { writer in
                        for (index, chunk) in chunks.enumerated() {
                            if index > 0 { await between(index) }
                            try await writer.write(ByteBuffer(string: chunk))
                        }
                        try await writer.finish(nil)
                    })
            }
        }
        let logger = Logger(label: "stub", factory: { _ in SwiftLogNoOpLogHandler() })
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                bound.continuation.yield(channel.localAddress?.port ?? 0)
                bound.continuation.finish()
            }, logger: logger)
        let group = ServiceGroup(configuration: .init(services: [app], logger: logger))
        let task = Task {
            try? await group.run()
            bound.continuation.finish()
        }
        running.withLock { $0 = (group, task) }
        var port = 0
        for await p in bound.stream { port = p }
        base = "http://127.0.0.1:\(port)"
        return base
    }

    func stop() async {
        let (group, task) = running.withLock { current in
            defer { current = (nil, nil) }
            return current
        }
        await group?.triggerGracefulShutdown()
        await task?.value
    }

    static func chat(content: String = "Hello.", model: String = "stub", promptTokens: Int = 9, completionTokens: Int = 3) -> String {
        """
        {"id":"chatcmpl-1","object":"chat.completion","created":1700000000,"model":"\(model)","choices":[{"index":0,\
        "message":{"role":"assistant","content":"\(content)"},"finish_reason":"stop"}],\
        "usage":{"prompt_tokens":\(promptTokens),"completion_tokens":\(completionTokens),"total_tokens":\(promptTokens + completionTokens)}}
        """
    }
}
