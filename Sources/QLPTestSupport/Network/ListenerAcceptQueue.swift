import Foundation

/// The accept queue of a loopback listener as the kernel reports it: for a
/// listening socket, /proc/net/tcp's rx_queue is how many connections the
/// kernel has completed that the program has not accepted yet. Read from
/// outside the program, so it works while the program (or its event loop) is
/// stopped.
public enum ListenerAcceptQueue {
    /// Connections waiting to be accepted on the IPv4 listener on `port`; 0 when nothing listens there.
    public static func length(port: Int) throws -> Int {
        let local = ":" + String(format: "%04X", port)
        let table = try String(contentsOfFile: "/proc/net/tcp", encoding: .utf8)
        return table.split(separator: "\n").compactMap { line -> Int? in
            let fields = line.split(separator: " ")
            // Field 3 is the state: 0A is LISTEN; field 4 is tx_queue:rx_queue in hexadecimal.
            guard fields.count > 4, fields[1].hasSuffix(local), fields[3] == "0A" else { return nil }
            return fields[4].split(separator: ":").last.flatMap { Int($0, radix: 16) }
        }.max() ?? 0
    }

    /// The queue's length once it holds `count`, or when `limit` is up, whichever comes first.
    public static func wait(port: Int, toHold count: Int, within limit: Duration) async throws -> Int {
        let deadline = ContinuousClock.now + limit
        var queued = 0
        while ContinuousClock.now < deadline {
            queued = try length(port: port)
            if queued >= count { return queued }
            try await Task.sleep(for: .milliseconds(20))
        }
        return queued
    }
}
