import Crypto
public import EventStore
public import Foundation

/// Ids derived from a name: the same name always gives the same id, so an event the domain writes
/// on its own (a timer firing, a policy decision) or a command's event under its `commandId` has the
/// same id on every replay and every retry, and writing it twice is an idempotent retry.
///
/// Two forms. ``make(_:)`` is a name-based UUID (RFC 9562 version 5: SHA-1 in the Vigil namespace),
/// random in order. ``make(_:unixMillis:)`` is **time-ordered** (RFC 9562 version 8, the custom
/// form): 48 bits of Unix milliseconds first, like a UUIDv7, then the name's SHA-1 bits. The store's
/// `eventIds` index is keyed by an id's bytes, so ids that follow the log's time append at the edge
/// of that index as the store's own UUIDv7s do, instead of each landing on a page of its own: fewer
/// pages written per commit (`vigil bench load` measures it as `daemon_written_kib_per_command`).
/// The time must be part of what is being named (a timer's due time, the time bits of a command's
/// UUIDv7 key), never the clock at the moment of writing, or a retry would get another id.
public enum DeterministicID {
    /// The Vigil namespace UUID.
    public static let namespace = UUID(text: "6f1c0d9e-5a4b-4c3d-9e8f-7a6b5c4d3e2f")!

    /// The version-5 UUID of `name` in the Vigil namespace.
    public static func make(_ name: String) -> UUID {
        nameBased(sha1(name))
    }

    /// The time-ordered id of `name` at `unixMillis` (clamped to 0…2⁴⁸−1): its first six bytes are
    /// the milliseconds, big-endian; version 8; the rest SHA-1 of the name in the Vigil namespace.
    public static func make(_ name: String, unixMillis: Int64) -> UUID {
        timeOrdered(sha1(name), unixMillis: unixMillis)
    }

    /// The time-ordered id of `name` at `time`'s millisecond.
    public static func make(_ name: String, at time: Timestamp) -> UUID {
        make(name, unixMillis: time.microseconds / 1_000)
    }

    /// The id of the `index`th event of the command handled under `commandId`. A UUIDv7 key (as
    /// Vigil's own clients make them) gives time-ordered ids at the key's milliseconds; any other key
    /// gives the version-5 ids every key got before. `legacy` asks for the version-5 form whatever the key.
    public static func commandEvent(_ commandId: UUID, _ index: Int, legacy: Bool = false) -> UUID {
        let digest = sha1(commandEventName(commandId, index))
        guard !legacy, let millis = UUIDv7Generator.unixMillis(ofV7: commandId) else { return nameBased(digest) }
        return timeOrdered(digest, unixMillis: Int64(millis))
    }

    /// `command <commandId> <index>` in UTF-8, the id as `UUID`'s description writes it (upper-case
    /// hex, 8-4-4-4-12), written byte by byte: every event of every command names one, and string
    /// interpolation of a `UUID` went through Foundation's formatting.
    static func commandEventName(_ commandId: UUID, _ index: Int) -> [UInt8] {
        let hex: StaticString = "0123456789ABCDEF"
        var name: [UInt8] = []
        name.reserveCapacity(8 + 36 + 1 + 20)
        name.append(contentsOf: "command ".utf8)
        withUnsafeBytes(of: commandId.uuid) { bytes in
            hex.withUTF8Buffer { digits in
                for (i, byte) in bytes.enumerated() {
                    if i == 4 || i == 6 || i == 8 || i == 10 { name.append(UInt8(ascii: "-")) }
                    name.append(digits[Int(byte >> 4)])
                    name.append(digits[Int(byte & 0x0F)])
                }
            }
        }
        name.append(UInt8(ascii: " "))
        name.append(contentsOf: String(index).utf8)
        return name
    }

    /// The forms (the `legacy` argument of ``commandEvent(_:_:legacy:)``) the events of the command
    /// under `commandId` may be stored in, the current first: a log written before command ids were
    /// time-ordered holds a UUIDv7 key's events under version-5 ids, and a retry must still find them.
    public static func commandEventForms(_ commandId: UUID) -> [Bool] {
        UUIDv7Generator.unixMillis(ofV7: commandId) == nil ? [false] : [false, true]
    }

    /// The version-5 form of a name's digest.
    private static func nameBased(_ digest: Insecure.SHA1Digest) -> UUID {
        uuid(digest, version: 0x50, millis: nil)
    }

    /// The time-ordered form of a name's digest at `unixMillis` (clamped to 0…2⁴⁸−1).
    private static func timeOrdered(_ digest: Insecure.SHA1Digest, unixMillis: Int64) -> UUID {
        uuid(digest, version: 0x80, millis: UInt64(min(max(unixMillis, 0), (1 << 48) - 1)))
    }

    private static func sha1(_ name: String) -> Insecure.SHA1Digest {
        var name = name
        return name.withUTF8 { sha1(UnsafeRawBufferPointer($0)) }
    }

    private static func sha1(_ name: [UInt8]) -> Insecure.SHA1Digest {
        name.withUnsafeBytes { sha1($0) }
    }

    private static func sha1(_ name: UnsafeRawBufferPointer) -> Insecure.SHA1Digest {
        var hasher = Insecure.SHA1()
        withUnsafeBytes(of: namespace.uuid) { hasher.update(bufferPointer: $0) }
        hasher.update(bufferPointer: name)
        return hasher.finalize()
    }

    private static func uuid(_ digest: Insecure.SHA1Digest, version: UInt8, millis: UInt64?) -> UUID {
        var u: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &u) { out in
            digest.withUnsafeBytes { out.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0.prefix(16))) }
            if let millis {
                for i in 0..<6 { out[i] = UInt8(truncatingIfNeeded: millis >> (8 * (5 - i))) }
            }
            out[6] = (out[6] & 0x0F) | version
            out[8] = (out[8] & 0x3F) | 0x80
        }
        return UUID(uuid: u)
    }
}
