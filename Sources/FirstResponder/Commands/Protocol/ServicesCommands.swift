import EventStore

/// Specialised services were offered to the youth: `ServicesOffered`.
public struct OfferServices: Command, JSONCommand {
    public static let name = "offer-services"
    public var envelope: CommandEnvelope
    /// The case.
    public var caseId: CaseID
    /// The services offered.
    public var services: [ServiceKind]

    /// The command.
    public init(caseId: CaseID, services: [ServiceKind], envelope: CommandEnvelope) {
        self.caseId = caseId
        self.services = services
        self.envelope = envelope
    }

    init(json f: inout CommandFields) throws(DomainValidationError) {
        self.init(
            caseId: try f.id("caseId", CaseID.self), services: try f.values("services", ServiceKind.self),
            envelope: f.envelope)
    }

    func decide(_ context: CommandContext) throws -> Decision {
        _ = try context.existingCase(caseId)
        var decision = Decision()
        decision.append(ServicesOffered(caseId: caseId, services: services))
        return decision
    }
}

/// The youth accepted some of the offered services: `ServicesAccepted`. Each must have been offered.
public struct AcceptServices: Command, JSONCommand {
    public static let name = "accept-services"
    public var envelope: CommandEnvelope
    /// The case.
    public var caseId: CaseID
    /// The services accepted.
    public var services: [ServiceKind]

    /// The command.
    public init(caseId: CaseID, services: [ServiceKind], envelope: CommandEnvelope) {
        self.caseId = caseId
        self.services = services
        self.envelope = envelope
    }

    init(json f: inout CommandFields) throws(DomainValidationError) {
        self.init(
            caseId: try f.id("caseId", CaseID.self), services: try f.values("services", ServiceKind.self),
            envelope: f.envelope)
    }

    func decide(_ context: CommandContext) throws -> Decision {
        let file = try context.existingCase(caseId)
        try ServicesCheck.offered(services, file)
        var decision = Decision()
        decision.append(ServicesAccepted(caseId: caseId, services: services))
        return decision
    }
}

/// The youth declined some of the offered services: `ServicesDeclined`. Each must have been offered.
public struct DeclineServices: Command, JSONCommand {
    public static let name = "decline-services"
    public var envelope: CommandEnvelope
    /// The case.
    public var caseId: CaseID
    /// The services declined.
    public var services: [ServiceKind]
    /// Free text, when given (never the youth's words about themselves).
    public var reason: String?

    /// The command.
    public init(caseId: CaseID, services: [ServiceKind], reason: String? = nil, envelope: CommandEnvelope) {
        self.caseId = caseId
        self.services = services
        self.reason = reason
        self.envelope = envelope
    }

    init(json f: inout CommandFields) throws(DomainValidationError) {
        self.init(
            caseId: try f.id("caseId", CaseID.self), services: try f.values("services", ServiceKind.self),
            reason: try f.optionalReason("reason"), envelope: f.envelope)
    }

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
