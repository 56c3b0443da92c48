public import EventStore
import FirstResponder
import Foundation

/// `vigil report verify FILE.json`: recomputes a report from the log at its stamped position and
/// confirms every figure, or lists each difference.
public struct ReportVerifier: Sendable {
    /// One figure that does not match.
    public struct Difference: Sendable, Hashable, CustomStringConvertible {
        /// The figure's key.
        public var key: String
        /// What the file shows (nil: the file lacks it).
        public var inFile: String?
        /// What the log gives (nil: the recomputed report lacks it).
        public var recomputed: String?

        public var description: String {
            "\(key): the file shows \(inFile.map { "\"\($0)\"" } ?? "nothing"), the log gives "
                + (recomputed.map { "\"\($0)\"" } ?? "nothing")
        }
    }

    /// What verification found.
    public struct Outcome: Sendable {
        /// The stamped position.
        public var position: UInt64
        /// The chain hash there, as stamped (and found).
        public var chainHash: String
        /// Figures compared.
        public var figures: Int
        /// Differences; empty when every figure was confirmed.
        public var differences: [Difference]

        /// Whether every figure was confirmed.
        public var isConfirmed: Bool { differences.isEmpty }
    }

    /// The service that recomputes.
    public let service: ReportService

    /// A verifier recomputing through `service`.
    public init(service: ReportService) { self.service = service }

    /// Verifies the report JSON in `bytes`. Throws ``ReportError`` when the file is not a Vigil
    /// report, or the log at the stamped position has another chain hash (another log, or a changed
    /// one: `vigil verify` says which).
    public func verify(_ bytes: [UInt8]) throws -> Outcome {
        let file = try ReportFile(bytes)
        guard file.position <= (try service.store.head().position) else {
            throw ReportError(
                .positionBeyondHead,
                "/stamp/position: the report was made at position \(file.position), past this log's head")
        }
        var request = file.request
        request.knowledge = .position(file.position)
        let report = try service.report(request)
        guard report.stamp.chainHash == file.chainHash else {
            throw ReportError(
                .chainMismatch,
                "/stamp/chainHash: the log's chain hash at position \(file.position) is \(report.stamp.chainHash), "
                    + "the report says \(file.chainHash): this is not the log the report was made from")
        }
        var differences: [Difference] = []
        var recomputed: [String: String] = [:]
        for cell in report.figures { recomputed[cell.key] = cell.display }
        for (key, shown) in file.figures where recomputed[key] != shown {
            differences.append(Difference(key: key, inFile: shown, recomputed: recomputed[key]))
        }
        for (key, shown) in recomputed where file.figures[key] == nil {
            differences.append(Difference(key: key, inFile: nil, recomputed: shown))
        }
        return Outcome(
            position: file.position, chainHash: file.chainHash, figures: file.figures.count,
            differences: differences.sorted { $0.key < $1.key })
    }
}

/// A report JSON file as verification reads it.
struct ReportFile {
    var request: ReportRequest
    var position: UInt64
    var chainHash: String
    var figures: [String: String]

    init(_ bytes: [UInt8]) throws {
        func bad(_ pointer: String, _ expected: String) -> ReportError {
            ReportError(.badReportFile, "\(pointer): expected \(expected)")
        }
        guard let root = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] else {
            throw bad("/", "a JSON object (a report written by vigil report --format json)")
        }
        guard root["format"] as? String == ReportJSON.format else { throw bad("/format", "\"\(ReportJSON.format)\"") }
        guard let version = root["formatVersion"] as? Int, version == ReportJSON.formatVersion else {
            throw bad("/formatVersion", "\(ReportJSON.formatVersion)")
        }
        guard let r = root["request"] as? [String: Any] else { throw bad("/request", "an object") }
        guard let from = (r["from"] as? String).flatMap(CivilDate.init(iso:)) else {
            throw bad("/request/from", "a date YYYY-MM-DD")
        }
        guard let to = (r["to"] as? String).flatMap(CivilDate.init(iso:)),
            let period = ReportPeriod(first: from, last: to)
        else { throw bad("/request/to", "a date YYYY-MM-DD on or after from") }
        var comparison: ReportRequest.Comparison?
        if let c = r["compareTo"] as? [String: Any] {
            if c["option"] as? String == "previous" {
                comparison = .previous
            } else if let a = (c["from"] as? String).flatMap(CivilDate.init(iso:)),
                let b = (c["to"] as? String).flatMap(CivilDate.init(iso:)), let p = ReportPeriod(first: a, last: b)
            {
                comparison = .period(p)
            } else {
                throw bad("/request/compareTo", "\"previous\" or a period with from and to")
            }
        }
        let zone = r["timeZone"] as? String
        guard let calendar = [ReportingCalendar.pacific, .utc].first(where: { $0.name == zone }) else {
            throw bad("/request/timeZone", "\"\(ReportingCalendar.pacific.name)\" or \"UTC\"")
        }
        request = ReportRequest(period: period, comparison: comparison, calendar: calendar)
        guard let stamp = root["stamp"] as? [String: Any] else { throw bad("/stamp", "an object") }
        guard let p = stamp["position"] as? Int, p >= 0 else { throw bad("/stamp/position", "a log position") }
        position = UInt64(p)
        guard let hash = stamp["chainHash"] as? String, hash.count == 64 else {
            throw bad("/stamp/chainHash", "64 hex digits")
        }
        chainHash = hash
        guard let figures = root["figures"] as? [String: Any] else { throw bad("/figures", "an object") }
        var shown: [String: String] = [:]
        for (key, value) in figures {
            guard let s = (value as? [String: Any])?["shown"] as? String else {
                throw bad("/figures/\(key)/shown", "a string")
            }
            shown[key] = s
        }
        self.figures = shown
    }
}
