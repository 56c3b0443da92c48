import EventStore
import FirstResponder
import Testing

/// A command that must be rejected, on the county with case A's advocate request assigned to
/// R-ADV001 (``CommandHarness/seedAssigned()``), after `setup`.
struct RejectionCase: Sendable, CustomTestStringConvertible {
    let name: String
    let code: CommandRejection.Code
    let field: String?
    let setup: @Sendable (CommandHarness) async throws -> Void
    let command: @Sendable () -> any Command

    init(
        _ name: String, _ code: CommandRejection.Code, field: String? = nil,
        setup: @escaping @Sendable (CommandHarness) async throws -> Void = { _ in },
        command: @escaping @Sendable () -> any Command
    ) {
        self.name = name
        self.code = code
        self.field = field
        self.setup = setup
        self.command = command
    }

    var testDescription: String { name }
}

private let requestA2 = requestID("RQ-2026A00017-2")

extension RejectionCase {
    static let all: [RejectionCase] = [
        RejectionCase("unknown case", .unknownCase, field: "/caseId") {
            Acknowledge(
                caseId: caseID("C-2026Z99999"), requestId: requestA1, responderId: County.adv1, envelope: by(at(2)))
        },
        RejectionCase("unknown responder", .unknownResponder, field: "/responderId") {
            AssignManually(
                caseId: caseA, requestId: requestA1, responderId: responder("R-NOBODY"), overrideReason: "Why not.",
                envelope: by(at(2)))
        },
        RejectionCase("unknown request", .unknownRequest, field: "/requestId") {
            Acknowledge(
                caseId: caseA, requestId: requestID("RQ-2026A00017-9"), responderId: County.adv1, envelope: by(at(2)))
        },
        RejectionCase(
            "arrival before dispatch", .arrivalBeforeDispatch, field: "/requestId",
            setup: { h in try await h.run(RequestResponse(caseId: caseA, role: .dcfs, envelope: by(at(2)))) },
            command: { Arrive(caseId: caseA, requestId: requestA2, responderId: County.dcfs, envelope: by(at(3))) }
        ),
        RejectionCase(
            "case is closed", .caseClosed,
            setup: { h in
                try await h.run(County.recovery(caseB, youthRef: youthRefB))
                try await h.run(CloseCase(caseId: caseB, outcome: .duplicate, envelope: by(at(2))))
            },
            command: { RequestResponse(caseId: caseB, role: .advocate, envelope: by(at(3))) }
        ),
        RejectionCase("manual assignment needs a reason", .invalidCommand, field: "/overrideReason") {
            AssignManually(
                caseId: caseA, requestId: requestA1, responderId: County.adv2, overrideReason: "   ",
                envelope: by(at(2)))
        },
        RejectionCase("acknowledged by someone not assigned", .notAssigned, field: "/responderId") {
            Acknowledge(caseId: caseA, requestId: requestA1, responderId: County.adv2, envelope: by(at(2)))
        },
        RejectionCase(
            "acknowledged twice", .alreadyAcknowledged,
            setup: { h in
                try await h.run(
                    Acknowledge(caseId: caseA, requestId: requestA1, responderId: County.adv1, envelope: by(at(2))))
            },
            command: { Acknowledge(caseId: caseA, requestId: requestA1, responderId: County.adv1, envelope: by(at(3))) }
        ),
        RejectionCase("a second open request for the role", .requestAlreadyOpen, field: "/role") {
            RequestResponse(caseId: caseA, role: .advocate, envelope: by(at(2)))
        },
        RejectionCase("the case reported twice", .caseAlreadyReported) { County.recovery() },
        RejectionCase("assign by policy with a responder on it", .requestNotAwaiting, field: "/requestId") {
            AssignByPolicy(caseId: caseA, requestId: requestA1, envelope: by(at(2)))
        },
        RejectionCase("a field breaking its schema", .invalidCommand, field: "/station") {
            ReportRecovery(
                caseId: caseB, youthRef: youthRefB, agency: .lasd, station: "santa clarita", area: .spa2,
                contactAt: at(0), context: .street, envelope: by(at(1)))
        },
        RejectionCase("a rule beyond the schema", .invalidCommand, field: "/endsAt") {
            ScheduleShift(
                shift: ShiftScheduled(
                    shiftId: ShiftID(rawValue: "SH-BAD1")!, responderId: County.adv2, startsAt: at(60), endsAt: at(0),
                    onCall: true),
                envelope: by(at(2)))
        },
        RejectionCase("an actor that is not a staff reference", .invalidCommand, field: "/actor") {
            Acknowledge(
                caseId: caseA, requestId: requestA1, responderId: County.adv1, envelope: by(at(2), "Deputy Smith"))
        },
        RejectionCase(
            "dispatching to a missing youth", .youthMissing,
            setup: { h in try await h.run(ReportMissing(caseId: caseA, envelope: by(at(2)))) },
            command: { RequestResponse(caseId: caseA, role: .dcfs, envelope: by(at(3))) }
        ),
        RejectionCase("clearing before arrival", .lifecycle(.clearBeforeArrival), field: "/requestId") {
            Clear(caseId: caseA, requestId: requestA1, responderId: County.adv1, envelope: by(at(2)))
        },
        RejectionCase("an unknown timer", .unknownTimer, field: "/timerId") {
            HandleTimerFired(caseId: caseA, timerId: timerID("T-2026A00017-NOPE"), envelope: by(at(2), "system:timers"))
        },
        RejectionCase("closing the 72-hour window early", .protocolWindow, field: "/occurredAt") {
            CloseProtocolWindow(caseId: caseA, envelope: by(at(60)))
        },
        RejectionCase("accepting services never offered", .lifecycle(.servicesNotOffered)) {
            AcceptServices(caseId: caseA, services: [.advocacy], envelope: by(at(2)))
        },
        RejectionCase("a policy version the code does not have", .invalidPolicyVersion, field: "/policyVersion") {
            ChangePolicy(
                change: PolicyChanged(
                    policyVersion: 7, ackTimeoutSeconds: 300, maxEscalations: 3,
                    slaThresholds: .init(
                        advocateOnScene: 5_400, agencyOnScene: 5_400, acknowledge: 300, health72: 259_200,
                        protocol72: 259_200, hotlineImmediate: 86_400),
                    rankingWeights: ["continuity": 1, "workload": 1, "rotation": 1]),
                envelope: by(at(2), "user:protocol-admin-1"))
        },
        RejectionCase(
            "assigning a deactivated responder", .responderDeactivated, field: "/responderId",
            setup: { h in
                try await h.run(
                    DeactivateResponder(responderId: County.adv4, reasonCode: .leftOrganization, envelope: by(at(2))))
            },
            command: {
                AssignManually(
                    caseId: caseA, requestId: requestA1, responderId: County.adv4, overrideReason: "Closest.",
                    envelope: by(at(3)))
            }
        ),
        RejectionCase("deactivating a responder on a dispatch", .responderCommitted, field: "/responderId") {
            DeactivateResponder(responderId: County.adv1, reasonCode: .roleChange, envelope: by(at(2)))
        },
        RejectionCase("registering an active responder again", .alreadyExists, field: "/responderId") {
            RegisterResponder(registration: County.registrations[0], envelope: by(at(2)))
        },
        RejectionCase("ending an operation never started", .unknownRecord, field: "/operationId") {
            EndOperation(operationId: OperationID(rawValue: "OP-NONE1")!, envelope: by(at(2)))
        },
        RejectionCase("sealing an open case", .lifecycle(.caseStillOpen), field: "/caseId") {
            SealRecord(caseId: caseA, legalBasis: .wic781, authorisedBy: "user:judge-clerk-2", envelope: by(at(2)))
        },
        RejectionCase("reopening an open case", .lifecycle(.caseNotClosed)) {
            ReopenCase(caseId: caseA, reasonCode: .newInformation, reason: "New facts.", envelope: by(at(2)))
        },
    ]
}

@Suite("Commands: rejections leave the log unchanged")
struct RejectionTests {
    @Test("rejected, with its code and field, and nothing written", arguments: RejectionCase.all)
    func rejected(_ rejection: RejectionCase) async throws {
        let h = try await CommandHarness.make()
        try await h.seedAssigned()
        try await rejection.setup(h)
        let error = try await h.expectRejection(rejection.code, rejection.command())
        if let field = rejection.field { #expect(error?.field == field) }
    }

    @Test("sealing without the personal-data vault is refused")
    func noVault() async throws {
        let h = try await CommandHarness.make()
        try await h.seedCounty()
        try await h.run(County.recovery())
        try await h.run(CloseCase(caseId: caseA, outcome: .servicesEngaged, envelope: by(at(2))))
        let handler = CommandHandler(store: h.store, clock: h.handler.clock)
        let head = try h.head()
        let error = await #expect(throws: CommandRejection.self) {
            try await handler.handle(
                SealRecord(caseId: caseA, legalBasis: .wic781, authorisedBy: "user:judge-clerk-2", envelope: by(at(3))))
        }
        #expect(error?.code == .noVault)
        #expect(try h.head() == head)
    }
}
