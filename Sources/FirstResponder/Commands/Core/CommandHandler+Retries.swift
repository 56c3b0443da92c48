public import EventStore
public import Foundation

extension CommandHandler {
    /// When the command handled under `commandId` happened (its events' `occurredAt`), if the log
    /// holds it. An edge that fills a missing `occurredAt` from its clock gives a retry this time, so
    /// the retry is the same command (``CommandDigest``) and is answered from the log.
    public func occurredAt(ofCommand commandId: UUID) throws -> Timestamp? {
        for legacy in DeterministicID.commandEventForms(commandId) {
            if let first = try store.event(id: DeterministicID.commandEvent(commandId, 0, legacy: legacy)) {
                return first.occurredAt
            }
        }
        return nil
    }
}
