import EventStore

extension OfferServices {
    func decide(_ context: CommandContext) throws -> Decision {
        _ = try context.existingCase(caseId)
        var decision = Decision()
        decision.append(ServicesOffered(caseId: caseId, services: services))
        return decision
    }
}

extension AcceptServices {
    func decide(_ context: CommandContext) throws -> Decision {
        let file = try context.existingCase(caseId)
        try ServicesCheck.offered(services, file)
        var decision = Decision()
        decision.append(ServicesAccepted(caseId: caseId, services: services))
        return decision
    }
}

extension DeclineServices {
    func decide(_ context: CommandContext) throws -> Decision {
        let file = try context.existingCase(caseId)
        try ServicesCheck.offered(services, file)
        var decision = Decision()
        decision.append(ServicesDeclined(caseId: caseId, services: services, reason: reason))
        return decision
    }
}

enum ServicesCheck {
    /// Rejects a service that was never offered (when any were: with none offered, the lifecycle's
    /// `services not offered` says it better).
    static func offered(_ services: [ServiceKind], _ file: CaseFile) throws {
        guard !file.servicesOffered.isEmpty else { return }
        for (index, service) in services.enumerated() where !file.servicesOffered.contains(service) {
            throw CommandRejection(
                .notApplicable, "\(service.rawValue) was not offered in case \(file.caseId)",
                field: "/services/\(index)")
        }
    }
}
