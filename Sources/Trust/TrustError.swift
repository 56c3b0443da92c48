/// An error of the trust and availability tools — keys, checkpoints, backups and restores: a code
/// to match on, a message for a person that names the file, field or position concerned and what
/// to do, and the underlying cause.
public struct TrustError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }
        public var description: String { name }

        /// A key file is missing, unreadable, too open, or does not hold a key of the expected kind.
        public static let keyFile = Code("key file")
        /// A checkpoint could not be made (nothing to sign, the store refused the append).
        public static let checkpoint = Code("checkpoint")
        /// A backup's manifest is missing, malformed, or does not match the backup's files.
        public static let manifest = Code("manifest")
        /// A restore was refused or did not check out; the target was left as it was.
        public static let restore = Code("restore")
        /// A retention policy or a backup set could not be used.
        public static let retention = Code("retention")
        /// Reading or writing a file failed.
        public static let io = Code("io")
        /// The leader a follower reads cannot be read as expected (refused token, not an event page).
        public static let leader = Code("leader")
        /// The leader's history is not the one the replica holds.
        public static let diverged = Code("diverged")
    }

    /// The kind of failure.
    public let code: Code
    /// What went wrong, for a person.
    public let message: String
    /// The underlying error, if any.
    public let cause: (any Error & Sendable)?

    /// An error.
    public init(_ code: Code, _ message: String, cause: (any Error & Sendable)? = nil) {
        self.code = code
        self.message = message
        self.cause = cause
    }

    public var description: String { message }
}

extension TrustError.Code {
    /// Lets `catch TrustError.Code.keyFile` match an error by its code.
    public static func ~= (pattern: Self, error: any Error) -> Bool {
        (error as? TrustError)?.code == pattern
    }
}
