import EventStore

/// A step's commands, built in Swift for the handler's typed door: the same commands the step's
/// JSON form decoded to, checked by their schemas (``CommandHandler/prepare(_:)``) as that form was,
/// without writing and parsing it. Each is made when it is run, so a value its schema refuses is a
/// refusal of that command, counted like any other.
extension Simulator {
    /// Makes one command; throws a ``CommandRejection`` for a value no command can hold.
    typealias MakeCommand = () throws -> any Command

    func commands(for step: SimulatedStep) throws -> [MakeCommand] {
        let at = step.at
        func by(_ actor: String = "user:dispatcher-1") -> CommandEnvelope {
            CommandEnvelope(occurredAt: at, actor: actor)
        }
        switch step.action {
        case .registerResponder(let r):
            return [
                {
                    RegisterResponder(
                        responderId: id(r.id), role: try value(r.role, "role"), organization: r.organization,
                        languages: r.languages, areas: try r.areas.map { try value($0, "areas") },
                        servesAges: r.role == "advocate" || r.role == "probation"
                            ? ResponderRegistered.ServesAges(min: 11, max: r.role == "advocate" ? 18 : 21) : nil,
                        envelope: by("user:roster-admin"))
                }
            ]
        case .scheduleShift(let shiftId, let responderId, let startsAt, let endsAt, let onCall):
            return [
                {
                    ScheduleShift(
                        shiftId: id(shiftId), responderId: id(responderId), startsAt: startsAt, endsAt: endsAt,
                        onCall: onCall, envelope: by("user:roster-admin"))
                }
            ]
        case .recordTimeOff(let timeOffId, let responderId, let startsAt, let endsAt):
            return [
                {
                    RecordTimeOff(
                        timeOffId: id(timeOffId), responderId: id(responderId), startsAt: startsAt, endsAt: endsAt,
                        kind: .planned, envelope: by("user:roster-admin"))
                }
            ]
        case .reportRecovery(let c):
            return [
                {
                    ReportRecovery(
                        caseId: id(c.caseId), youthRef: id(c.youthRef), agency: try value(c.station.agency, "agency"),
                        station: c.station.code, area: try value(c.station.area, "area"), contactAt: c.contactAt,
                        context: try value(c.context, "context"), operationId: c.operationId.map(id),
                        ageAtContact: c.age, language: c.language,
                        onSupervision: try value(c.onSupervision, "onSupervision"), awol: c.awol,
                        envelope: by("user:deputy-\(c.station.code.lowercased())"))
                }
            ]
        case .createHotlineReferral(let caseId, let number, let category):
            return [
                {
                    CreateHotlineReferral(
                        caseId: id(caseId), referralNumber: id(number),
                        responseCategory: try value(category, "responseCategory"), envelope: by("user:hotline-worker"))
                }
            ]
        case .requestResponse(let caseId, let role):
            return [{ RequestResponse(caseId: id(caseId), role: try value(role, "role"), envelope: by()) }]
        case .assignByPolicy(let caseId, let role):
            guard let request = try latestRequest(caseId, role: role, where: { $0.phase == .awaiting }) else {
                return []
            }
            return [{ AssignByPolicy(caseId: id(caseId), requestId: request.requestId, envelope: by()) }]
        case .reply(let caseId, let role, let reply):
            guard reply != .noAnswer,
                let request = try latestRequest(
                    caseId, role: role, where: { $0.phase == .dispatched && !$0.acknowledged }),
                let responder = request.assigned
            else { return [] }
            let envelope = by("user:\(responder.rawValue.lowercased())")
            if reply == .acknowledge {
                return [
                    {
                        Acknowledge(
                            caseId: id(caseId), requestId: request.requestId, responderId: responder, envelope: envelope
                        )
                    }
                ]
            }
            return [
                {
                    Decline(
                        caseId: id(caseId), requestId: request.requestId, responderId: responder,
                        reasonCode: .unavailable, envelope: envelope)
                }
            ]
        case .enRoute(let caseId, let role), .arrive(let caseId, let role), .clear(let caseId, let role):
            let phase: RequestFile.Phase
            switch step.action {
            case .enRoute, .arrive: phase = .dispatched
            default: phase = .onScene
            }
            guard let request = try latestRequest(caseId, role: role, where: { $0.phase == phase }),
                let responder = request.assigned
            else { return [] }
            let envelope = by("user:\(responder.rawValue.lowercased())")
            let (caseId, requestId) = (CaseID(uncheckedRawValue: caseId), request.requestId)
            switch step.action {
            case .enRoute:
                return [{ EnRoute(caseId: caseId, requestId: requestId, responderId: responder, envelope: envelope) }]
            case .arrive:
                return [{ Arrive(caseId: caseId, requestId: requestId, responderId: responder, envelope: envelope) }]
            default:
                return [{ Clear(caseId: caseId, requestId: requestId, responderId: responder, envelope: envelope) }]
            }
        case .offerServices(let caseId, let services):
            return [
                {
                    OfferServices(
                        caseId: id(caseId), services: try services.map { try value($0, "services") },
                        envelope: by(Self.caseActor))
                }
            ]
        case .answerServices(let caseId, let accepted):
            if accepted {
                return [
                    {
                        AcceptServices(
                            caseId: id(caseId), services: [.advocacy, .placement], envelope: by(Self.caseActor))
                    }
                ]
            }
            return [{ DeclineServices(caseId: id(caseId), services: [.placement], envelope: by(Self.caseActor)) }]
        case .medicalEvaluation(let caseId, let kind, let completed, let age):
            if completed {
                return [
                    {
                        CompleteMedicalEvaluation(
                            caseId: id(caseId), kind: try value(kind, "kind"), envelope: by(Self.caseActor))
                    }
                ]
            }
            return [
                {
                    DeclineMedicalEvaluation(
                        caseId: id(caseId), kind: try value(kind, "kind"),
                        declinedBy: age >= 12 ? .youth : .parentGuardian, ageAtDecline: age,
                        envelope: by(Self.caseActor))
                }
            ]
        case .placement(let caseId, let kind):
            return [
                { DecidePlacement(caseId: id(caseId), kind: try value(kind, "kind"), envelope: by(Self.caseActor)) }
            ]
        case .mdtMeeting(let caseId):
            return [
                {
                    HoldMDTMeeting(
                        caseId: id(caseId), participants: [.advocate, .dcfs, .caregiver, .youth],
                        envelope: by(Self.caseActor))
                }
            ]
        case .wentMissing(let caseId):
            return [
                {
                    ReportMissing(
                        caseId: id(caseId), lastSeenAt: at.adding(seconds: -1_800), reportedToLawEnforcement: true,
                        envelope: by(Self.caseActor))
                }
            ]
        case .returned(let caseId):
            return [{ ReportReturned(caseId: id(caseId), how: .locatedByAdvocate, envelope: by(Self.caseActor)) }]
        case .closeProtocolWindow:
            return []  // the 72-hour timer closes it, as in the daemon
        case .closeCase(let caseId, let outcome):
            return [
                { CloseCase(caseId: id(caseId), outcome: try value(outcome, "outcome"), envelope: by(Self.caseActor)) }
            ]
        case .startOperation(let operationId, let name, let station, let focus):
            return [
                {
                    StartOperation(
                        operationId: id(operationId), operationName: name,
                        agency: try value(station.agency, "agency"), area: try value(station.area, "area"),
                        station: station.code, focus: try value(focus, "focus"),
                        envelope: by("user:\(station.agency.lowercased())-vice"))
                }
            ]
        case .endOperation(let operationId):
            return [{ EndOperation(operationId: id(operationId), envelope: by("user:vice-lead")) }]
        case .recordArrest(let arrestId, let role, let station, let operationId, let charges):
            return [
                {
                    RecordArrest(
                        arrestId: id(arrestId), role: try value(role, "role"),
                        agency: try value(station.agency, "agency"), station: station.code,
                        area: try value(station.area, "area"), arrestedAt: at, linkedCaseIds: [], charges: charges,
                        operationId: operationId.map(id), envelope: by("user:\(station.agency.lowercased())-booking"))
                }
            ]
        case .holdTraining(let sessionId, let course, let attendees, let area):
            let c = County.courses[course]
            return [
                {
                    HoldTrainingSession(
                        sessionId: id(sessionId), courseCode: c.code, courseTitle: c.title,
                        audienceSector: try value(c.audience, "audienceSector"), attendees: attendees,
                        area: try value(area, "area"), envelope: by("user:training-coordinator"))
                }
            ]
        case .startCohort(let cohortId, let participants):
            return [
                {
                    StartParentCohort(
                        cohortId: id(cohortId), weeks: 10, participants: participants,
                        envelope: by("user:parent-program-lead"))
                }
            ]
        case .completeCohort(let cohortId, let participants, let completers):
            return [
                {
                    CompleteParentCohort(
                        cohortId: id(cohortId), participants: participants, completers: completers,
                        envelope: by("user:parent-program-lead"))
                }
            ]
        }
    }

    /// Who acts on a case's later steps.
    static let caseActor = "user:advocate-lead"

    /// The latest request of `role` on the case that satisfies `condition`.
    private func latestRequest(_ caseId: String, role: String, where condition: (RequestFile) -> Bool) throws
        -> RequestFile?
    {
        guard let id = CaseID(rawValue: caseId) else {
            throw EventStoreError(.invalidEvent, "simulator made a bad case id \(caseId)")
        }
        let file = try handler.caseFile(id)
        return file.requests.last { $0.role.rawValue == role && condition($0) }
    }
}

/// An identifier as the simulator spelled it, unchecked: the command's schema check refuses it
/// if it does not match its pattern, as decoding its JSON form did.
private func id<T: SchemaIdentifier>(_ raw: String) -> T { T(uncheckedRawValue: raw) }

/// An enumeration value as the simulator spelled it; one outside the schema's values is refused
/// at the field, as decoding its JSON form did.
private func value<T: CatalogEnum>(_ raw: String, _ field: String) throws(CommandRejection) -> T {
    guard let value = T(rawValue: raw) else {
        throw CommandRejection(
            .invalidCommand, "expected one of \(T.allCases.map(\.rawValue).joined(separator: ", "))",
            field: "/" + field)
    }
    return value
}
