import EventStore

// An arrest is recorded, corrected and voided as given: the rules (``ArrestRecord``) refuse an arrest
// id used twice, a linked case never reported, an operation that never started or an arrest outside
// it, and a correction or void of an arrest never recorded or already voided.

extension RecordArrest {
    func decide(_ context: CommandContext) throws -> Decision {
        var decision = Decision()
        decision.append(arrest)
        return decision
    }
}

extension CorrectArrest {
    func decide(_ context: CommandContext) throws -> Decision {
        var decision = Decision()
        decision.append(ArrestCorrected(arrestId: arrestId, corrections: corrections, reason: reason))
        return decision
    }
}

extension VoidArrest {
    func decide(_ context: CommandContext) throws -> Decision {
        var decision = Decision()
        decision.append(ArrestVoided(arrestId: arrestId, reasonCode: reasonCode, reason: reason))
        return decision
    }
}
