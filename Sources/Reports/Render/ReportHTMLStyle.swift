/// The report's one stylesheet, inlined in the HTML: readable on screen, and printed on A4 or US
/// Letter alike (the content fits the narrower A4 width; figures, tables and headings are kept whole
/// across page breaks). No web fonts, no images, no script.
enum ReportHTMLStyle {
    static let css = """
        :root { color-scheme: light; }
        * { box-sizing: border-box; }
        body { margin: 0 auto; max-width: 182mm; padding: 12mm 8mm; color: #1a1a1a; background: #ffffff;
          font: 10.5pt/1.45 "Liberation Sans", "DejaVu Sans", Arial, Helvetica, sans-serif; }
        header { border-bottom: 3px solid #0b3d66; margin-bottom: 6mm; padding-bottom: 3mm; }
        header .org { margin: 0; font-size: 9pt; letter-spacing: .06em; text-transform: uppercase; color: #0b3d66; }
        h1 { font-size: 19pt; line-height: 1.2; margin: 1mm 0 2mm; color: #0b3d66; }
        h2 { font-size: 14pt; margin: 8mm 0 2mm; color: #0b3d66; border-bottom: 1px solid #c9d3dd; padding-bottom: 1mm; }
        h3 { font-size: 11pt; margin: 5mm 0 1mm; }
        p { margin: 1.5mm 0; }
        .period { font-size: 10pt; }
        .keyfigures { display: grid; grid-template-columns: repeat(3, minmax(0, 1fr)); gap: 3mm; margin: 4mm 0;
          padding: 0 .5mm 0 0; list-style: none; }
        .keyfigures li { min-width: 0; overflow-wrap: anywhere; border: 1px solid #c9d3dd;
          border-left: 4px solid #0072B2; padding: 2mm 3mm; }
        .keyfigures .value { display: block; font-size: 17pt; font-weight: bold; color: #0b3d66; }
        .keyfigures .label { font-size: 9pt; }
        nav ol { columns: 2; margin: 0 0 4mm; padding-left: 0; list-style: none; font-size: 9.5pt; }
        figure { margin: 3mm 0 1mm; break-inside: avoid; page-break-inside: avoid; }
        figure svg { display: block; width: 100%; height: auto; max-height: 110mm; }
        figcaption { font-size: 9pt; color: #333333; margin-top: 1mm; }
        figcaption strong { color: #1a1a1a; }
        table { border-collapse: collapse; width: 100%; margin: 2mm 0 4mm; font-size: 9pt;
          break-inside: auto; font-variant-numeric: tabular-nums; }
        caption { caption-side: top; text-align: left; font-weight: bold; font-size: 9.5pt; padding-bottom: 1mm; }
        thead { display: table-header-group; }
        tr { break-inside: avoid; page-break-inside: avoid; }
        th, td { border-bottom: 1px solid #dde3ea; padding: .6mm 1.5mm; }
        thead th { border-bottom: 1.5px solid #1a1a1a; text-align: right; vertical-align: bottom; }
        thead th:first-child, tbody th { text-align: left; font-weight: normal; }
        tbody th { white-space: nowrap; }
        td { text-align: right; }
        tr.total th, tr.total td { font-weight: bold; border-top: 1.5px solid #1a1a1a; }
        tr.level1 th { padding-left: 6mm; }
        td.suppressed { font-style: italic; color: #555555; }
        .tablenote { font-size: 8.5pt; color: #333333; margin-top: -2mm; }
        dl.notes { display: grid; grid-template-columns: 42mm 1fr; gap: 1mm 4mm; font-size: 9.5pt; }
        dl.notes dt { font-weight: bold; }
        dl.notes dd { margin: 0; }
        .stamp { border: 1.5px solid #0b3d66; padding: 3mm; margin-top: 4mm; font-size: 9pt; break-inside: avoid; }
        .stamp code { font: 8.5pt/1.35 "DejaVu Sans Mono", "Liberation Mono", monospace; word-break: break-all; }
        .footnote { font-size: 8.5pt; border-top: 1px solid #c9d3dd; margin-top: 6mm; padding-top: 2mm; }
        @page { margin: 15mm 14mm 16mm; }
        @media print {
          body { max-width: none; padding: 0; font-size: 10pt; }
          nav { break-after: avoid; }
          h2, h3, caption { break-after: avoid; page-break-after: avoid; }
          section.report-section { break-before: auto; }
          a { color: inherit; text-decoration: none; }
        }
        """
}
