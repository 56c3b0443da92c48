import Foundation
import Testing

@Suite("Verify")
struct VerifyTests {
    static let events = 80

    /// Event n's payload is `{"note":"<marker(n)>"}`: canonical JSON with one key, so in the stored
    /// record the marker is followed by `"}` and then the record's 32-byte chain hash.
    static func marker(_ n: Int, _ tag: String) -> String {
        "MARKER-" + String(repeating: "0", count: max(0, 6 - String(n).count)) + "\(n)-\(tag)"
    }

    /// A store of 80 events over 4 streams, imported in batches of 30 (three commits).
    static func store(_ label: String) async throws -> (Scratch, tag: String) {
        let scratch = try Scratch(label)
        let tag = UUID().uuidString
        let lines = (1...events).map { n in
            var line = ImportLine(stream: "case-C-\(n % 4)")
            line.data = #"{"note":"\#(marker(n, tag))"}"#
            return line.text
        }
        let result = try await scratch.vigil([
            "import", "--raw", "--batch", "30", try scratch.write("events.ndjson", lines: lines),
        ])
        try #require(result.succeeded, "\(result)")
        return (scratch, tag)
    }

    @Test("An untouched store verifies: exit 0 and the head")
    func untouched() async throws {
        let (scratch, _) = try await Self.store("verify-ok")
        defer { scratch.remove() }
        let stat = try await scratch.stat()
        let headHash = try #require(stat["headHash"] as? String)
        #expect(stat["headPosition"] as? Int == Self.events)

        let text = try await scratch.vigil(["verify"])
        #expect(text.succeeded, "\(text)")
        #expect(
            text.stdoutText == "ok: \(Self.events) events in 4 streams; head \(Self.events) \(headHash)\n", "\(text)")

        let json = try await scratch.vigil(["verify", "--json"])
        #expect(json.succeeded, "\(json)")
        let report = try JSON.object(json.stdoutText)
        #expect(report["ok"] as? Bool == true)
        #expect(report["events"] as? Int == Self.events)
        #expect(report["streams"] as? Int == 4)
        #expect(report["headPosition"] as? Int == Self.events)
        #expect(report["headHash"] as? String == headHash)
        #expect((report["problems"] as? [Any])?.isEmpty == true)
    }

    enum Damage: Sendable, CustomTestStringConvertible {
        /// One byte of event n's payload (inside its marker).
        case payload(Int)
        /// One byte of event n's stored chain hash.
        case hash(Int)

        var position: Int {
            switch self {
            case .payload(let n), .hash(let n): n
            }
        }

        var testDescription: String {
            switch self {
            case .payload(let n): "a payload byte of position \(n)"
            case .hash(let n): "a hash byte of position \(n)"
            }
        }
    }

    @Test(
        "A flipped byte in data.mdb fails verification at its position",
        arguments: [Damage.payload(37), .payload(1), .hash(52), .hash(events)])
    func flippedByte(_ damage: Damage) async throws {
        let (scratch, tag) = try await Self.store("verify-flip")
        defer { scratch.remove() }
        let good = try await scratch.vigil(["verify"])
        try #require(good.succeeded, "\(good)")

        // No vigil process is running now. Old copies of a page may linger in free pages of the
        // file (LMDB copies on write), so change every copy of the record.
        let path = scratch.data + "/data.mdb"
        var file = try Data(contentsOf: URL(fileURLWithPath: path))
        let marker = Data(Self.marker(damage.position, tag).utf8)
        var copies = 0
        var searchFrom = file.startIndex
        while let range = file.range(of: marker, in: searchFrom..<file.endIndex) {
            copies += 1
            let offset: Int
            switch damage {
            case .payload:
                offset = range.lowerBound + 9  // a digit of the event number, still valid JSON
            case .hash:
                // The payload ends `"}`; the hash follows.
                try #require(
                    file[range.upperBound] == UInt8(ascii: "\"") && file[range.upperBound + 1] == UInt8(ascii: "}"))
                offset = range.upperBound + 2 + 17
            }
            file[offset] ^= 0x01
            searchFrom = range.upperBound
        }
        try #require(copies >= 1, "event \(damage.position)'s marker is not in \(path)")
        try file.write(to: URL(fileURLWithPath: path))

        let text = try await scratch.vigil(["verify"])
        #expect(text.status == 2 && text.signal == nil, "\(text)")
        #expect(text.stdoutText.hasPrefix("FAILED after \(damage.position - 1) good events"), "\(text)")
        #expect(text.stdoutText.contains("position \(damage.position): hash mismatch"), "\(text)")

        let json = try await scratch.vigil(["verify", "--json"])
        #expect(json.status == 2 && json.signal == nil, "\(json)")
        let report = try JSON.object(json.stdoutText)
        #expect(report["ok"] as? Bool == false)
        #expect(report["headPosition"] as? Int == damage.position - 1)
        let problems = try #require(report["problems"] as? [[String: Any]])
        #expect(problems.count == 1)
        #expect(problems.first?["position"] as? Int == damage.position, "\(json)")
    }
}
