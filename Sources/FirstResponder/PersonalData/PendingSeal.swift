public import EventStore
public import Foundation

/// The `RecordSealed` events a sealing has still to append, recorded in the vault **in the same
/// transaction that destroys the keys**: the intent that lets a sealing stopped between the two
/// stores (a crash, a full disk, a concurrent change) be finished, by appending exactly these events
/// — their ids are fixed, so appending them again after they made it is an idempotent retry — and
/// then removing the intent (``CommandHandler/finishInterruptedSeals()``).
///
/// The append keeps its expected versions: if a case changed between the sealing and the append
/// that finishes it (a concurrent reopening), the append is refused rather than put a `RecordSealed`
/// where the case's lifecycle no longer allows one; the intent stays until the command is run again.
///
/// Stored in `sealIntents` under the first event's id: format `1` (1 byte), u32 event count, then per
/// event: 16-byte id, u16-length stream, u16-length type, u16 schema version, i64 occurredAt (µs),
/// u16-length actor, 16-byte correlation id and causation id (zeros: none), u32-length metadata,
/// u8 payload encoding, u32-length payload; then u32 expectation count and per expectation: u16-length
/// stream, u8 kind (0 any, 1 no stream, 2 exists, 3 exactly) and u64 version. Integers
/// little-endian. It holds no personal data.
public struct PendingSeal: Sendable {
    /// The append: the events, each with its id, and the expected version of every stream.
    public var request: AppendRequest

    /// A pending sealing; every event must carry its id.
    public init(request: AppendRequest) { self.request = request }

    /// The events.
    public var events: [NewEvent] { request.events }

    /// Its key in the vault: the first event's id.
    public var id: UUID? { events.first?.id }

    static let format: UInt8 = 1

    func encoded() -> [UInt8] {
        var out: [UInt8] = [Self.format]
        func integer<T: FixedWidthInteger>(_ value: T) { withUnsafeBytes(of: value.littleEndian) { out += $0 } }
        func uuid(_ id: UUID?) {
            out += id.map { withUnsafeBytes(of: $0.uuid) { Array($0) } } ?? [UInt8](repeating: 0, count: 16)
        }
        func text(_ s: String) {
            integer(UInt16(s.utf8.count))
            out += s.utf8
        }
        func blob(_ b: [UInt8]) {
            integer(UInt32(b.count))
            out += b
        }
        integer(UInt32(events.count))
        for e in events {
            uuid(e.id)
            text(e.stream)
            text(e.type)
            integer(e.schemaVersion)
            integer(e.occurredAt.microseconds)
            text(e.actor)
            uuid(e.correlationId)
            uuid(e.causationId)
            blob(e.metadata)
            out.append(e.payloadEncoding.rawValue)
            blob(e.payload)
        }
        integer(UInt32(request.expectations.count))
        for (stream, expected) in request.expectations.sorted(by: { $0.key < $1.key }) {
            text(stream)
            switch expected {
            case .any:
                out.append(0)
                integer(UInt64(0))
            case .noStream:
                out.append(1)
                integer(UInt64(0))
            case .streamExists:
                out.append(2)
                integer(UInt64(0))
            case .exactly(let v):
                out.append(3)
                integer(v)
            }
        }
        return out
    }

    init?(decoding bytes: [UInt8]) {
        var at = 0
        func take(_ n: Int) -> ArraySlice<UInt8>? {
            guard n >= 0, at + n <= bytes.count else { return nil }
            defer { at += n }
            return bytes[at..<(at + n)]
        }
        func integer<T: FixedWidthInteger>(_: T.Type) -> T? {
            take(MemoryLayout<T>.size).map { $0.reversed().reduce(T.zero) { $0 << 8 | T($1) } }
        }
        func uuid() -> UUID?? {
            guard let b = take(16) else { return nil }
            if b.allSatisfy({ $0 == 0 }) { return .some(nil) }
            let a = Array(b)
            return .some(
                UUID(
                    uuid: (
                        a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10], a[11], a[12], a[13], a[14],
                        a[15]
                    )))
        }
        func text() -> String? {
            guard let n = integer(UInt16.self), let b = take(Int(n)) else { return nil }
            return String(validating: b, as: UTF8.self)
        }
        func blob() -> [UInt8]? {
            guard let n = integer(UInt32.self), let b = take(Int(n)) else { return nil }
            return Array(b)
        }
        guard take(1) == [Self.format], let count = integer(UInt32.self) else { return nil }
        var events: [NewEvent] = []
        for _ in 0..<count {
            guard let id = uuid(), let stream = text(), let type = text(), let schemaVersion = integer(UInt16.self),
                let occurredAt = integer(Int64.self), let actor = text(), let correlationId = uuid(),
                let causationId = uuid(), let metadata = blob(), let encodingByte = take(1)?.first,
                let encoding = PayloadEncoding(rawValue: encodingByte), let payload = blob()
            else { return nil }
            events.append(
                NewEvent(
                    id: id, stream: stream, type: type, schemaVersion: schemaVersion,
                    occurredAt: Timestamp(microseconds: occurredAt), actor: actor, correlationId: correlationId,
                    causationId: causationId, metadata: metadata, payload: payload, payloadEncoding: encoding))
        }
        guard let expectationCount = integer(UInt32.self) else { return nil }
        var expectations: [String: ExpectedVersion] = [:]
        for _ in 0..<expectationCount {
            guard let stream = text(), let kind = take(1)?.first, let version = integer(UInt64.self) else { return nil }
            switch kind {
            case 0: expectations[stream] = .any
            case 1: expectations[stream] = .noStream
            case 2: expectations[stream] = .streamExists
            case 3: expectations[stream] = .exactly(version)
            default: return nil
            }
        }
        guard at == bytes.count else { return nil }
        self.request = AppendRequest(events: events, expectations: expectations)
    }
}
