/// Builds SVG markup as text. Every string that came from data goes through ``escape(_:)``.
struct SVGWriter {
    private(set) var text = ""

    mutating func open(width: Int, height: Int, id: String, title: String, description: String) {
        text += "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(width) \(height)\" width=\"\(width)\""
        text += " height=\"\(height)\" role=\"img\" aria-labelledby=\"\(id)-title \(id)-desc\" class=\"chart\">"
        text += "<title id=\"\(id)-title\">\(escape(title))</title>"
        text += "<desc id=\"\(id)-desc\">\(escape(description))</desc>"
        text += "<defs><pattern id=\"\(id)-hatch\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\""
        text += " patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"#ffffff\"/>"
        text += "<line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#6b6b6b\" stroke-width=\"2\"/></pattern></defs>"
    }

    mutating func close() { text += "</svg>" }

    mutating func rect(x: Double, y: Double, width: Double, height: Double, fill: String, dashed: Bool = false) {
        text += "<rect x=\"\(n(x))\" y=\"\(n(y))\" width=\"\(n(max(0, width)))\" height=\"\(n(max(0, height)))\""
        text += " fill=\"\(fill)\""
        if dashed { text += " stroke=\"#333333\" stroke-width=\"1\" stroke-dasharray=\"3 2\"" }
        text += "/>"
    }

    mutating func line(
        x1: Double, y1: Double, x2: Double, y2: Double, stroke: String, width: Double = 1, dash: String? = nil
    ) {
        text += "<line x1=\"\(n(x1))\" y1=\"\(n(y1))\" x2=\"\(n(x2))\" y2=\"\(n(y2))\" stroke=\"\(stroke)\""
        text += " stroke-width=\"\(n(width))\""
        if let dash { text += " stroke-dasharray=\"\(dash)\"" }
        text += "/>"
    }

    enum Anchor: String {
        case start, middle, end
    }

    mutating func label(
        _ s: String, x: Double, y: Double, anchor: Anchor = .start, size: Int = 11, bold: Bool = false,
        rotate: Int? = nil, fill: String = "#1a1a1a"
    ) {
        text += "<text x=\"\(n(x))\" y=\"\(n(y))\" font-size=\"\(size)\" text-anchor=\"\(anchor.rawValue)\""
        text += " fill=\"\(fill)\""
        if bold { text += " font-weight=\"bold\"" }
        if let rotate { text += " transform=\"rotate(\(rotate) \(n(x)) \(n(y)))\"" }
        text += ">\(escape(s))</text>"
    }

    /// A number as SVG wants it: at most one decimal.
    private func n(_ v: Double) -> String { format(v, decimals: v == v.rounded() ? 0 : 1) }
}

/// `s` with the five XML special characters escaped, for text and attribute values.
func escape(_ s: String) -> String {
    var out = ""
    out.reserveCapacity(s.count)
    for c in s {
        switch c {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "'": out += "&#39;"
        default: out.append(c)
        }
    }
    return out
}

/// A round step for an axis from 0 to `maximum` with about `ticks` ticks: 1, 2 or 5 times a power of ten.
func niceStep(_ maximum: Double, ticks: Int = 5) -> Double {
    guard maximum > 0 else { return 1 }
    let raw = maximum / Double(ticks)
    var magnitude = 1.0
    while magnitude * 10 <= raw { magnitude *= 10 }
    while magnitude > raw { magnitude /= 10 }
    for m in [1.0, 2.0, 5.0, 10.0] where m * magnitude >= raw { return max(1, m * magnitude) }
    return max(1, 10 * magnitude)
}
