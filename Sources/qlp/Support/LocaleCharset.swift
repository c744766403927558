/// Whether the locale's character set is UTF-8 (LC_ALL, then LC_CTYPE, then
/// LANG, the first set), for the commands that print money: a terminal
/// without it gets "GBP 20.00" rather than a broken "£".
enum LocaleCharset {
    static func isUTF8(environment: [String: String]) -> Bool {
        ["LC_ALL", "LC_CTYPE", "LANG"].compactMap { environment[$0] }.first { !$0.isEmpty }?.uppercased()
            .replacingOccurrences(of: "-", with: "").contains("UTF8") ?? false
    }
}
