import EventStore

/// Brings a dispatch policy version into force with its parameters: `PolicyChanged` in the `policy`
/// stream.
///
/// The version must name a ranking function the code has (``DispatchPolicies``) — decisions record
/// the version and an audit re-runs it — and must increase (the first change may restate the
/// initial version with explicit parameters). Since a change of any parameter is a new version,
/// a parameter change needs a new ranking version in the code as well, for now.
public struct ChangePolicy: Command, JSONCommand {
    public static let name = "change-policy"
    public var envelope: CommandEnvelope
    /// The change as the event records it.
    public var change: PolicyChanged

    /// The command.
    public init(change: PolicyChanged, envelope: CommandEnvelope) {
        self.change = change
        self.envelope = envelope
    }

    init(json f: inout CommandFields) throws(DomainValidationError) {
        self.init(
            change: PolicyChanged(
                policyVersion: try f.integer("policyVersion", minimum: 1, maximum: 65_535),
                ackTimeoutSeconds: try f.integer("ackTimeoutSeconds"), maxEscalations: try f.integer("maxEscalations"),
                slaThresholds: try f.object("slaThresholds", PolicyChanged.SLAThresholds.self),
                rankingWeights: try f.required("rankingWeights") { (v) throws(DomainValidationError) in
                    try SchemaDecoding.map(
                        v, required: ["continuity", "workload", "rotation"],
                        keyPattern: SchemaPatterns.rankingWeightsKey, maxProperties: 20
                    ) { (w) throws(DomainValidationError) in try SchemaDecoding.number(w, minimum: -1000, maximum: 1000)
                    }
                },
                reason: try f.optionalReason("reason")),
            envelope: f.envelope)
    }

    func decide(_ context: CommandContext) throws -> Decision {
        let current = try context.policy()
        guard DispatchPolicies.version(change.policyVersion) != nil else {
            let known = DispatchPolicies.all.map { String($0.version) }.joined(separator: ", ")
            throw CommandRejection(
                .invalidPolicyVersion,
                "the code has no dispatch policy version \(change.policyVersion) (it has \(known))",
                field: "/policyVersion")
        }
        let increases =
            current.streamVersion == 0
            ? change.policyVersion >= current.version : change.policyVersion > current.version
        guard increases else {
            throw CommandRejection(
                .invalidPolicyVersion, "policy versions only increase: version \(current.version) is in force",
                field: "/policyVersion")
        }
        var decision = Decision()
        decision.append(change)
        return decision
    }
}
