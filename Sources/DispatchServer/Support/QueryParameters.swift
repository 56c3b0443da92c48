import EventStore
import Foundation
import Hummingbird

/// Reads a request's query parameters strictly: a value that is not what the parameter takes is a
/// 400 problem naming the parameter and what it expects, never a silent default.
struct QueryParameters {
    let request: Request

    init(_ request: Request) {
        self.request = request
    }

    /// The text of `name`, if given and not empty.
    func string(_ name: String) -> String? {
        guard let value = request.uri.queryParameters.get(name), !value.isEmpty else { return nil }
        return value
    }

    /// `true` or `false` (absent: `false`).
    func flag(_ name: String) throws -> Bool {
        guard let text = string(name) else { return false }
        switch text {
        case "true": return true
        case "false": return false
        default: throw Self.invalid(name, "true or false", text)
        }
    }

    /// An RFC 3339 time such as `2026-03-14T02:00:00Z`.
    func instant(_ name: String) throws -> Timestamp? {
        guard let text = string(name) else { return nil }
        guard let instant = Timestamp(rfc3339: text) else {
            throw Self.invalid(name, "an RFC 3339 time such as 2026-03-14T02:00:00Z", text)
        }
        return instant
    }

    /// A log position (a whole number ≥ 0).
    func position(_ name: String) throws -> UInt64? {
        try Self.position(string(name), name: name)
    }

    /// A page size, 1 to 1000 (default 100).
    func limit(_ name: String = "limit") throws -> Int {
        guard let text = string(name) else { return 100 }
        guard let value = Int(text), (1...1_000).contains(value) else { throw Self.invalid(name, "1 to 1000", text) }
        return value
    }

    /// `text` as a log position, for a parameter or header called `name`.
    static func position(_ text: String?, name: String) throws -> UInt64? {
        guard let text, !text.isEmpty else { return nil }
        guard let value = UInt64(text.trimmingCharacters(in: .whitespaces)) else {
            throw invalid(name, "a log position (a whole number ≥ 0)", text)
        }
        return value
    }

    /// The 400 problem for a parameter whose value is not what it takes.
    static func invalid(_ name: String, _ expected: String, _ got: String) -> Problem {
        Problem(
            .badRequest, kind: "invalid-parameter", title: "invalid parameter",
            detail: "\(name) must be \(expected), got \(got.prefix(40))")
    }
}
