/// A token could not be made, found or revoked; the message says which and what to do.
public struct TokenError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure.
    public enum Code: Sendable, Equatable {
        /// A name, role or id given was not acceptable.
        case invalidInput
        /// No token with that id.
        case notFound
        /// The token file could not be read or written.
        case storage
    }

    /// The kind of failure.
    public let code: Code
    /// What went wrong, for a person.
    public let message: String

    init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
