import Foundation
import QLPCanvas

/// The top rows: product, view, DEMO badge and clock with zone; below it, in
/// quieter text, which subscription this is.
struct HeaderBar {
    var identity: DashboardIdentity
    var viewName: String

    /// Rows the header takes.
    static let height = 2

    func render(into canvas: inout Canvas, row y: Int, context: RenderContext) {
        let width = canvas.size.width
        canvas.fill(Rect(x: 0, y: y, width: width, height: 1), role: .header)
        let clock = "\(context.format.time(context.now)) \(context.format.zone(context.now))"
        var x = 1
        x += canvas.put("qlp", x: x, y: y, role: .header)
        x += canvas.put(" \(context.glyphs.separator) \(viewName)", x: x, y: y, role: .header)
        x += 2
        if identity.isDemo {
            x += canvas.put(" DEMO ", x: x, y: y, role: .demo)
            x += 1
        }
        // Attached, the routes changed here are a running fleet's: said on every view.
        if !identity.attachedTo.isEmpty {
            let count = identity.attachedTo.count
            x += canvas.put(" attached: \(count) replica\(count == 1 ? "" : "s") ", x: x, y: y, role: .demo)
            x += 1
        }
        canvas.put(clock, x: width - DisplayWidth.of(clock) - 1, y: y, role: .header)
        // The long form when it fits, the short one (still whole) when not.
        let long = "subscription \(identity.subscriptionID) \(context.glyphs.separator) resource group \(identity.resourceGroup)"
        let short = "subscription \(identity.subscriptionID) \(context.glyphs.separator) \(identity.resourceGroup)"
        let scope = DisplayWidth.of(long) <= width - 2 ? long : short
        canvas.put(DisplayWidth.truncate(scope, to: width - 2, ellipsis: context.glyphs.ellipsis), x: 1, y: y + 1, role: .muted)
    }
}
