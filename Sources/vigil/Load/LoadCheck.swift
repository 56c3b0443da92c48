import EventStore
import FirstResponder
import Foundation
import VigilEngine

/// What the log says after a load run, read with the daemon stopped: whether every event the
/// daemon acknowledged is there, and how late each timer fired.
enum LoadCheck {
    /// The acknowledged events the log lacks (or holds at another position), described; at most
    /// five are named, the count is exact.
    static func missing(_ acknowledged: [(id: UUID, position: UInt64)], in store: EventStore) throws -> (
        count: Int, examples: [String]
    ) {
        var count = 0
        var examples: [String] = []
        for (id, position) in acknowledged {
            let stored = try store.event(id: id)
            guard stored?.position != position else { continue }
            count += 1
            if examples.count < 5 {
                examples.append(
                    stored.map { "event \(id) acknowledged at position \(position), found at \($0.position)" }
                        ?? "event \(id) acknowledged at position \(position), not in the log")
            }
        }
        return (count, examples)
    }

    /// How late the timers that fired after `position` fired (recordedAt − dueAt, in nanoseconds),
    /// apart from those that fell due while the daemon was down (`outages`): the daemon fires those
    /// when it starts again, and counts them apart.
    static func timerDelays(in store: EventStore, after position: UInt64, outages: [ClosedRange<Timestamp>])
        throws -> (delays: [UInt64], caughtUp: Int)
    {
        var delays: [UInt64] = []
        var caughtUp = 0
        try store.scan(from: position + 1) { view in
            guard view.type == "TimerFired" else { return }
            let event = view.materialize()
            let json = event.payloadEncoding == .json ? event.payload : DomainCodec.json(event)
            guard let json, let object = (try? JSONValue(parsing: json))?.objectValue,
                let due = object["dueAt"]?.stringValue.flatMap(Timestamp.init(rfc3339:))
            else {
                throw CLIError("TimerFired at position \(event.position) has no readable dueAt")
            }
            if outages.contains(where: { $0.contains(due) }) {
                caughtUp += 1
            } else {
                delays.append(UInt64(max(0, event.recordedAt.microseconds - due.microseconds)) * 1_000)
            }
        }
        return (delays, caughtUp)
    }
}
