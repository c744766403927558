import CNcursesw

/// Maps what `wget_wch` returned to a `Key`. Pure, so the mapping is testable
/// without a terminal.
enum KeyDecoder {
    /// - Parameters:
    ///   - status: the return value of `wget_wch`: `OK` for a character,
    ///     `KEY_CODE_YES` for a function key, `ERR` for a timeout.
    ///   - value: the character or key code it stored.
    /// - Returns: the key, or nil when no key arrived.
    static func decode(status: Int32, value: UInt32) -> Key? {
        switch status {
        case OK: return character(value)
        case KEY_CODE_YES: return functionKey(Int32(bitPattern: value))
        default: return nil
        }
    }

    static func character(_ value: UInt32) -> Key {
        switch value {
        case 8, 127: return .backspace  // Ctrl-H is what many terminals send for Backspace
        case 9: return .tab
        case 10, 13: return .enter  // CR with nonl(); LF from Ctrl-J
        case 27: return .escape
        case 1...26: return .control(Character(Unicode.Scalar(UInt8(value) + 0x60)))
        case 0..<32, 0x80..<0xA0: return .unknown(Int(value))
        default:
            guard let scalar = Unicode.Scalar(value) else { return .unknown(Int(value)) }
            return .character(Character(scalar))
        }
    }

    static func functionKey(_ code: Int32) -> Key {
        switch code {
        case KEY_UP: return .up
        case KEY_DOWN: return .down
        case KEY_LEFT: return .left
        case KEY_RIGHT: return .right
        // The keypad's corner keys and the vt220 Find/Select keys are what some
        // terminals send for Home/End/PgUp/PgDn.
        case KEY_PPAGE, KEY_A3: return .pageUp
        case KEY_NPAGE, KEY_C3: return .pageDown
        case KEY_HOME, KEY_A1, KEY_FIND: return .home
        case KEY_END, KEY_C1, KEY_SELECT: return .end
        case KEY_IC: return .insert
        case KEY_DC: return .delete
        case KEY_ENTER: return .enter
        case KEY_BTAB: return .backTab
        case KEY_BACKSPACE: return .backspace
        case KEY_RESIZE: return .resize
        case (KEY_F0 + 1)...(KEY_F0 + 12): return .function(Int(code - KEY_F0))
        default: return .unknown(Int(code))
        }
    }
}
