public import EventStore

/// One thing that happens in the simulated county, at a virtual time. Steps that concern "the
/// responder assigned to a role" are resolved when they run, from the case as it stands then: the
/// simulator decides *how* people behave up front (from its seed), the dispatch policy decides *who*.
public struct SimulatedStep: Sendable, Equatable {
    /// When it happens.
    public var at: Timestamp
    /// Ties at the same instant run in this order.
    public var sequence: Int
    /// What happens.
    public var action: Action

    /// What can happen.
    public enum Action: Sendable, Equatable {
        case registerResponder(County.Responder)
        case scheduleShift(shiftId: String, responderId: String, startsAt: Timestamp, endsAt: Timestamp, onCall: Bool)
        case recordTimeOff(timeOffId: String, responderId: String, startsAt: Timestamp, endsAt: Timestamp)
        case reportRecovery(SimulatedCase)
        case createHotlineReferral(caseId: String, referralNumber: String, category: String)
        case requestResponse(caseId: String, role: String)
        case assignByPolicy(caseId: String, role: String)
        /// The responder currently assigned to `role` acknowledges, declines, or lets the
        /// acknowledgement timer run out (nothing is recorded; the timer fires and escalates).
        case reply(caseId: String, role: String, reply: Reply)
        case enRoute(caseId: String, role: String)
        case arrive(caseId: String, role: String)
        case clear(caseId: String, role: String)
        case offerServices(caseId: String, services: [String])
        case answerServices(caseId: String, accepted: Bool)
        case medicalEvaluation(caseId: String, kind: String, completed: Bool, age: Int)
        case placement(caseId: String, kind: String)
        case mdtMeeting(caseId: String)
        case wentMissing(caseId: String)
        case returned(caseId: String)
        case closeProtocolWindow(caseId: String)
        case closeCase(caseId: String, outcome: String)
        case startOperation(operationId: String, name: String, station: County.Station, focus: String)
        case endOperation(operationId: String)
        case recordArrest(
            arrestId: String, role: String, station: County.Station, operationId: String?, charges: [String])
        case holdTraining(sessionId: String, course: Int, attendees: Int, area: String)
        case startCohort(cohortId: String, participants: Int)
        case completeCohort(cohortId: String, participants: Int, completers: Int)
    }

    /// How an assigned responder answers a notification.
    public enum Reply: Sendable, Equatable {
        case acknowledge
        case decline
        case noAnswer
    }
}

/// A recovery as the simulator invents it.
public struct SimulatedCase: Sendable, Equatable {
    /// `C-…`.
    public var caseId: String
    /// The youth's pseudonymous reference (repeat recoveries reuse it).
    public var youthRef: String
    /// Whether this youth was recovered before.
    public var isRepeat: Bool
    /// Where.
    public var station: County.Station
    /// When police made contact.
    public var contactAt: Timestamp
    /// street, operation or online.
    public var context: String
    /// The operation, when recovered in one.
    public var operationId: String?
    /// Age at contact.
    public var age: Int
    /// The youth's language.
    public var language: String
    /// none, dcfs or probation.
    public var onSupervision: String
    /// On AWOL status (the advocacy agency does not serve AWOL youth).
    public var awol: Bool
}
