import Foundation

/// Just enough JSON Schema (type, const, enum, required, properties,
/// additionalProperties: false, items, anyOf, pattern) to hold the report to
/// docs/report-schema.json. Returns every violation with its path.
enum SchemaCheck {
    static func violations(of value: Any, against schema: [String: Any], at path: String = "$") -> [String] {
        var found: [String] = []
        if let options = schema["anyOf"] as? [[String: Any]] {
            if !options.contains(where: { violations(of: value, against: $0, at: path).isEmpty }) {
                found.append("\(path): matches none of anyOf")
            }
        }
        if let constant = schema["const"], !equal(constant, value) { found.append("\(path): is not \(constant)") }
        if let options = schema["enum"] as? [Any], !options.contains(where: { equal($0, value) }) {
            found.append("\(path): \(value) is not one of \(options)")
        }
        if let type = schema["type"] {
            let allowed = (type as? [String]) ?? [(type as? String) ?? ""]
            if !allowed.contains(where: { matches(value, $0) }) {
                found.append("\(path): expected \(allowed), got \(Swift.type(of: value))")
            }
        }
        if let pattern = schema["pattern"] as? String, let text = value as? String,
            text.range(of: pattern, options: .regularExpression) == nil
        {
            found.append("\(path): '\(text)' does not match \(pattern)")
        }
        if let object = value as? [String: Any] {
            for key in schema["required"] as? [String] ?? [] where object[key] == nil { found.append("\(path): missing \(key)") }
            let properties = schema["properties"] as? [String: [String: Any]] ?? [:]
            for (key, child) in object {
                if let sub = properties[key] {
                    found += violations(of: child, against: sub, at: "\(path).\(key)")
                } else if schema["additionalProperties"] as? Bool == false {
                    found.append("\(path): unexpected \(key)")
                }
            }
        }
        if let array = value as? [Any], let items = schema["items"] as? [String: Any] {
            for (i, item) in array.enumerated() { found += violations(of: item, against: items, at: "\(path)[\(i)]") }
        }
        return found
    }

    static func matches(_ value: Any, _ type: String) -> Bool {
        switch type {
        case "null": return value is NSNull
        case "string": return value is String
        case "object": return value is [String: Any]
        case "array": return value is [Any]
        case "integer": return (value as? NSNumber).map { $0.doubleValue.rounded() == $0.doubleValue } ?? false && !(value is String)
        case "number": return value is NSNumber && !(value is String)
        case "boolean":
            // JSONSerialization gives a Bool its own NSNumber class.
            return value is NSNumber && Swift.type(of: value) == Swift.type(of: NSNumber(value: true) as Any)
        default: return false
        }
    }

    static func equal(_ a: Any, _ b: Any) -> Bool {
        if let x = a as? String, let y = b as? String { return x == y }
        if let x = a as? NSNumber, let y = b as? NSNumber { return x == y }
        return false
    }
}
