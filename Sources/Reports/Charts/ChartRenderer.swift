/// Draws a ``Chart`` of a table as SVG: bars, stacked bars by month, or a histogram of minutes
/// with its threshold line. Each SVG has a `<title>` and a `<desc>` (its text alternative) and is
/// labelled by them; suppressed counts are drawn hatched, as high as they can be, and labelled
/// "<11". No script, no external resource.
public enum ChartRenderer {
    /// Colours that stay distinct for readers with colour-vision deficiencies (Okabe–Ito).
    static let palette = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]

    /// The chart as an SVG element, and its text alternative.
    public static func svg(_ chart: Chart, table: ReportTable) -> (svg: String, description: String) {
        let data = ChartData(chart, table)
        let description = data.description(chart, table)
        var w = SVGWriter()
        switch chart.kind {
        case .bar:
            horizontalBars(chart, data, description, &w)
        case .columns, .stackedBar:
            columns(chart, data, description, threshold: nil, &w)
        case .histogram(let bin, let threshold):
            columns(chart, data, description, threshold: (bin, threshold), &w)
        }
        return (w.text, description)
    }

    private static func horizontalBars(_ chart: Chart, _ data: ChartData, _ description: String, _ w: inout SVGWriter) {
        let width = 640.0
        let left = 170.0
        let right = 56.0
        let top = 8.0
        let rowHeight = 20.0
        let plot = width - left - right
        let height = top + rowHeight * Double(max(1, data.categories.count)) + 34
        w.open(width: Int(width), height: Int(height), id: chart.id, title: chart.title, description: description)
        let step = niceStep(data.maximum)
        let axisMax = max(step, (data.maximum / step).rounded(.up) * step)
        let scale = plot / axisMax
        var tick = 0.0
        let bottom = top + rowHeight * Double(data.categories.count)
        while tick <= axisMax {
            let x = left + tick * scale
            w.line(x1: x, y1: top, x2: x, y2: bottom, stroke: "#d9d9d9")
            w.label(format(tick, decimals: 0), x: x, y: bottom + 14, anchor: .middle, size: 10)
            tick += step
        }
        w.label(chart.valueLabel, x: left + plot / 2, y: bottom + 28, anchor: .middle, size: 10)
        for (i, category) in data.categories.enumerated() {
            let y = top + Double(i) * rowHeight
            w.label(shorten(category.label, 30), x: left - 6, y: y + 14, anchor: .end, size: 10)
            let value = category.values.first ?? ChartData.Value(count: 0, display: "0")
            let length = value.drawn * scale
            if value.count == nil {
                w.rect(
                    x: left, y: y + 3, width: length, height: rowHeight - 6, fill: "url(#\(chart.id)-hatch)",
                    dashed: true)
            } else {
                w.rect(x: left, y: y + 3, width: length, height: rowHeight - 6, fill: palette[0])
            }
            w.label(value.display, x: left + length + 4, y: y + 14, size: 10)
        }
        w.line(x1: left, y1: top, x2: left, y2: bottom, stroke: "#1a1a1a")
        w.close()
    }

    private static func columns(
        _ chart: Chart, _ data: ChartData, _ description: String, threshold: (bin: Int, minutes: Int)?,
        _ w: inout SVGWriter
    ) {
        let width = 640.0
        let left = 48.0
        let right = 16.0
        let top = data.series.count > 1 ? 30.0 : 12.0
        let plotHeight = 190.0
        let rotate = data.categories.count > 8
        let bottomSpace = rotate ? 70.0 : 44.0
        let height = top + plotHeight + bottomSpace
        let plot = width - left - right
        w.open(width: Int(width), height: Int(height), id: chart.id, title: chart.title, description: description)
        if data.series.count > 1 {
            var x = left
            for (i, s) in data.series.enumerated() {
                w.rect(x: x, y: 6, width: 12, height: 12, fill: palette[i % palette.count])
                w.label(s.title, x: x + 16, y: 16, size: 10)
                x += 24 + Double(s.title.count) * 6.5
            }
        }
        let step = niceStep(data.maximum)
        let axisMax = max(step, (data.maximum / step).rounded(.up) * step)
        let scale = plotHeight / axisMax
        let base = top + plotHeight
        var tick = 0.0
        while tick <= axisMax {
            let y = base - tick * scale
            w.line(x1: left, y1: y, x2: left + plot, y2: y, stroke: "#d9d9d9")
            w.label(format(tick, decimals: 0), x: left - 4, y: y + 4, anchor: .end, size: 10)
            tick += step
        }
        w.label(chart.valueLabel, x: 12, y: top + plotHeight / 2, anchor: .middle, size: 10, rotate: -90)
        let slot = plot / Double(max(1, data.categories.count))
        let gap = threshold == nil ? slot * 0.2 : 1.0
        for (i, category) in data.categories.enumerated() {
            let x = left + Double(i) * slot + gap / 2
            var y = base
            for (s, value) in category.values.enumerated() {
                let h = value.drawn * scale
                y -= h
                if value.count == nil {
                    w.rect(x: x, y: y, width: slot - gap, height: h, fill: "url(#\(chart.id)-hatch)", dashed: true)
                } else {
                    w.rect(x: x, y: y, width: slot - gap, height: h, fill: palette[s % palette.count])
                }
            }
            let total = category.values.count == 1 ? category.values[0].display : totalDisplay(category)
            w.label(total, x: x + (slot - gap) / 2, y: y - 3, anchor: .middle, size: 9)
            let labelX = x + (slot - gap) / 2
            if rotate {
                w.label(category.label, x: labelX, y: base + 12, anchor: .end, size: 10, rotate: -40)
            } else {
                w.label(category.label, x: labelX, y: base + 14, anchor: .middle, size: 10)
            }
        }
        w.line(x1: left, y1: base, x2: left + plot, y2: base, stroke: "#1a1a1a")
        if let threshold {
            let x = left + Double(threshold.minutes) / Double(threshold.bin) * slot
            w.line(x1: x, y1: top - 4, x2: x, y2: base, stroke: "#D55E00", width: 2, dash: "6 3")
            w.rect(x: x + 3, y: top + 2, width: 62, height: 14, fill: "#ffffff")
            w.label("\(threshold.minutes) minutes", x: x + 6, y: top + 13, size: 10, bold: true, fill: "#A63D00")
        }
        w.close()
    }

    private static func totalDisplay(_ c: ChartData.Category) -> String {
        c.values.allSatisfy { $0.count != nil } ? String(Int(c.total)) : ""
    }

    private static func shorten(_ s: String, _ n: Int) -> String {
        s.count <= n ? s : String(s.prefix(n - 1)) + "…"
    }
}
