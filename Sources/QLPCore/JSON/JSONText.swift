import Foundation

/// JSON as qlp writes it (the emulator's Azure bodies, the report). Numbers
/// are kept as literal text so Decimal amounts keep every digit, and object
/// members keep their order so output is stable and diffable.
public indirect enum JSONText: Sendable {
    case object([(String, JSONText)])
    case array([JSONText])
    case string(String)
    case number(String)
    case bool(Bool)
    case null

    public static func number(_ value: Decimal) -> JSONText { .number(NSDecimalNumber(decimal: value).stringValue) }
    public static func number(_ value: Int) -> JSONText { .number(String(value)) }

    /// Two-space indented, for files people read.
    public var pretty: String {
        var out = ""
        write(into: &out, indent: 0, pretty: true)
        return out
    }

    public var rendered: String {
        var out = ""
        write(into: &out, indent: 0, pretty: false)
        return out
    }

    /// `text` as a JSON string literal, quotes included: the one string
    /// encoder for every JSON qlp writes by hand (the gateway's error bodies
    /// and model list, Azure request bodies). Without Foundation's formatter,
    /// since the gateway writes these per request.
    public static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    private func write(into out: inout String, indent: Int, pretty: Bool) {
        let newline = pretty ? "\n" + String(repeating: "  ", count: indent + 1) : ""
        let close = pretty ? "\n" + String(repeating: "  ", count: indent) : ""
        switch self {
        case .object(let members):
            out += "{"
            for (i, (key, value)) in members.enumerated() {
                out += (i > 0 ? "," : "") + newline
                JSONText.string(key).write(into: &out, indent: indent + 1, pretty: pretty)
                out += pretty ? ": " : ":"
                value.write(into: &out, indent: indent + 1, pretty: pretty)
            }
            out += members.isEmpty ? "}" : close + "}"
        case .array(let items):
            out += "["
            for (i, item) in items.enumerated() {
                out += (i > 0 ? "," : "") + newline
                item.write(into: &out, indent: indent + 1, pretty: pretty)
            }
            out += items.isEmpty ? "]" : close + "]"
        case .string(let s):
            out += Self.quoted(s)
        case .number(let literal):
            out += literal
        case .bool(let b):
            out += b ? "true" : "false"
        case .null:
            out += "null"
        }
    }
}
