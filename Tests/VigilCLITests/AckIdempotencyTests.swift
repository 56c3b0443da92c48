import Foundation
import Testing

@Suite("--ack idempotency")
struct AckIdempotencyTests {
    @Test("Importing the same file twice acknowledges the same positions and writes nothing new")
    func sameFileTwice() async throws {
        let scratch = try Scratch("ack")
        defer { scratch.remove() }
        // 250 events with ids over 5 streams; every stream's events carry exact expected versions,
        // which a second import could not satisfy if it were checked again rather than recognised.
        var lines: [String] = []
        var versions: [String: Int] = [:]
        for i in 0..<250 {
            let stream = "case-C-\(i * 7 % 5)"
            let version = versions[stream, default: 0]
            versions[stream] = version + 1
            var line = ImportLine(stream: stream, id: UUID())
            line.expectedVersion = i % 2 == 0 ? "\(version)" : nil
            line.data = #"{"seq":\#(i)}"#
            lines.append(line.text)
        }
        let file = try scratch.write("events.ndjson", lines: lines)

        let first = try await scratch.vigil(["import", "--raw", "--ack", "--batch", "50", file])
        try #require(first.succeeded, "\(first)")
        let acks = first.completeStdoutLines
        try #require(acks.count == 250, "\(first)")
        #expect(first.stdout.last == 10)
        for (i, ack) in acks.enumerated() {
            let o = try JSON.object(ack)
            #expect(o["position"] as? Int == i + 1)
            #expect(o["id"] as? String == (try JSON.object(lines[i])["id"] as? String))
        }
        let exported = try await scratch.exportLines()

        for batch in ["50", "64", "1000"] {
            let again = try await scratch.vigil(["import", "--raw", "--ack", "--batch", batch, file])
            #expect(again.succeeded, "--batch \(batch): \(again)")
            #expect(again.completeStdoutLines == acks, "--batch \(batch): the same acknowledgements")
            #expect(
                again.stderrText.contains("imported 0 events; 250 were already stored"), "--batch \(batch): \(again)")
            #expect(try await scratch.eventCount() == 250)
        }
        // Not a byte rewritten: recordedAt and hashes are those of the first import.
        #expect(try await scratch.exportLines() == exported)
        let verify = try await scratch.vigil(["verify"])
        #expect(verify.succeeded, "\(verify)")
    }
}
