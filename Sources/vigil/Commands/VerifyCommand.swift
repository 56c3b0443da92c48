import ArgumentParser
import EventStore
import VigilEngine

/// `vigil verify`: recomputes the hash chain and checks the indexes.
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check the whole hash chain and the indexes; name the first bad position.",
        discussion: "Exit status 0 when everything checks out, 2 when a problem is found, 1 on other errors."
    )

    @OptionGroup var store: DataOptions

    @Flag(help: "Print the result as one JSON object.")
    var json = false

    func run() throws {
        let engine = try store.engine(.readOnly)
        defer { engine.close() }
        let eventStore = engine.store
        let report = try eventStore.verify()
        if json {
            var w = JSONWriter()
            w.beginObject()
            w.key("ok")
            w.bool(report.isValid)
            w.field("events", report.events)
            w.field("streams", report.streams)
            w.field("headPosition", report.head.position)
            w.field("headHash", report.head.hashHex)
            w.key("problems")
            w.beginArray()
            for p in report.problems {
                w.beginObject()
                if let position = p.position { w.field("position", position) }
                w.field("message", p.message)
                w.endObject()
            }
            w.endArray()
            w.endObject()
            say(w.string)
        } else if report.isValid {
            say(
                "ok: \(report.events) events in \(report.streams) streams; head \(report.head.position) \(report.head.hashHex)"
            )
        } else {
            say(
                "FAILED after \(report.events) good events (last good head \(report.head.position) \(report.head.hashHex))"
            )
            for p in report.problems { say("  \(p)") }
        }
        if !report.isValid { throw ExitCode(2) }
    }
}
