/// An append checked and pre-encoded on the caller's task, so the writer thread does only what must
/// happen inside the transaction.
struct PreparedAppend: Sendable {
    let request: AppendRequest
    let strings: [RecordLayout.EncodedStrings]

    /// Whether this is a restore (every event carries its original envelope).
    let isRestore: Bool

    init(_ request: AppendRequest, restore: Bool = false, projections: [any InlineProjection] = [])
        throws(EventStoreError)
    {
        for (index, event) in request.events.enumerated() where (event.restore != nil) != restore {
            throw EventStoreError(
                .invalidEvent,
                restore
                    ? "events[\(index)]: a restore needs every event's original position and recordedAt"
                    : "events[\(index)]: an event with an original envelope is written with restore(_:), not append(_:)",
                eventIndex: index)
        }
        if restore, let index = request.events.firstIndex(where: { $0.id == nil }) {
            throw EventStoreError(.invalidEvent, "events[\(index)]: a restored event needs its id", eventIndex: index)
        }
        isRestore = restore
        var strings: [RecordLayout.EncodedStrings] = []
        strings.reserveCapacity(request.events.count)
        for (index, event) in request.events.enumerated() {
            do {
                strings.append(try Self.check(event, index: index))
            } catch {
                throw EventStoreError(error.code, error.message, eventIndex: index)
            }
            for projection in projections {
                if let problem = projection.check(event) {
                    throw EventStoreError(.invalidEvent, "events[\(index)]: \(problem)", eventIndex: index)
                }
            }
        }
        for (stream, _) in request.expectations {
            try Self.checkStream(Array(stream.utf8), stream, field: "expectations")
        }
        self.request = request
        self.strings = strings
    }

    private static func check(_ event: NewEvent, index: Int) throws(EventStoreError) -> RecordLayout.EncodedStrings {
        let field = "events[\(index)]"
        let stream = Array(event.stream.utf8)
        try checkStream(stream, event.stream, field: "\(field).stream")
        let type = Array(event.type.utf8)
        guard !type.isEmpty, type.count <= NewEvent.maxTypeLength,
            type.allSatisfy({ isAlphanumeric($0) || $0 == 46 || $0 == 95 || $0 == 45 })
        else {
            throw invalid(
                "\(field).type: expected 1–\(NewEvent.maxTypeLength) letters, digits, '.', '_' or '-', got \(quoted(event.type))"
            )
        }
        let actor = Array(event.actor.utf8)
        guard !actor.isEmpty, actor.count <= NewEvent.maxActorLength, !actor.contains(where: { $0 < 32 || $0 == 127 })
        else {
            throw invalid("\(field).actor: expected 1–\(NewEvent.maxActorLength) bytes without control characters")
        }
        guard event.schemaVersion >= 1 else { throw invalid("\(field).schemaVersion: expected 1 or more, got 0") }
        guard event.payload.count <= NewEvent.maxPayloadSize else {
            throw invalid(
                "\(field).data: \(event.payload.count) bytes is over the \(NewEvent.maxPayloadSize)-byte limit")
        }
        guard event.metadata.count <= 1 << 16 else {
            throw invalid("\(field).metadata: \(event.metadata.count) bytes is over the 65536-byte limit")
        }
        return RecordLayout.EncodedStrings(stream: stream, type: type, actor: actor)
    }

    private static func checkStream(_ utf8: [UInt8], _ stream: String, field: String) throws(EventStoreError) {
        guard !utf8.isEmpty, utf8.count <= NewEvent.maxStreamLength, !utf8.contains(where: { $0 < 32 || $0 == 127 })
        else {
            throw invalid(
                "\(field): expected a stream name of 1–\(NewEvent.maxStreamLength) bytes without control characters, got \(quoted(stream))"
            )
        }
    }

    private static func isAlphanumeric(_ c: UInt8) -> Bool {
        (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122)
    }

    private static func quoted(_ s: String) -> String {
        s.count > 60 ? "\"\(s.prefix(60))…\"" : "\"\(s)\""
    }

    private static func invalid(_ message: String) -> EventStoreError {
        EventStoreError(.invalidEvent, message)
    }
}
