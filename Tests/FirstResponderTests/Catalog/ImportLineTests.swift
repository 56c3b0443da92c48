import EventStore
import FirstResponder
import Foundation
import Testing

@Suite("Catalog: import lines")
struct ImportLineTests {
    static let line = #"""
        {"stream":"case-C-2026A00017","type":"AssignmentAcknowledged","id":"0195d3a1-7c2e-7a10-8b3f-2c4d5e6f7a81",
         "expectedVersion":7,"occurredAt":"2026-03-14T02:19:30+00:00","actor":"user:advocate-022",
         "metadata":{"source":"cad","attempt":2,"late":false,"note":null},
         "data":{"caseId":"C-2026A00017","requestId":"RQ-2026A00017-1","responderId":"R-ADV022","etaMinutes":45}}
        """#

    @Test("a whole line becomes an event to append")
    func newEvent() throws {
        let line = try EventCatalog.validateImportLine(Array(Self.line.utf8))
        #expect(line.type == "AssignmentAcknowledged")
        #expect(line.expectedVersion == .exactly(7))
        #expect(line.id == UUID(uuidString: "0195d3a1-7c2e-7a10-8b3f-2c4d5e6f7a81"))
        let event = line.newEvent()
        #expect(event.stream == "case-C-2026A00017")
        #expect(event.type == "AssignmentAcknowledged")
        #expect(event.schemaVersion == 1)
        #expect(event.payloadEncoding == .binary)
        #expect(event.occurredAt == Timestamp(rfc3339: "2026-03-14T02:19:30Z"))
        #expect(event.expectedVersion == .exactly(7))
        #expect(
            String(decoding: event.metadata, as: UTF8.self) == #"{"source":"cad","attempt":2,"late":false,"note":null}"#
        )
        let decoded = try event.payload.withUnsafeBytes {
            try EventCatalog.decode(type: event.type, schemaVersion: 1, payload: $0, encoding: .binary)
        }
        #expect((decoded as? AssignmentAcknowledged)?.etaMinutes == 45)
    }

    @Test(
        "envelope mistakes point at the envelope field",
        arguments: [
            (#""expectedVersion":7"#, #""expectedVersion":"latest""#, "/expectedVersion"),
            (#""expectedVersion":7"#, #""expectedVersion":-1"#, "/expectedVersion"),
            (#""expectedVersion":7"#, #""expectedVersion":7,"schemaVersion":0"#, "/schemaVersion"),
            (#""expectedVersion":7"#, #""expectedVersion":7,"position":3"#, "/position"),
            (#""source":"cad""#, #""Source":"cad""#, "/metadata/Source"),
            (#""source":"cad""#, #""source":{"a":1}"#, "/metadata/source"),
            (#""actor":"user:advocate-022""#, #""actor":"advocate@county.gov""#, "/actor"),
            (#""stream":"case-C-2026A00017""#, #""stream":"case C-2026A00017""#, "/stream"),
            (#""stream":"case-C-2026A00017""#, #""stream":"case-C-2026A00018""#, "/stream"),
            (#""type":"AssignmentAcknowledged""#, #""type":"AssignmentAcknowledge""#, "/type"),
            (#""2026-03-14T02:19:30+00:00""#, #""2026-03-14T02:19:60Z""#, "/occurredAt"),
            (#""etaMinutes":45"#, #""etaMinutes":45,"youthName":"x""#, "/data/youthName"),
        ])
    func envelopeMistakes(_ old: String, _ new: String, _ pointer: String) {
        let bad = Self.line.replacing(old, with: new)
        let error = #expect(throws: DomainValidationError.self) { try EventCatalog.validateImportLine(Array(bad.utf8)) }
        #expect(error?.pointer == pointer, "\(error.map(String.init(describing:)) ?? "accepted")")
    }

    @Test("error messages never repeat the offending value")
    func messagesDoNotEchoValues() {
        let secret = "Jane Doe 2009-04-01"
        for bad in [
            Self.line.replacing(#""etaMinutes":45"#, with: #""etaMinutes":45,"youthName":"\#(secret)""#),
            Self.line.replacing(#""R-ADV022""#, with: #""\#(secret)""#),
            Self.line.replacing(#""cad""#, with: #""\#(secret)\#(String(repeating: "x", count: 500))""#),
        ] {
            let error = #expect(throws: DomainValidationError.self) {
                try EventCatalog.validateImportLine(Array(bad.utf8))
            }
            #expect(error?.message.contains("Jane") == false)
        }
    }
}
