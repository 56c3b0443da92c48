import EventStore
import FirstResponder
import Foundation
import PropertyBased
import Testing

/// Random sequences of *commands* — every kind (corrections and voids of recoveries and placements
/// among them), on a small world of two cases, six responders, one
/// operation, two arrests, sessions and a cohort, at times that jump about, run late and sometimes
/// lie in the future — go through the real handler. Whatever is accepted must leave the log in a
/// state the one rule set accepts: no case folds to a refused event or a broken invariant, and the
/// log's export imported into an empty store through the domain door is accepted line by line and
/// restores the same chain head.
@Suite("Rules: random command sequences")
struct CommandSequencePropertyTests {
    @Test("no command sequence reaches an illegal state, and the log it writes re-imports line for line")
    func sequences() async {
        await propertyCheck(count: 30, input: Gen.int(in: 0...99_999).array(of: 30...90)) { steps in
            do {
                try await Self.run(steps)
            } catch {
                Issue.record("\(error)")
            }
        }
    }

    static let cases = [caseA, caseB]
    static let youth = [youthRefA, youthRefB]
    static let responders = [County.adv1, County.adv2, County.adv3, County.adv4, County.dcfs, County.sup]
    static let operation = OperationID(rawValue: "OP-SCV2026A")!
    static let arrests = [ArrestID(rawValue: "A-2026A0441")!, ArrestID(rawValue: "A-2026A0442")!]

    static func run(_ steps: [Int]) async throws {
        let clock = ManualClock(at(0))
        let h = try await CommandHarness.make(clock: clock.now)
        try await h.seedCounty()
        let handler = h.handler
        var now = at(0)
        var outcomes: [String: Int] = [:]
        // Both cases reported and the operation running, so most steps have something to act on.
        for (index, caseId) in cases.enumerated() {
            try await handler.handle(
                ReportRecovery(
                    caseId: caseId, youthRef: youth[index], agency: .lasd, station: "SCV", area: .spa2,
                    contactAt: at(-10), context: .street, ageAtContact: 15, envelope: by(at(0))))
        }
        for step in steps {
            now = now.adding(seconds: Int64(step / 480 % 20) * 60)
            clock.set(now)
            // Field times: mostly now, sometimes late, now and then ahead of the log's clock.
            let offset: Int64 = [0, 0, 0, -45, -5, 2, 10][step / 9_600 % 7] * 60
            let envelope = by(now.adding(seconds: offset))
            do {
                if let command = try Self.command(step, envelope, h) {
                    _ = try await handler.handle(command)
                } else {
                    _ = try await handler.handleDueTimers(h.timers, now: now)
                }
                outcomes["ok", default: 0] += 1
            } catch let rejection as CommandRejection {
                outcomes[rejection.code.name, default: 0] += 1
            }
        }
        // Every case folds without a refused event, and its state keeps the lifecycle's invariants.
        for caseId in cases {
            let file = try h.caseFile(caseId)
            #expect(file.lifecycle.rejected.isEmpty, "\(caseId): \(file.lifecycle.rejected)")
            #expect(invariantProblems(file.state).isEmpty, "\(caseId): \(invariantProblems(file.state))")
            #expect(file.undecodable.isEmpty)
        }
        // The log re-imports through the domain door, line for line, to the same chain head.
        let (refused, head) = try await reimport(h.store, batch: 17)
        #expect(refused.isEmpty, "\(refused) after \(outcomes)")
        #expect(head == (try h.store.head()))
    }

    /// The command a step stands for, from the case as it stands (`nil`: fire the due timers).
    static func command(_ step: Int, _ envelope: CommandEnvelope, _ h: CommandHarness) throws -> (any Command)? {
        let kind = step % 32
        let a = step / 30 % 4
        let caseId = cases[a % 2]
        let file = try h.caseFile(caseId)
        let request = file.requests.isEmpty ? nil : file.requests[(a / 2) % file.requests.count]
        let requestId = request?.requestId ?? RequestID(rawValue: "RQ-\(file.key)-1")!
        // The responder on the request half the time, so dispatches run their course.
        let responder =
            (a % 2 == 0 ? request?.assigned ?? request?.arrival?.responderId : nil) ?? responders[step / 120 % 6]
        let arrestId = arrests[step / 120 % 2]
        switch kind {
        case 0:
            return ReportRecovery(
                caseId: caseId, youthRef: youth[a % 2], agency: .lasd, station: "SCV", area: .spa2,
                contactAt: envelope.occurredAt.adding(seconds: -600), context: a == 3 ? .operation : .street,
                operationId: a == 3 ? operation : nil, ageAtContact: 15, envelope: envelope)
        case 1: return RequestResponse(caseId: caseId, role: .advocate, envelope: envelope)
        case 2: return RequestResponse(caseId: caseId, role: .dcfs, envelope: envelope)
        case 3: return AssignByPolicy(caseId: caseId, requestId: requestId, envelope: envelope)
        case 4:
            return AssignManually(
                caseId: caseId, requestId: requestId, responderId: responder, overrideReason: "Closest.",
                envelope: envelope)
        case 5: return Acknowledge(caseId: caseId, requestId: requestId, responderId: responder, envelope: envelope)
        case 6:
            return Decline(
                caseId: caseId, requestId: requestId, responderId: responder, reasonCode: .tooFar, envelope: envelope)
        case 7: return EnRoute(caseId: caseId, requestId: requestId, responderId: responder, envelope: envelope)
        case 8: return Arrive(caseId: caseId, requestId: requestId, responderId: responder, envelope: envelope)
        case 9: return Clear(caseId: caseId, requestId: requestId, responderId: responder, envelope: envelope)
        case 10: return CancelResponse(caseId: caseId, requestId: requestId, reasonCode: .notNeeded, envelope: envelope)
        case 11: return OfferServices(caseId: caseId, services: [.advocacy, .placement], envelope: envelope)
        case 12: return AcceptServices(caseId: caseId, services: [.advocacy], envelope: envelope)
        case 13: return CompleteMedicalEvaluation(caseId: caseId, kind: .forensic, envelope: envelope)
        case 14: return DecidePlacement(caseId: caseId, kind: .shelter, envelope: envelope)
        case 15: return ReportMissing(caseId: caseId, envelope: envelope)
        case 16: return ReportReturned(caseId: caseId, how: .selfReturned, envelope: envelope)
        case 17: return CloseCase(caseId: caseId, outcome: .servicesEngaged, envelope: envelope)
        case 18:
            return ReopenCase(caseId: caseId, reasonCode: .newInformation, reason: "New facts.", envelope: envelope)
        case 19: return DeemOutOfScope(caseId: caseId, reasonCode: .noExploitationIndicators, envelope: envelope)
        case 20: return nil
        case 21:
            return StartOperation(
                operationId: operation, operationName: "Operation Safe Harbor", agency: .lasd, area: .spa2,
                envelope: envelope)
        case 22: return EndOperation(operationId: operation, envelope: envelope)
        case 23:
            return RecordArrest(
                arrestId: arrestId, role: .buyer, agency: .lasd, station: "SCV", area: .spa2,
                arrestedAt: envelope.occurredAt.adding(seconds: a == 1 ? 600 : -600),
                linkedCaseIds: a == 2 ? [caseId] : [],
                operationId: a >= 2 ? operation : nil, envelope: envelope)
        case 24:
            return CorrectArrest(
                arrestId: arrestId, corrections: .init(role: .exploiter, operationId: a == 0 ? .null : nil),
                reason: "Booking record.", envelope: envelope)
        case 25:
            return VoidArrest(
                arrestId: arrestId, reasonCode: .enteredInError, reason: "Wrong form.", envelope: envelope)
        case 26:
            return HoldTrainingSession(
                sessionId: SessionID(rawValue: "TS-2026A00\(a)")!, courseCode: "COURSE-03", courseTitle: "CSEC 101",
                audienceSector: .lawEnforcement, attendees: 20 + a, envelope: envelope)
        case 27:
            let cohort = CohortID(rawValue: "PC-2026A")!
            return a < 2
                ? StartParentCohort(cohortId: cohort, weeks: 10, participants: 14, envelope: envelope)
                : CompleteParentCohort(cohortId: cohort, participants: 14, completers: 12, envelope: envelope)
        case 28:
            return a < 2
                ? DeactivateResponder(responderId: responder, reasonCode: .leftOrganization, envelope: envelope)
                : RegisterResponder(
                    registration: County.registrations.first { $0.responderId == responder }!, envelope: envelope)
        case 30:
            return a < 2
                ? CorrectRecovery(
                    caseId: caseId,
                    corrections: a == 0 ? .init(station: "LANCASTER", area: .spa1) : .init(station: "SCV", area: .spa2),
                    reason: "Station mistyped.", envelope: envelope)
                : CorrectPlacement(
                    caseId: caseId, corrections: .init(kind: .relative), reason: "An aunt.", envelope: envelope)
        case 31:
            return step / 120 % 8 == 0
                ? VoidRecovery(
                    caseId: caseId, reasonCode: .duplicateEntry, reason: "Reported twice.", envelope: envelope)
                : VoidPlacement(
                    caseId: caseId, reasonCode: .enteredInError, reason: "Wrong case.", envelope: envelope)
        case 29:
            return ChangeResponderStatus(
                responderId: responder, status: a % 2 == 0 ? .offDuty : .available, envelope: envelope)
        default:
            return ChangeResponderStatus(
                responderId: responder, status: a % 2 == 0 ? .offDuty : .available, envelope: envelope)
        }
    }
}
