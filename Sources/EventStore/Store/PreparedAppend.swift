/// An append checked and pre-encoded on the caller's task, so the writer thread does only what must
/// happen inside the transaction.
struct PreparedAppend: Sendable {
    let request: AppendRequest

    /// Whether this is a restore (every event carries its original envelope).
    let isRestore: Bool

    init(_ request: AppendRequest, restore: Bool = false, projections: [any InlineProjection] = [])
        throws(EventStoreError)
    {
        isRestore = restore
        if let error = request.events.withUnsafeBufferPointer({ Self.firstProblem($0, restore, projections) }) {
            throw error
        }
        for (stream, _) in request.expectations {
            if let problem = Self.streamProblem(stream) {
                throw EventStoreError(.invalidEvent, "expectations: \(problem)")
            }
        }
        self.request = request
    }

    /// The error for the first event at fault, or `nil`. Each event is read in place through the
    /// buffer: an array element read by value is a copy (five retains and as many releases).
    private static func firstProblem(
        _ events: UnsafeBufferPointer<NewEvent>, _ restore: Bool, _ projections: [any InlineProjection]
    ) -> EventStoreError? {
        for index in events.indices where (events[index].restore != nil) != restore {
            return EventStoreError(
                .invalidEvent,
                restore
                    ? "events[\(index)]: a restore needs every event's original position and recordedAt"
                    : "events[\(index)]: an event with an original envelope is written with restore(_:), not append(_:)",
                eventIndex: index)
        }
        if restore, let index = events.firstIndex(where: { $0.id == nil }) {
            return EventStoreError(.invalidEvent, "events[\(index)]: a restored event needs its id", eventIndex: index)
        }
        for index in events.indices {
            if let problem = problem(events[index]) {
                return EventStoreError(.invalidEvent, "events[\(index)].\(problem)", eventIndex: index)
            }
            for projection in projections {
                if let problem = projection.check(events[index]) {
                    return EventStoreError(.invalidEvent, "events[\(index)]: \(problem)", eventIndex: index)
                }
            }
        }
        return nil
    }

    /// What is wrong with `event`, starting with the field's name, or `nil`. The checks read each
    /// string's UTF-8 in place (no copy); the message is only formatted for a bad event.
    private static func problem(_ event: borrowing NewEvent) -> String? {
        if let problem = streamProblem(event.stream) { return "stream: \(problem)" }
        let typeOK = event.type.withUTF8Bytes { type in
            !type.isEmpty && type.count <= NewEvent.maxTypeLength
                && type.allSatisfy { isAlphanumeric($0) || $0 == 46 || $0 == 95 || $0 == 45 }
        }
        guard typeOK else {
            return
                "type: expected 1–\(NewEvent.maxTypeLength) letters, digits, '.', '_' or '-', got \(quoted(event.type))"
        }
        let actorOK = event.actor.withUTF8Bytes { actor in
            !actor.isEmpty && actor.count <= NewEvent.maxActorLength && !actor.contains { $0 < 32 || $0 == 127 }
        }
        guard actorOK else {
            return "actor: expected 1–\(NewEvent.maxActorLength) bytes without control characters"
        }
        guard event.schemaVersion >= 1 else { return "schemaVersion: expected 1 or more, got 0" }
        guard event.payload.count <= NewEvent.maxPayloadSize else {
            return "data: \(event.payload.count) bytes is over the \(NewEvent.maxPayloadSize)-byte limit"
        }
        guard event.metadata.count <= 1 << 16 else {
            return "metadata: \(event.metadata.count) bytes is over the 65536-byte limit"
        }
        return nil
    }

    private static func streamProblem(_ stream: String) -> String? {
        let ok = stream.withUTF8Bytes { utf8 in
            !utf8.isEmpty && utf8.count <= NewEvent.maxStreamLength && !utf8.contains { $0 < 32 || $0 == 127 }
        }
        guard ok else {
            return
                "expected a stream name of 1–\(NewEvent.maxStreamLength) bytes without control characters, got \(quoted(stream))"
        }
        return nil
    }

    private static func isAlphanumeric(_ c: UInt8) -> Bool {
        (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122)
    }

    private static func quoted(_ s: String) -> String {
        s.count > 60 ? "\"\(s.prefix(60))…\"" : "\"\(s)\""
    }
}
