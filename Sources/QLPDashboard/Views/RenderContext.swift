import Foundation
import QLPCanvas

/// What every view needs besides its data: the drawing characters the
/// terminal can show, formats, and the current instant.
public struct RenderContext: Sendable {
    public var glyphs: GlyphSet
    public var format: DisplayFormat
    public var now: Date

    public init(glyphs: GlyphSet, format: DisplayFormat, now: Date) {
        self.glyphs = glyphs
        self.format = format
        self.now = now
    }
}
