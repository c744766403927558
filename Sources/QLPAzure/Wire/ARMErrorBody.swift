import Foundation
import QLPHTTP

/// ARM's error envelope: {"error": {"code": "...", "message": "..."}}. The
/// code is a string, even when it is a number ("429").
struct ARMErrorBody: Decodable {
    struct Detail: Decodable {
        var code: String?
        var message: String?
    }

    var error: Detail

    static func decode(_ body: [UInt8]) -> Detail? {
        try? JSONDecoderFactory.azure.decode(ARMErrorBody.self, from: body).error
    }
}

enum JSONDecoderFactory {
    /// Decimal fields decode exactly from the JSON number's digits.
    static var azure: JSONDecoder { JSONDecoder() }
}

extension JSONDecoder {
    func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws -> T {
        try decode(type, from: Data(bytes))
    }
}

/// A 200 that is not JSON (a proxy's or captive portal's HTML page) is named
/// as such, not as "invalid JSON".
enum ContentTypeCheck {
    static func problem(_ headers: QLPHTTP.HTTPHeaders) -> String? {
        guard let type = headers["Content-Type"]?.lowercased(), !type.contains("json") else { return nil }
        return "expected JSON, got \(type.split(separator: ";").first.map(String.init) ?? type)"
    }
}
