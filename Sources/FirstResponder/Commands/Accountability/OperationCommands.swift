import EventStore

/// The accountability commands, for ``CommandJSON``.
enum AccountabilityCommands {
    static let types: [any JSONCommand.Type] = [
        StartOperation.self, EndOperation.self, RecordArrest.self, CorrectArrest.self, VoidArrest.self,
    ]
}

enum OperationCommands {
    /// The stream of an operation.
    static func stream(_ id: OperationID) -> String { "operation-\(id.rawValue)" }
}

/// A named law-enforcement operation began: `OperationStarted` (a new operation id).
public struct StartOperation: Command, JSONCommand {
    public static let name = "start-operation"
    public var envelope: CommandEnvelope
    /// The operation's id.
    public var operationId: OperationID
    /// Its name.
    public var operationName: String
    /// The agency leading it.
    public var agency: Agency
    /// The department's name, with `OTHER` only.
    public var agencyName: String?
    /// The Service Planning Area.
    public var area: Area
    /// The station, if one.
    public var station: String?
    /// What it targets.
    public var focus: OperationStarted.Focus?

    /// The command.
    public init(
        operationId: OperationID, operationName: String, agency: Agency, agencyName: String? = nil, area: Area,
        station: String? = nil, focus: OperationStarted.Focus? = nil, envelope: CommandEnvelope
    ) {
        self.operationId = operationId
        self.operationName = operationName
        self.agency = agency
        self.agencyName = agencyName
        self.area = area
        self.station = station
        self.focus = focus
        self.envelope = envelope
    }

    init(json f: inout CommandFields) throws(DomainValidationError) {
        self.init(
            operationId: try f.id("operationId", OperationID.self), operationName: try f.string("name"),
            agency: try f.value("agency", Agency.self), agencyName: try f.optionalString("agencyName"),
            area: try f.value("area", Area.self), station: try f.optionalString("station"),
            focus: try f.optionalValue("focus", OperationStarted.Focus.self), envelope: f.envelope)
    }

    func decide(_ context: CommandContext) throws -> Decision {
        try Records.requireNew(OperationCommands.stream(operationId), "operation", field: "/operationId", context)
        var decision = Decision()
        decision.append(
            OperationStarted(
                operationId: operationId, name: operationName, agency: agency, agencyName: agencyName, area: area,
                station: station, focus: focus))
        return decision
    }
}

/// The operation ended: `OperationEnded`. It must have started and not ended.
public struct EndOperation: Command, JSONCommand {
    public static let name = "end-operation"
    public var envelope: CommandEnvelope
    /// The operation.
    public var operationId: OperationID

    /// The command.
    public init(operationId: OperationID, envelope: CommandEnvelope) {
        self.operationId = operationId
        self.envelope = envelope
    }

    init(json f: inout CommandFields) throws(DomainValidationError) {
        self.init(operationId: try f.id("operationId", OperationID.self), envelope: f.envelope)
    }

    func decide(_ context: CommandContext) throws -> Decision {
        let events = try Records.events(
            OperationCommands.stream(operationId), "operation", field: "/operationId", context)
        guard !events.contains(where: { $0 is OperationEnded }) else {
            throw CommandRejection(.recordClosed, "operation \(operationId) has ended already", field: "/operationId")
        }
        var decision = Decision()
        decision.append(OperationEnded(operationId: operationId))
        return decision
    }
}
