import EventStore
import FirstResponder
import Foundation

/// A command's `If-Match` condition: entity tags of the form `"<stream>:<version>"`, the `ETag`
/// that reads and commands return. The command runs only if every stream named is still at a
/// version named for it (RFC 9110's "any of the tags", per stream); the check rides on the
/// command's own append, so it holds at the instant of the write, not only at the read.
struct IfMatch: Equatable {
    /// The versions accepted, by stream.
    var accepted: [String: Set<UInt64>]

    /// The entity tag of `stream` at `version`.
    static func tag(stream: String, version: UInt64) -> String { "\"\(stream):\(version)\"" }

    /// The condition of an `If-Match` header, or `nil` without one.
    static func parse(_ header: String?) throws -> IfMatch? {
        guard let header else { return nil }
        var accepted: [String: Set<UInt64>] = [:]
        for raw in header.split(separator: ",") {
            let tag = raw.trimmingCharacters(in: .whitespaces)
            guard tag.hasPrefix("\""), tag.hasSuffix("\""), tag.count > 2,
                let colon = tag.lastIndex(of: ":"),
                let version = UInt64(tag[tag.index(after: colon)..<tag.index(before: tag.endIndex)])
            else {
                throw Problem(
                    .badRequest, kind: "invalid-if-match", title: "invalid If-Match",
                    detail:
                        "If-Match takes the ETag a read or a command returned, such as \"case-C-2026A00017:12\"; got \(tag.prefix(120))"
                )
            }
            let stream = String(tag[tag.index(after: tag.startIndex)..<colon])
            accepted[stream, default: []].insert(version)
        }
        return IfMatch(accepted: accepted)
    }

    /// Fails with 412 unless each stream named is at an accepted version. A stream the command
    /// reads is checked at the version its append will expect (so the check is atomic with the
    /// write); another one at its current version.
    func check(_ prepared: PreparedCommand, store: EventStore) throws {
        var stale: [(String, UInt64)] = []
        for (stream, versions) in accepted.sorted(by: { $0.key < $1.key }) {
            let current: UInt64
            switch prepared.expectations[stream] {
            case .exactly(let v)?: current = v
            case .noStream?: current = 0
            default: current = try store.streamHead(stream)?.version ?? 0
            }
            if !versions.contains(current) { stale.append((stream, current)) }
        }
        guard !stale.isEmpty else { return }
        let tags = stale.map { Self.tag(stream: $0.0, version: $0.1) }
        throw Problem(
            .preconditionFailed, kind: "precondition-failed", title: "precondition failed",
            detail:
                "changed since you read it: \(stale.map { "\($0.0) is at version \($0.1)" }.joined(separator: ", ")); nothing was written. Read it again, decide again, and retry with If-Match: \(tags.joined(separator: ", "))",
            extensions: [("currentETags", .strings(tags))],
            headers: stale.count == 1 ? [.eTag: tags[0]] : [:])
    }
}
