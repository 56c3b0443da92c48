public import Foundation
import Synchronization

/// Event ids are UUIDs. Clients may choose their own (any version); when they send none the store
/// makes a **UUID version 7** (RFC 9562): 48 bits of Unix milliseconds, then a counter that keeps
/// ids strictly increasing within the process, then random bits. Increasing ids append at the end
/// of the `eventIds` index instead of landing on a random page, which is what keeps idempotency
/// cheap (see docs/FORMAT.md).
public enum EventID {
    /// The 16 bytes of a UUID, in RFC 9562 network order.
    @inline(__always)
    public static func bytes(_ id: UUID) -> [UInt8] {
        withUnsafeBytes(of: id.uuid) { Array($0) }
    }

    /// A UUID from 16 bytes.
    @inline(__always)
    public static func uuid(_ b: UnsafeRawBufferPointer) -> UUID {
        var raw: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &raw) { $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: b.prefix(16))) }
        return UUID(uuid: raw)
    }

    /// Whether the id is all zeros (the record format's "none").
    public static func isNil(_ id: UUID) -> Bool {
        withUnsafeBytes(of: id.uuid) { $0.allSatisfy { $0 == 0 } }
    }
}

/// Makes UUIDv7 ids that strictly increase within the process, even when the clock stalls or
/// steps back: the 12-bit `rand_a` field and the top of `rand_b` act as a counter (RFC 9562 §6.2,
/// method 3 style), and a clock that goes backwards is ignored until it catches up.
public final class UUIDv7Generator: Sendable {
    private struct State {
        var lastMillis: UInt64 = 0
        var counter: UInt64 = 0
        // Seeded once from the system's entropy: on Linux every SystemRandomNumberGenerator call is a
        // system call (it showed up as a third of append time). Event ids need uniqueness, not secrecy.
        var rng: SplitMix64 = {
            var system = SystemRandomNumberGenerator()
            return SplitMix64(seed: system.next())
        }()
    }

    private let state: Mutex<State>

    /// A generator whose random bits come from the system's entropy.
    public init() { state = Mutex(State()) }

    /// A generator whose random bits come from `seed`: with a virtual clock, the same appends get
    /// the same ids (simulations and replays that must be byte-for-byte repeatable).
    public init(seed: UInt64) {
        var s = State()
        s.rng = SplitMix64(seed: seed)
        state = Mutex(s)
    }

    /// The Unix milliseconds in a version-7 UUID's first 48 bits; nil for any other version.
    public static func unixMillis(ofV7 id: UUID) -> UInt64? {
        withUnsafeBytes(of: id.uuid) { b -> UInt64? in
            guard b[6] >> 4 == 7, b[8] >> 6 == 0b10 else { return nil }
            return (0..<6).reduce(UInt64(0)) { ($0 << 8) | UInt64(b[$1]) }
        }
    }

    /// The next id, for the given wall-clock milliseconds since the Unix epoch.
    public func next(unixMillis now: UInt64) -> UUID {
        let (millis, counter, random) = state.withLock { s -> (UInt64, UInt64, UInt64) in
            if now > s.lastMillis {
                s.lastMillis = now
                s.counter = s.rng.next() & 0x3FF  // leave headroom before overflow
            } else {
                s.counter += 1
                if s.counter >= 1 << 42 {  // counter exhausted within one millisecond: borrow the next
                    s.lastMillis += 1
                    s.counter = 0
                }
            }
            return (s.lastMillis, s.counter, s.rng.next())
        }
        // counter (42 bits): top 12 bits in rand_a, next 30 bits at the top of rand_b.
        let randA = UInt16((counter >> 30) & 0xFFF)
        let randB = ((counter & 0x3FFF_FFFF) << 32) | (random & 0xFFFF_FFFF)
        // Built in place, big-endian: 48 bits of milliseconds, version 7 and rand_a, variant and rand_b.
        var raw: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &raw) { b in
            b.storeBytes(of: ((millis << 16) | 0x7000 | UInt64(randA)).bigEndian, as: UInt64.self)
            b.storeBytes(
                of: ((randB & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000).bigEndian, toByteOffset: 8,
                as: UInt64.self)
        }
        return UUID(uuid: raw)
    }
}
