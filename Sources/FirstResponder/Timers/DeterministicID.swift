import Crypto
public import Foundation

/// Name-based UUIDs (RFC 9562 version 5, SHA-1 in the Vigil namespace): the same name always gives
/// the same id, so an event the domain writes on its own (a timer firing, a policy decision) has
/// the same id on every replay, and writing it twice is an idempotent retry.
public enum DeterministicID {
    /// The Vigil namespace UUID.
    public static let namespace = UUID(uuidString: "6f1c0d9e-5a4b-4c3d-9e8f-7a6b5c4d3e2f")!

    /// The version-5 UUID of `name` in the Vigil namespace.
    public static func make(_ name: String) -> UUID {
        var hasher = Insecure.SHA1()
        withUnsafeBytes(of: namespace.uuid) { hasher.update(bufferPointer: $0) }
        hasher.update(data: Array(name.utf8))
        var bytes = Array(hasher.finalize().prefix(16))
        bytes[6] = (bytes[6] & 0x0F) | 0x50
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        return bytes.withUnsafeBytes { raw in
            var u: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
            withUnsafeMutableBytes(of: &u) { $0.copyMemory(from: raw) }
            return UUID(uuid: u)
        }
    }
}
