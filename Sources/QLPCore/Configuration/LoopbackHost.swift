/// Whether a host, as written in a URL, a listen address or a Host header,
/// names this machine's loopback interface: `localhost`, any 127.0.0.0/8
/// address, or ::1 (bracketed or not, and as ::ffff:127.x.x.x). Nothing that
/// a DNS lookup could answer differently tomorrow counts.
public enum LoopbackHost {
    public static func contains(_ host: String) -> Bool {
        // The spellings nearly every Host header on the gateway carries, answered before any parsing.
        if host == "127.0.0.1" || host == "localhost" || host == "::1" { return true }
        var name = host.lowercased()
        if name.hasPrefix("["), name.hasSuffix("]") { name = String(name.dropFirst().dropLast()) }
        if name.hasSuffix("."), name.count > 1 { name.removeLast() }
        if name == "localhost" { return true }
        if let v4 = ipv4(name) { return v4.first == 127 }
        if name.hasPrefix("::ffff:"), let v4 = ipv4(String(name.dropFirst(7))) { return v4.first == 127 }
        return isIPv6Loopback(name)
    }

    private static func ipv4(_ text: String) -> [Int]? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var octets: [Int] = []
        for part in parts {
            guard !part.isEmpty, part.count <= 3, part.allSatisfy(\.isASCII), let value = Int(part), (0...255).contains(value)
            else { return nil }
            octets.append(value)
        }
        return octets
    }

    /// ::1 in any spelling (0:0:0:0:0:0:0:1, ::0:1 ...).
    private static func isIPv6Loopback(_ text: String) -> Bool {
        guard text.contains(":"), text.allSatisfy({ $0 == ":" || $0.isHexDigit }) else { return false }
        let halves = text.components(separatedBy: "::")
        guard halves.count <= 2 else { return false }
        func groups(_ part: String) -> [Int]? {
            if part.isEmpty { return [] }
            var out: [Int] = []
            for group in part.split(separator: ":", omittingEmptySubsequences: false) {
                guard !group.isEmpty, group.count <= 4, let value = Int(group, radix: 16) else { return nil }
                out.append(value)
            }
            return out
        }
        guard let head = groups(halves[0]) else { return false }
        var all = head
        if halves.count == 2 {
            guard let tail = groups(halves[1]), head.count + tail.count < 8 else { return false }
            all = head + Array(repeating: 0, count: 8 - head.count - tail.count) + tail
        }
        guard all.count == 8 else { return false }
        return all.dropLast().allSatisfy { $0 == 0 } && all.last == 1
    }
}
