import Foundation

/// JSON bodies with sorted keys and no escaped slashes: the same facts give
/// the same bytes, so golden tests and receivers' deduplication can rely on it.
enum JSONBody {
    static func encode(_ object: [String: Any]) -> [UInt8] {
        // Only strings, numbers, booleans, NSNull, arrays and dictionaries go in, so this cannot throw.
        let data =
            (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        return [UInt8](data)
    }
}
