import ArgumentParser
import EventStore
import Projections
import VigilEngine

/// `vigil views list|show|update`.
struct ViewsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "views",
        abstract: "Read the views: the case board, response times, the roster board, …",
        discussion: """
            Views are folds of the log kept in the data directory with a checkpoint each. 'show' brings \
            them up to date first (unless --no-update), then reads them in one consistent snapshot.
            """,
        subcommands: [List.self, Show.self, Update.self]
    )

    /// `vigil views list [--json]`.
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The views, and where each stored projection stands against the log.")

        @OptionGroup var store: DataOptions

        @Flag(help: "Print one JSON object.")
        var json = false

        func run() throws {
            let engine = try store.engine(.readOnly)
            defer { engine.close() }
            let status = try engine.projections.status()
            if json {
                struct Listing: Encodable {
                    var views: [View]
                    var projections: [ProjectionStatus]
                    struct View: Encodable {
                        var name: String
                        var summary: String
                        var projections: [String]
                    }
                }
                let listing = Listing(
                    views: ViewName.allCases.map {
                        .init(name: $0.rawValue, summary: $0.summary, projections: $0.projections)
                    },
                    projections: status)
                say(try ViewJSON.encode(listing))
                return
            }
            say("views")
            for view in ViewName.allCases {
                say("  \(view.rawValue.padded(16)) \(view.summary)")
            }
            say("stored projections")
            for s in status {
                let rows = s.rows.map { "\($0) rows" } ?? "-"
                say("  \(s.name.padded(16)) \(s.state.padded(10)) checkpoint \(s.checkpoint), lag \(s.lag), \(rows)")
            }
        }
    }

    /// `vigil views update`.
    struct Update: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Bring every stored view up to the log's head (rebuilding those of an older version).")

        @OptionGroup var store: DataOptions

        func run() throws {
            let engine = try store.engine()
            defer { engine.close() }
            let folded = try engine.projections.catchUp()
            let head = try engine.store.head().position
            say("views at position \(head) (\(folded) events folded)")
        }
    }
}

extension String {
    func padded(_ width: Int) -> String { count >= width ? self : self + String(repeating: " ", count: width - count) }
}
