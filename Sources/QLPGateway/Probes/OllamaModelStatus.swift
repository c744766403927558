import Foundation

/// Which models an Ollama server has pulled (/api/tags) and which it holds
/// in memory now (/api/ps): a model not loaded pays seconds of load time on
/// its next request.
public struct OllamaModelStatus: Sendable, Equatable {
    public enum State: Sendable, Equatable {
        /// In memory, until keep_alive unloads it.
        case loaded(until: Date?)
        /// Pulled, not in memory: the next request loads it first.
        case available
        /// Not on the server at all: requests for it fail with 404.
        case missing
    }

    public struct LoadedModel: Sendable, Equatable {
        public var name: String
        /// When keep_alive will unload it.
        public var expiresAt: Date?
        /// Bytes in GPU memory (0: on the CPU).
        public var sizeVRAM: Int
    }

    /// The server's base URL.
    public var endpoint: String
    public var at: Date
    /// Model names from /api/tags.
    public var available: [String]
    public var loaded: [LoadedModel]
    /// Why the listing could not be read; nil when it was.
    public var failure: String?

    public init(endpoint: String, at: Date, available: [String], loaded: [LoadedModel], failure: String? = nil) {
        self.endpoint = endpoint
        self.at = at
        self.available = available
        self.loaded = loaded
        self.failure = failure
    }

    /// The state of one model; a name without a tag means ":latest", as Ollama reads it.
    public func state(of model: String) -> State? {
        guard failure == nil else { return nil }
        let name = model.contains(":") ? model : model + ":latest"
        if let loaded = loaded.first(where: { $0.name == name }) { return .loaded(until: loaded.expiresAt) }
        return available.contains(name) ? .available : .missing
    }

    /// Why a listing body could not be read.
    public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        public var description: String
    }

    /// Names from a /api/tags body: {"models": [{"name": ...}, ...]}.
    public static func parseTags(_ body: [UInt8]) throws(ParseError) -> [String] {
        var names: [String] = []
        for model in try models(body, listing: "/api/tags") { names.append(try name(of: model, listing: "/api/tags")) }
        return names
    }

    /// Loaded models from a /api/ps body: {"models": [{"name", "expires_at", "size_vram"}, ...]}.
    public static func parsePS(_ body: [UInt8]) throws(ParseError) -> [LoadedModel] {
        var loaded: [LoadedModel] = []
        for model in try models(body, listing: "/api/ps") {
            loaded.append(
                LoadedModel(
                    name: try name(of: model, listing: "/api/ps"),
                    expiresAt: (model["expires_at"] as? String).flatMap(Self.date),
                    sizeVRAM: (model["size_vram"] as? Int) ?? 0))
        }
        return loaded
    }

    private static func models(_ body: [UInt8], listing: String) throws(ParseError) -> [[String: Any]] {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] else {
            throw ParseError(description: "\(listing) is not a JSON object")
        }
        guard let models = object["models"] as? [[String: Any]] else {
            throw ParseError(description: "\(listing) has no \"models\" array")
        }
        return models
    }

    private static func name(of model: [String: Any], listing: String) throws(ParseError) -> String {
        guard let name = (model["name"] as? String) ?? (model["model"] as? String) else {
            throw ParseError(description: "\(listing) lists a model without a \"name\"")
        }
        return name
    }

    /// RFC 3339 with up to nanoseconds and any offset ("2024-06-04T14:38:31.83753-07:00").
    static func date(_ text: String) -> Date? {
        // ISO8601DateFormatter takes at most milliseconds: cut the fraction to three digits.
        var trimmed = text
        if let dot = text.firstIndex(of: "."),
            let zone = text[dot...].firstIndex(where: { $0 == "Z" || $0 == "+" || $0 == "-" })
        {
            let digits = text[text.index(after: dot)..<zone]
            trimmed = String(text[..<dot]) + "." + String((digits + "000").prefix(3)) + String(text[zone...])
        }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: trimmed) { return date }
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text)
    }
}
