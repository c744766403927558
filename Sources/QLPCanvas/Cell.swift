/// One terminal cell: a grapheme and the role that styles it.
///
/// A wide grapheme (CJK, most emoji) occupies two cells: the first holds the
/// grapheme, the second is a continuation that backends skip.
public struct Cell: Equatable, Sendable {
    public var grapheme: Character
    public var role: StyleRole
    public var isContinuation: Bool

    public init(_ grapheme: Character = " ", role: StyleRole = .normal, isContinuation: Bool = false) {
        self.grapheme = grapheme
        self.role = role
        self.isContinuation = isContinuation
    }

    public static let blank = Cell()
}
