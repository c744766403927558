import Foundation
import Testing

/// Support/webhook_receiver.py (Python's own HTTP server) on a loopback port:
/// records each POST and answers with scripted statuses. `stop()` it.
struct WebhookReceiver {
    struct Request {
        var path: String
        var headers: [(String, String)]
        var body: String
        var status: Int

        func header(_ name: String) -> String? {
            headers.first { $0.0.lowercased() == name.lowercased() }?.1
        }

        /// The body as a JSON object, or an empty one.
        var json: [String: Any] {
            (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any] ?? [:]
        }
    }

    let process: BackgroundProcess
    let port: Int
    let recordPath: String

    var url: String { "http://127.0.0.1:\(port)/hook" }

    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Support/webhook_receiver.py").path

    /// - Parameters:
    ///   - statuses: the answers in order; the last repeats.
    ///   - port: where to listen (to stand in again where an earlier one was); nil: a free port.
    static func start(
        in scratch: ScratchDirectory, name: String = "receiver", statuses: [Int] = [200],
        port: Int? = nil
    ) async throws -> WebhookReceiver {
        let record = scratch.path + "/\(name).jsonl"
        let output = scratch.path + "/\(name).log"
        var arguments = [
            "/usr/bin/python3", script, record, "--statuses", statuses.map(String.init).joined(separator: ","),
            "--max-seconds", "240",
        ]
        if let port { arguments += ["--port", String(port)] }
        let process = try BackgroundProcess(arguments, outputPath: output)
        do {
            try await process.waitForOutput("listening on 127.0.0.1 port ")
        } catch {
            process.stop()
            throw error
        }
        let said = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
        guard let line = said.split(separator: "\n").first(where: { $0.hasPrefix("listening on") }),
            let number = line.split(separator: " ").last.flatMap({ Int($0) })
        else {
            process.stop()
            throw WaitFailure(description: "the webhook receiver did not say its port: \(said)")
        }
        return WebhookReceiver(process: process, port: number, recordPath: record)
    }

    /// Every POST so far, oldest first.
    var requests: [Request] {
        let text = (try? String(contentsOfFile: recordPath, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { line in
            guard let object = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] else { return nil }
            let headers = (object["headers"] as? [[String]] ?? []).compactMap { $0.count == 2 ? ($0[0], $0[1]) : nil }
            return Request(
                path: object["path"] as? String ?? "", headers: headers, body: object["body"] as? String ?? "",
                status: object["status"] as? Int ?? 0)
        }
    }

    /// Waits until a recorded request satisfies `condition`; all requests so far.
    @discardableResult
    func waitFor(_ what: String, timeout: Duration = .seconds(60), _ condition: ([Request]) -> Bool) async throws -> [Request] {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let seen = requests
            if condition(seen) { return seen }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw WaitFailure(description: "the webhook receiver never got \(what); it got: \(requests.map(\.body))")
    }

    func stop() { process.stop() }
}
