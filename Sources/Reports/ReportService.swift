public import EventStore
import FirstResponder
import Foundation
public import Projections
import Replay

/// Makes Board reports from a log: resolves what the request may read (the head, an earlier
/// position, or what was recorded by an instant), reads the views standing at that position, builds
/// the report and stamps it with the position, the chain hash there, Vigil's version and the
/// command that recomputes it. `vigil report` and the daemon (analyst and auditor roles) both call
/// ``render(_:format:output:)``.
///
/// The figures come from the views (``ReportFacts/init(_:policies:head:)``): the stored views when
/// they stand exactly at the position asked for (the head, once caught up), otherwise the same
/// projections folded in memory through it — a report as known on a past date, or one whose
/// stored views lag — so both ways give the same figures.
///
/// ```swift
/// try engine.projections.catchUp()
/// let service = ReportService(
///     store: engine.store, views: engine.projections, vigilVersion: Engine.version, dataDirectory: "vigil-data")
/// let html = try service.render(request, format: .html)
/// ```
public struct ReportService: Sendable {
    /// The log.
    public let store: EventStore
    /// The stored views, read when they stand at the position a report asks for.
    public let views: ProjectionRunner?
    /// The version stamped on reports.
    public let vigilVersion: String
    /// The data directory as the recompute command should name it.
    public let dataDirectory: String

    /// A service over `store`, reading `views` where they can serve.
    public init(store: EventStore, views: ProjectionRunner? = nil, vigilVersion: String, dataDirectory: String) {
        self.store = store
        self.views = views
        self.vigilVersion = vigilVersion
        self.dataDirectory = dataDirectory
    }

    /// The report for `request`. The stamp's command renders `format` to `output`.
    public func report(_ request: ReportRequest, format: ReportFormat = .json, output: String? = nil) throws -> Report {
        let position = try resolve(request.knowledge)
        let facts = try facts(through: position, within: request.spans)
        let stamp = ReportStamp(
            position: facts.head.position, chainHash: facts.head.hashHex, vigilVersion: vigilVersion,
            lastRecordedAt: facts.lastRecordedAt?.rfc3339,
            command: command(request, position: facts.head.position, format: format, output: output))
        return ReportBuilder.build(request, facts: facts, stamp: stamp)
    }

    /// The report for `request`, rendered in `format`.
    public func render(_ request: ReportRequest, format: ReportFormat, output: String? = nil) throws -> [UInt8] {
        format.render(try report(request, format: format, output: output))
    }

    /// The facts of the views standing at `position`: the stored views when they are exactly there,
    /// otherwise the report's projections folded in memory from the first position (``AsOf``, the
    /// same replay `vigil replay` uses).
    func facts(through position: UInt64, within spans: [Period]? = nil) throws -> ReportFacts {
        let head = try logHead(at: position)
        let policies = try ReportFacts.policies(store, through: position)
        if let views,
            let stored = try views.read({ reader in
                reader.position == position
                    ? try ReportFacts(reader, policies: policies, head: head, within: spans) : nil
            })
        {
            return stored
        }
        let snapshot = try AsOf.views(store, at: .position(position), kinds: ReportFacts.projections)
        return try ReportFacts(snapshot, policies: policies, head: head, within: spans)
    }

    /// The position and the chain hash there (zeros before the first event).
    func logHead(at position: UInt64) throws -> LogHead {
        guard position > 0, let event = try store.event(at: position) else {
            return LogHead(position: 0, hash: [UInt8](repeating: 0, count: 32))
        }
        return LogHead(position: position, hash: event.hash)
    }

    /// The last position the request may read.
    public func resolve(_ knowledge: ReportRequest.Knowledge) throws -> UInt64 {
        let head = try store.head().position
        switch knowledge {
        case .latest:
            return head
        case .position(let p):
            guard p <= head else {
                throw ReportError(
                    .positionBeyondHead, field: "at-position", "the log ends at position \(head); \(p) is not in it yet"
                )
            }
            return p
        case .knownOn(let t):
            return try Moment.recordedAt(t).position(in: store)
        }
    }

    /// `vigil report …` that recomputes the report exactly: pinned to its position.
    func command(_ request: ReportRequest, position: UInt64, format: ReportFormat, output: String?) -> String {
        var words = ["vigil", "report", "--data", shellQuoted(dataDirectory)]
        words += ["--from", request.period.first.description, "--to", request.period.last.description]
        switch request.comparison {
        case nil: break
        case .previous: words += ["--compare-to", "previous"]
        case .period(let p): words += ["--compare-to", p.description]
        }
        if request.calendar != .pacific { words += ["--time-zone", "utc"] }
        words += ["--at-position", String(position), "--format", format.rawValue]
        words += ["--out", shellQuoted(output ?? "report.\(format.rawValue)")]
        return words.joined(separator: " ")
    }
}

/// `s` as one shell word.
func shellQuoted(_ s: String) -> String {
    let plain = s.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_./:=@+,".contains($0)) }
    return plain && !s.isEmpty ? s : "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'"
}

/// A report could not be made or verified; the message names the option or field.
public struct ReportError: Error, Sendable, CustomStringConvertible {
    /// What went wrong.
    public struct Code: Hashable, Sendable {
        let name: String
        /// A request's field is missing or malformed (the message names it).
        public static let badRequest = Code(name: "badRequest")
        /// The requested position is past the log's head.
        public static let positionBeyondHead = Code(name: "positionBeyondHead")
        /// A report file could not be read as a Vigil report.
        public static let badReportFile = Code(name: "badReportFile")
        /// The log at the stamped position is not the one the report was made from.
        public static let chainMismatch = Code(name: "chainMismatch")
    }

    /// The code.
    public let code: Code
    /// The request field it is about, when the message does not name it itself (`at-position`).
    public let field: String?
    /// What a person reads.
    public let message: String

    /// An error.
    public init(_ code: Code, field: String? = nil, _ message: String) {
        self.code = code
        self.field = field
        self.message = message
    }

    /// The message, led by the field as `name` spells it (`--at-position` on the command line,
    /// `at-position` over HTTP).
    public func text(naming name: (String) -> String) -> String {
        field.map { "\(name($0)): \(message)" } ?? message
    }

    public var description: String { text { "--\($0)" } }
}
