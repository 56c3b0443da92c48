public import EventStore

// Rules beyond the schema (docs/EVENTS.md) for the dispatch events.

extension RecommendationComputed {
    /// Candidate ranks are 1…n in array order, scores do not increase down the list, and a responder
    /// appears at most once among candidates and exclusions.
    public func validateRules(occurredAt: Timestamp) throws(DomainValidationError) {
        var previousScore: Double?
        for (i, candidate) in candidates.enumerated() {
            if candidate.rank != i + 1 {
                throw .rule("/data/candidates/\(i)/rank", "ranks must be 1..n in array order; expected \(i + 1)")
            }
            if let previousScore, candidate.score > previousScore {
                throw .rule("/data/candidates/\(i)/score", "scores must not increase down the ranked list")
            }
            previousScore = candidate.score
        }
        var seen = Set<ResponderID>(minimumCapacity: candidates.count + exclusions.count)
        for (i, candidate) in candidates.enumerated() where !seen.insert(candidate.responderId).inserted {
            throw .rule("/data/candidates/\(i)/responderId", "\(candidate.responderId) appears twice among candidates")
        }
        for (i, exclusion) in exclusions.enumerated() where !seen.insert(exclusion.responderId).inserted {
            throw .rule(
                "/data/exclusions/\(i)/responderId",
                "\(exclusion.responderId) appears twice among candidates and exclusions")
        }
    }
}

extension AssignmentEscalated {
    /// The request moves on to a different responder.
    public func validateRules(occurredAt: Timestamp) throws(DomainValidationError) {
        if let toResponderId, toResponderId == fromResponderId {
            throw .rule("/data/toResponderId", "toResponderId must differ from fromResponderId")
        }
    }
}

extension ResponseRequested {
    /// The deadline lies after the request.
    public func validateRules(occurredAt: Timestamp) throws(DomainValidationError) {
        if deadlineAt <= occurredAt {
            throw .rule("/data/deadlineAt", "deadlineAt must be after occurredAt")
        }
    }
}
