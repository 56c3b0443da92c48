/// The Board of Supervisors report as a value: sections of tables and charts, data notes, and the
/// stamp that reproduces it. Every format (HTML, Markdown, CSV, JSON) renders this one value.
public struct Report: Sendable, Hashable {
    /// A block of a section.
    public enum Block: Sendable, Hashable {
        /// A paragraph.
        case text(String)
        /// A table.
        case table(ReportTable)
        /// A chart of a table of the same section.
        case chart(Chart)
    }

    /// A numbered section.
    public struct Section: Sendable, Hashable {
        /// Stable id.
        public var id: String
        /// Title.
        public var title: String
        /// Blocks, in order.
        public var blocks: [Block]

        /// A section.
        public init(id: String, title: String, blocks: [Block] = []) {
            self.id = id
            self.title = title
            self.blocks = blocks
        }

        /// The section's tables.
        public var tables: [ReportTable] {
            blocks.compactMap { if case .table(let t) = $0 { return t } else { return nil } }
        }
    }

    /// A data note: a heading and what it says.
    public struct Note: Sendable, Hashable {
        /// What it is about.
        public var topic: String
        /// What it says.
        public var text: String

        /// A note.
        public init(_ topic: String, _ text: String) {
            self.topic = topic
            self.text = text
        }
    }

    /// Title.
    public var title: String
    /// What was asked.
    public var request: ReportRequest
    /// Sections, in order.
    public var sections: [Section]
    /// The data notes.
    public var notes: [Note]
    /// Footnotes (suppression), shown where they apply and in the notes.
    public var footnotes: [String]
    /// The reproducibility stamp.
    public var stamp: ReportStamp

    /// A report.
    public init(
        title: String, request: ReportRequest, sections: [Section], notes: [Note], footnotes: [String] = [],
        stamp: ReportStamp
    ) {
        self.title = title
        self.request = request
        self.sections = sections
        self.notes = notes
        self.footnotes = footnotes
        self.stamp = stamp
    }

    /// Every table, in order.
    public var tables: [ReportTable] { sections.flatMap(\.tables) }

    /// The table with `id`.
    public func table(_ id: String) -> ReportTable? { tables.first { $0.id == id } }

    /// Every figure, keyed, in order of appearance (a figure shown twice appears once).
    public var figures: [Cell] {
        var seen = Set<String>()
        return tables.flatMap(\.cells).filter { seen.insert($0.key).inserted }
    }
}
