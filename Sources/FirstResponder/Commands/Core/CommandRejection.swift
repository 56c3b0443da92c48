/// Why a command was refused. Nothing was written: every check runs before the command's one
/// append, and the append itself is all or nothing.
///
/// The code is what callers match on (`catch CommandRejection.Code.caseClosed`); the message says,
/// for a person, which field or rule; ``field`` is the JSON pointer of the offending command field
/// when there is one (`/overrideReason`).
///
/// Messages name ids (which are pseudonymous) but never repeat a free-text value: a rejected
/// `reason` may hold exactly the personal data the log must not carry.
public struct CommandRejection: Error, Sendable, CustomStringConvertible {
    /// What kind of rule the command broke.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The code's name in a few words, e.g. `arrival before dispatch`.
        public let name: String
        init(_ name: String) { self.name = name }
        public var description: String { name }

        /// The command is malformed: a field is missing, of the wrong type, or breaks the schema of
        /// the event it would write (``CommandRejection/field`` names it).
        public static let invalidCommand = Code("invalid command")
        /// No command of that name.
        public static let unknownCommand = Code("unknown command")
        /// The case was never reported.
        public static let unknownCase = Code(RuleViolation.Rule.unknownCase.name)
        /// The responder was never registered.
        public static let unknownResponder = Code(RuleViolation.Rule.unknownResponder.name)
        /// The case has no request with that id.
        public static let unknownRequest = Code(RuleViolation.Rule.unknownRequest.name)
        /// The case has no timer with that id.
        public static let unknownTimer = Code(RuleViolation.Rule.unknownTimer.name)
        /// No operation, arrest, shift or cohort with that id.
        public static let unknownRecord = Code(RuleViolation.Rule.unknownRecord.name)
        /// The id is taken: the case, responder, operation, arrest, shift, session or cohort exists.
        public static let alreadyExists = Code(RuleViolation.Rule.alreadyExists.name)
        /// The responder named is not the one assigned to the request.
        public static let notAssigned = Code(RuleViolation.Rule.notAssigned.name)
        /// The request already has a responder, or has been reached or cancelled.
        public static let requestNotAwaiting = Code(RuleViolation.Rule.requestNotAwaiting.name)
        /// The case already has an open request for that role.
        public static let requestAlreadyOpen = Code(RuleViolation.Rule.requestAlreadyOpen.name)
        /// The request was already acknowledged.
        public static let alreadyAcknowledged = Code(RuleViolation.Rule.alreadyAcknowledged.name)
        /// The responder is deactivated.
        public static let responderDeactivated = Code(RuleViolation.Rule.responderDeactivated.name)
        /// The responder is committed to a dispatch (assigned, en route or on scene).
        public static let responderCommitted = Code(RuleViolation.Rule.responderCommitted.name)
        /// The record was ended already (operation ended, arrest voided, cohort completed).
        public static let recordClosed = Code(RuleViolation.Rule.recordClosed.name)
        /// A policy version the code does not have, or one that does not increase.
        public static let invalidPolicyVersion = Code(RuleViolation.Rule.invalidPolicyVersion.name)
        /// The request is not in a state the command applies to (e.g. services not offered).
        public static let notApplicable = Code("not applicable")
        /// The 72-hour window has not ended yet, or was already closed.
        public static let protocolWindow = Code(RuleViolation.Rule.windowNotEnded.name)
        /// Sealing needs the personal-data vault, and the handler has none.
        public static let noVault = Code("no personal-data vault")
        /// The personal-data vault refused (``CommandRejection/cause`` holds its error).
        public static let vault = Code("personal-data vault")
        /// Another command changed a stream this one read: nothing was written; read again and retry.
        public static let streamVersionConflict = Code("stream version conflict")
        /// The command id was used before by a different command.
        public static let duplicateCommand = Code("duplicate command")

        // The rules of the log (``RuleViolation/Rule``) that commands meet most, by the names they give them.

        /// An arrest or recovery outside the period of the operation it names.
        public static let outsideOperation = Code(RuleViolation.Rule.outsideOperation.name)
        /// A fact dated after the moment the log received it, beyond the allowed clock skew.
        public static let inTheFuture = Code(RuleViolation.Rule.inTheFuture.name)
        /// A responder or arrival of another role than the request's.
        public static let roleMismatch = Code(RuleViolation.Rule.roleMismatch.name)
        /// A policy change that changes nothing.
        public static let policyUnchanged = Code(RuleViolation.Rule.policyUnchanged.name)
        /// A stream the rules read holds an event the catalog cannot decode.
        public static let undecodableEvent = Code(RuleViolation.Rule.undecodableEvent.name)
        /// The code of a rule of the log.
        public static func rule(_ rule: RuleViolation.Rule) -> Code { Code(rule.name) }

        // The case lifecycle's rules (``LifecycleViolation/Rule``), by the names it gives them.

        /// A case event before `RecoveryReported`.
        public static let caseNotReported = Code(LifecycleViolation.Rule.caseNotReported.name)
        /// A second `RecoveryReported` for a case.
        public static let caseAlreadyReported = Code(LifecycleViolation.Rule.alreadyReported.name)
        /// Anything but reopening or sealing a closed case.
        public static let caseClosed = Code(LifecycleViolation.Rule.caseClosed.name)
        /// Anything on a sealed case.
        public static let recordSealed = Code(LifecycleViolation.Rule.recordSealed.name)
        /// An arrival for a request nobody was assigned to.
        public static let arrivalBeforeDispatch = Code(LifecycleViolation.Rule.arrivalBeforeDispatch.name)
        /// Dispatching to a youth who is missing.
        public static let youthMissing = Code(LifecycleViolation.Rule.youthMissing.name)

        /// The code of a lifecycle rule.
        public static func lifecycle(_ rule: LifecycleViolation.Rule) -> Code { Code(rule.name) }
    }

    /// The kind of rule broken.
    public let code: Code
    /// What was wrong, for a person: the field or rule, and what would be accepted.
    public let message: String
    /// The JSON pointer of the offending command field, when one is at fault (`/responderId`).
    public let field: String?
    /// The underlying error (a ``DomainValidationError``, ``LifecycleViolation``, `EventStoreError`
    /// or ``VaultError``), when there is one.
    public let cause: (any Error & Sendable)?

    /// A rejection.
    public init(_ code: Code, _ message: String, field: String? = nil, cause: (any Error & Sendable)? = nil) {
        self.code = code
        self.message = message
        self.field = field
        self.cause = cause
    }

    public var description: String {
        let prefix = field.map { "\($0.isEmpty ? "/" : $0): " } ?? ""
        return "\(code): \(prefix)\(message)"
    }

    /// A lifecycle violation as a rejection; the code is the rule's name.
    init(_ violation: LifecycleViolation) {
        self.init(.lifecycle(violation.rule), violation.message, cause: violation)
    }
}

extension CommandRejection.Code {
    /// Lets `catch CommandRejection.Code.caseClosed` match a rejection by its code.
    public static func ~= (pattern: Self, error: any Error) -> Bool {
        (error as? CommandRejection)?.code == pattern
    }
}
