import EventStore

/// An event the log refuses: the rule it breaks, the field it breaks it at and what was wrong.
///
/// The same rules decide whichever door an event comes in by — a command or `vigil import` — so
/// the refusal is the same too: ``rule`` names the rule (`unknown request`, `before its request`),
/// ``pointer`` is the import line's JSON pointer of the offending field (`/data/requestId`,
/// `/occurredAt`; a command reports it without `/data`), and ``message`` says what was found,
/// naming ids and both times where time is the problem, never a free-text value.
public struct RuleViolation: Error, Sendable, Hashable, CustomStringConvertible {
    /// A rule of the protocol's aggregates. ``name`` is short and stable (callers match on it);
    /// ``explanation`` says what the rule requires.
    public struct Rule: Sendable, Hashable, CustomStringConvertible {
        /// The rule in a few words, e.g. `unknown request`.
        public let name: String
        /// What the rule requires.
        public let explanation: String

        init(_ name: String, _ explanation: String) {
            self.name = name
            self.explanation = explanation
        }

        public var description: String { name }
    }

    /// The rule broken.
    public let rule: Rule
    /// The JSON pointer of the offending field, as on an import line (`/data/requestId`).
    public let pointer: String
    /// What was wrong.
    public let message: String

    /// A violation of `rule` at `pointer`.
    public init(_ rule: Rule, at pointer: String, _ message: String) {
        self.rule = rule
        self.pointer = pointer
        self.message = message
    }

    /// A case-lifecycle violation, at the field that names the case.
    init(_ violation: LifecycleViolation) {
        self.init(
            Rule(violation.rule.name, violation.rule.explanation), at: "/data/caseId",
            "\(violation.event) refused (case \(violation.phase)): \(violation.rule.explanation)")
    }

    public var description: String { "\(pointer.isEmpty ? "/" : pointer): \(rule.name): \(message)" }
}

extension RuleViolation.Rule {
    // Identity: what an event names must exist (and be what it says).

    /// The case named was never reported.
    public static let unknownCase = Self("unknown case", "the case must have been reported (RecoveryReported)")
    /// The responder named was never registered.
    public static let unknownResponder = Self("unknown responder", "the responder must be registered")
    /// The case has no request with that id.
    public static let unknownRequest = Self("unknown request", "the request must have been made in this case")
    /// The case has no timer with that id.
    public static let unknownTimer = Self("unknown timer", "the timer must have been scheduled in this stream")
    /// No operation, arrest, session, cohort or shift with that id.
    public static let unknownRecord = Self("unknown record", "the record must exist")
    /// The id is taken.
    public static let alreadyExists = Self("already exists", "an id is recorded once")
    /// The youth reference is not the case's.
    public static let youthMismatch = Self("youth mismatch", "a case event names the case's own youthRef")
    /// The responder is not the one on the request.
    public static let notAssigned = Self(
        "responder not assigned", "only the responder dispatched on (or on scene for) the request may do this")
    /// The request has a responder, was reached or was cancelled.
    public static let requestNotAwaiting = Self(
        "request not awaiting a responder", "recommendations and assignments need a request with nobody on it")
    /// The case already has an open request for the role.
    public static let requestAlreadyOpen = Self(
        "request already open", "a case has at most one open request per role")
    /// The responder acknowledged already.
    public static let alreadyAcknowledged = Self(
        "already acknowledged", "an assignment is acknowledged once")
    /// The role does not match the request's.
    public static let roleMismatch = Self(
        "role mismatch", "the responder's role, and an arrival's role, are the request's role")
    /// The responder left the roster.
    public static let responderDeactivated = Self(
        "responder deactivated", "a deactivated responder takes no shift, status or assignment")
    /// The responder is held by a dispatch.
    public static let responderCommitted = Self(
        "responder committed to a dispatch",
        "a responder assigned, en route or on scene cannot leave or be set otherwise")
    /// The responder's previous status is not what the board holds.
    public static let statusMismatch = Self(
        "status mismatch", "previousStatus must be the responder's status on the board")
    /// The record was ended or voided already.
    public static let recordClosed = Self(
        "record closed", "an ended operation, a voided arrest or a completed cohort takes no further change")
    /// A service named was not offered.
    public static let serviceNotOffered = Self(
        "service not offered", "a service is accepted or declined only after it was offered")
    /// The timer does not match the one scheduled.
    public static let timerMismatch = Self(
        "timer mismatch", "a timer fires with the kind and due time it was scheduled with")
    /// A decision records a position the log had not reached.
    public static let decisionFromTheFuture = Self(
        "decision reads the future", "decidedAtPosition is a position before the decision's own")
    /// The dispatch policy version named is not in the code.
    public static let invalidPolicyVersion = Self(
        "invalid policy version", "a policy's code version names a ranking function the code has")
    /// A policy change that changes nothing.
    public static let policyUnchanged = Self(
        "policy unchanged", "a PolicyChanged changes the code version or a parameter: each is a new revision")
    /// A cohort whose completers outnumber its participants at the end.
    public static let moreCompletersThanParticipants = Self(
        "more completers than participants", "a cohort's completers are among its participants at the end")
    /// A code the county's reference data does not have.
    public static let unknownCode = Self(
        "unknown code",
        "agencies, stations, areas and courses are named by codes registered in the county's reference data")
    /// A retired code.
    public static let retiredCode = Self(
        "retired code", "a retired code may not be named by facts after its retirement")
    /// A station named with another agency or area than its own.
    public static let stationElsewhere = Self(
        "station under another agency or area", "a fact names a station with the agency and area it is registered under"
    )
    /// An agency or area retired while stations under it are in use.
    public static let codeInUse = Self(
        "code in use", "an agency or area is retired only after its stations are")
    /// A checkpoint does not sign this log: a later position than its own, not after the last
    /// checkpoint's, or a chain hash the log does not have there.
    public static let checkpointMismatch = Self(
        "checkpoint mismatch",
        "a checkpoint signs an earlier position of this log, after the last checkpoint's, with its chain hash")
    /// A stored event of the stream cannot be read.
    public static let undecodableEvent = Self(
        "undecodable event", "every stored event of a stream the rules read must decode")

    // Time: facts happen in an order, and not after the log receives them.

    /// occurredAt (or a field time) after the moment the log received it, beyond the clock skew.
    public static let inTheFuture = Self(
        "in the future", "no time of a fact may lie after the moment the log receives it, beyond the allowed clock skew"
    )
    /// A field time after the event's own occurredAt (a contact after its report).
    public static let afterItsReport = Self(
        "after its report", "a fact's field time (contactAt, arrestedAt, lastSeenAt) is at or before its occurredAt")
    /// A case event before the contact with the youth.
    public static let beforeContact = Self(
        "before contact", "nothing in a case happens before the contact with the youth (contactAt)")
    /// A dispatch event before its request.
    public static let beforeItsRequest = Self(
        "before its request",
        "an assignment, notification, acknowledgement, arrival or cancellation follows its request")
    /// A clearing before the arrival.
    public static let beforeArrival = Self("before arrival", "a responder clears the scene after arriving")
    /// A return before the youth went missing.
    public static let returnBeforeMissing = Self(
        "return before missing", "YouthReturned follows the YouthWentMissing it ends")
    /// A correction, void or ending before the fact it changes.
    public static let beforeItsFact = Self(
        "before its fact", "a correction, void, completion or ending follows the fact it changes")
    /// A stop before its start (an operation ending before it began).
    public static let endsBeforeStart = Self("ends before it starts", "an end is at or after its start")
    /// A time that is not within the period it must fall in.
    public static let outsideOperation = Self(
        "outside the operation", "an arrest or recovery in an operation falls between its startedAt and endedAt")
    /// The 72-hour window has not ended.
    public static let windowNotEnded = Self(
        "protocol window", "ProtocolWindowClosed is at or after contact + 72 h, and names the case's contact")
}

extension CatalogEvent {
    /// Decodes an event of `stream` that a fold the rules decide on reads; one the catalog cannot
    /// read is a ``RuleViolation/Rule/undecodableEvent`` at `/stream` naming its position, type and
    /// version (and `consequence`, when given), never skipped.
    init(reading recorded: EventView, of stream: String, _ consequence: String = "") throws(RuleViolation) {
        do {
            self = try CatalogEvent(
                type: recorded.type, schemaVersion: recorded.schemaVersion, payload: recorded.payloadBytes,
                encoding: recorded.payloadEncoding)
        } catch {
            throw RuleViolation(
                .undecodableEvent, at: "/stream",
                "\(stream) holds an event the catalog cannot read at position \(recorded.position) "
                    + "(\(recorded.type) v\(recorded.schemaVersion): \(error))\(consequence)")
        }
    }
}
