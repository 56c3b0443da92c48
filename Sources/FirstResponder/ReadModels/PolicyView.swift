public import EventStore

/// The dispatch policy in force: the fold of the `policy` stream (`PolicyChanged`), or the initial
/// policy while the stream is empty.
///
/// Two things, versioned apart: the **code version** (``version``) names the ranking function in the
/// code (``DispatchPolicies``, kept forever); the **parameter revision** (``revision``) names the
/// parameters — ranking weights, the acknowledgement timeout, the escalation limit and the
/// service-level thresholds — as the `PolicyChanged` that set them left them: it is the version of
/// the `policy` stream, 0 for the initial parameters. A supervisor changes parameters without a new
/// code version; decisions record both (`RecommendationComputed.policyVersion`, `policyRevision`).
public struct PolicyView: Sendable, Equatable {
    /// The ranking code's version in force.
    public var version: Int
    /// Its ranking weights.
    public var weights: RankingWeights
    /// How long an assigned responder has to acknowledge, in seconds.
    public var ackTimeoutSeconds: Int
    /// How many times a request may escalate down the ranked list before it goes to a supervisor.
    public var maxEscalations: Int
    /// Thresholds of the service levels, in seconds.
    public var thresholds: [ServiceLevel: Int]
    /// The version of the `policy` stream folded (0: no `PolicyChanged` yet).
    public var streamVersion: UInt64
    /// The position of the `PolicyChanged` in force (0: the initial policy).
    public var position: UInt64

    /// The stream policy changes live in.
    public static let stream = "policy"

    /// The policy before any `PolicyChanged`: ``DispatchPolicies/initialVersion``, default weights,
    /// a 300-second acknowledgement timeout, three escalations, and the protocol's thresholds
    /// (90 minutes on scene, 72 hours for health and the protocol window, 24 hours for an immediate
    /// hotline referral).
    public static let initial = PolicyView(
        version: DispatchPolicies.initialVersion, weights: RankingWeights(), ackTimeoutSeconds: 300,
        maxEscalations: 3,
        thresholds: [
            .advocateOnScene: 5_400, .agencyOnScene: 5_400, .acknowledge: 300, .health72: 259_200,
            .protocol72: 259_200, .hotlineImmediate: 86_400,
        ], streamVersion: 0, position: 0)

    /// The parameters' revision in force: the `policy` stream's version (0: the initial parameters).
    public var revision: UInt64 { streamVersion }

    /// The threshold of `level`, in seconds.
    public func threshold(_ level: ServiceLevel) -> Int {
        thresholds[level] ?? Self.initial.thresholds[level] ?? 5_400
    }

    /// The ranking function of ``version`` (the initial one if the code has no such version, which
    /// ``ChangePolicy`` never lets into the log).
    public var policy: any DispatchPolicy {
        DispatchPolicies.version(version) ?? DispatchPolicies.version(DispatchPolicies.initialVersion)!
    }

    /// Folds one `PolicyChanged`.
    public mutating func apply(_ change: PolicyChanged, position: UInt64, version streamVersion: UInt64) {
        version = change.policyVersion
        weights = Self.weights(change.rankingWeights)
        ackTimeoutSeconds = change.ackTimeoutSeconds
        maxEscalations = change.maxEscalations
        let t = change.slaThresholds
        thresholds = [
            .advocateOnScene: t.advocateOnScene, .agencyOnScene: t.agencyOnScene, .acknowledge: t.acknowledge,
            .health72: t.health72, .protocol72: t.protocol72, .hotlineImmediate: t.hotlineImmediate,
        ]
        self.streamVersion = streamVersion
        self.position = position
    }

    /// The policy in force after every `PolicyChanged` at or before `position` (the whole stream by
    /// default). An event of the stream that does not decode is an error, never skipped: deciding on
    /// the parameters before it would decide on a policy that is not the one in force.
    /// ``PolicyViewCache`` keeps it current between commands.
    public static func load(from store: EventStore, through position: UInt64 = .max) throws -> PolicyView {
        var view = initial
        try view.catchUp(store, through: position)
        return view
    }

    /// Folds the `policy` stream's events after ``streamVersion`` that lie at or before `position`,
    /// read in place. At an event that is not a readable `PolicyChanged` it throws, and the view is
    /// as it was.
    mutating func catchUp(_ store: EventStore, through position: UInt64) throws {
        var folded = self
        try store.scanStream(Self.stream, from: streamVersion + 1) { recorded in
            // Versions come in position order: the rest lie beyond `position` too.
            guard recorded.position <= position else { return }
            try folded.fold(recorded)
        }
        self = folded
    }

    /// Folds one event of the `policy` stream.
    private mutating func fold(_ recorded: EventView) throws {
        guard case .policyChanged(let change) = try CatalogEvent(reading: recorded, of: "the policy stream") else {
            throw RuleViolation(
                .undecodableEvent, at: "/stream",
                "the policy stream holds a \(recorded.type) at position \(recorded.position), not a PolicyChanged")
        }
        apply(change, position: recorded.position, version: recorded.version)
    }

    /// Ranking weights from `PolicyChanged.rankingWeights`: `continuity`, `workload` and `rotation`,
    /// every other key kept in ``RankingWeights/extra``.
    public static func weights(_ named: [String: Double]) -> RankingWeights {
        let defaults = RankingWeights()
        var extra = named
        let continuity = extra.removeValue(forKey: "continuity") ?? defaults.continuity
        let workload = extra.removeValue(forKey: "workload") ?? defaults.workload
        let rotation = extra.removeValue(forKey: "rotation") ?? defaults.rotation
        return RankingWeights(continuity: continuity, workload: workload, rotation: rotation, extra: extra)
    }
}
