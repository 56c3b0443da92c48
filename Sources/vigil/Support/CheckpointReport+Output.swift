import EventStore
import Trust

extension CheckpointReport {
    /// The report for a person: what the signatures prove, then each failure.
    var lines: [String] {
        guard isValid, let covered = coveredThrough, let last = signed.last else {
            return ["checkpoints: FAILED (\(signed.count) checked out, \(failures.count) failed)"]
                + problems.map { "  \($0)" }
        }
        let keys = Set(signed.map(\.keyId)).sorted().joined(separator: ", ")
        let tail =
            uncovered == 0
            ? "every later event is a checkpoint"
            : "\(uncovered) later event\(uncovered == 1 ? " is" : "s are") chained but not yet signed"
        return [
            "signed: \(signed.count) checkpoint\(signed.count == 1 ? "" : "s") verif\(signed.count == 1 ? "ies" : "y") with key \(keys); the last (position \(last.checkpoint), \(last.statement.signedAt.rfc3339)) proves positions 1–\(covered) are the county's; \(tail)"
        ]
    }

    /// The report as a `checkpoints` field of `vigil verify --json`.
    func write(into w: inout JSONWriter) {
        w.key("checkpoints")
        w.beginObject()
        w.key("ok")
        w.bool(isValid)
        w.field("verified", signed.count)
        w.field("failed", failures.count)
        if let coveredThrough { w.field("coveredThrough", coveredThrough) }
        w.field("uncovered", uncovered)
        w.key("problems")
        w.beginArray()
        for failure in failures {
            w.beginObject()
            w.field("position", failure.position)
            w.field("message", failure.message)
            w.endObject()
        }
        if failures.isEmpty, let message = problems.first {
            w.beginObject()
            w.field("message", message)
            w.endObject()
        }
        w.endArray()
        w.endObject()
    }
}
