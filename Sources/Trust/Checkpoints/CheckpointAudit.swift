public import EventStore
public import FirstResponder

/// What checking every signed checkpoint of a log found (`vigil verify --key PUB`).
public struct CheckpointReport: Sendable {
    /// Checkpoints that checked out, oldest first.
    public var signed: [CheckpointVerifier.Signed]
    /// Checkpoints that did not, oldest first.
    public var failures: [CheckpointFailure]
    /// The head of the log checked (through the last record whose chain verified).
    public var head: UInt64

    /// The last position the county's signature covers, if any checkpoint checked out.
    public var coveredThrough: UInt64? { signed.map(\.statement.position).max() }

    /// Records after the last signed position that are not themselves checkpoints that checked
    /// out: present, chained, but not yet signed.
    public var uncovered: UInt64 {
        let covered = coveredThrough ?? 0
        let laterCheckpoints = UInt64(signed.filter { $0.checkpoint > covered && $0.checkpoint <= head }.count)
        return head - min(head, covered + laterCheckpoints)
    }

    /// Whether the copy is proven the county's up to its last checkpoint: at least one checkpoint,
    /// and every one checked out.
    public var isValid: Bool { failures.isEmpty && !signed.isEmpty }

    /// Why the copy is not proven, one line each (empty when it is).
    public var problems: [String] {
        if !failures.isEmpty { return failures.map(\.description) }
        if signed.isEmpty {
            return [
                "no signed checkpoint in the log\(head == 0 ? " (it is empty)" : " up to position \(head)"): nothing proves this copy is the county's (sign one with 'vigil checkpoint sign')"
            ]
        }
        return []
    }
}

extension CheckpointVerifier {
    /// Checks every checkpoint (the `checkpoints` stream) at or below `head` — the position through
    /// which the hash chain verified — against this log.
    ///
    /// A failure names the checkpoint and what is wrong; when a checkpoint's hash does not match the
    /// log, the message also narrows where the log was altered: after the last good checkpoint's
    /// position, at or before the failing one's.
    public func audit(_ store: EventStore, through head: UInt64) throws -> CheckpointReport {
        var report = CheckpointReport(signed: [], failures: [], head: head)
        let events = try store.readStream(CheckpointLog.stream, checking: .structure)
        for event in events where event.position <= head {
            do {
                let signed = try check(event) { position in
                    position <= head ? try store.event(at: position)?.hash : nil
                }
                report.signed.append(signed)
            } catch var failure as CheckpointFailure {
                if failure.message.contains("was altered at or before"), let good = report.coveredThrough {
                    failure.message += " (and after position \(good), which an earlier checkpoint proves)"
                }
                report.failures.append(failure)
            }
        }
        return report
    }
}
