import EventStore
import FirstResponder
import Testing

@Suite("Catalog: payload codecs")
struct PayloadCodecTests {
    /// Every valid example's event, with its binary and JSON payloads.
    static func payloads() throws -> [(any DomainEvent, binary: [UInt8], json: [UInt8])] {
        try SchemaExamples.valid.map { name in
            let event = try EventCatalog.validateImportLine(try SchemaExamples.bytes(valid: name)).validated.event
            return (event, event.binaryBytes(), event.jsonBytes())
        }
    }

    @Test("10,000 binary and 10,000 JSON payloads decode")
    func tenThousandEach() throws {
        let examples = try Self.payloads()
        var binaryDecoded = 0
        var jsonDecoded = 0
        var totalBinary = 0
        var totalJSON = 0
        for i in 0..<10_000 {
            let (event, binary, _) = examples[i % examples.count]
            let decoded = try binary.withUnsafeBytes {
                try EventCatalog.decode(
                    type: event.eventType, schemaVersion: event.schemaVersion, payload: $0, encoding: .binary)
            }
            if decoded.eventType == event.eventType { binaryDecoded += 1 }
            totalBinary += binary.count
        }
        for i in 0..<10_000 {
            let (event, _, json) = examples[i % examples.count]
            let decoded = try json.withUnsafeBytes {
                try EventCatalog.decode(
                    type: event.eventType, schemaVersion: event.schemaVersion, payload: $0, encoding: .json)
            }
            if decoded.eventType == event.eventType { jsonDecoded += 1 }
            totalJSON += json.count
        }
        #expect(binaryDecoded == 10_000)
        #expect(jsonDecoded == 10_000)
        #expect(totalBinary < totalJSON / 2, "binary payloads are much smaller than JSON")
    }

    @Test("the binary form is as documented in BinaryWriter.swift")
    func documentedExample() throws {
        let event = ResponderEnRoute(
            caseId: CaseID(rawValue: "C-2026A00017")!, requestId: RequestID(rawValue: "RQ-2026A00017-1")!,
            responderId: ResponderID(rawValue: "R-ADV022")!, etaMinutes: 40)
        var expected: [UInt8] = [12] + Array("C-2026A00017".utf8)
        expected += [15] + Array("RQ-2026A00017-1".utf8)
        expected += [8] + Array("R-ADV022".utf8)
        expected += [1, 40]
        #expect(event.binaryBytes() == expected)
        var withoutEta = event
        withoutEta.etaMinutes = nil
        #expect(withoutEta.binaryBytes() == Array(expected.dropLast(2)) + [0])
    }

    @Test("damaged binary payloads are rejected, never misread")
    func damagedBinary() throws {
        let examples = try Self.payloads()
        for (event, binary, _) in examples {
            // Truncated anywhere: an error, not a crash.
            for cut in 0..<binary.count {
                let short = Array(binary[..<cut])
                #expect(throws: DomainValidationError.self) {
                    try short.withUnsafeBytes {
                        try EventCatalog.decodeAsStored(
                            type: event.eventType, schemaVersion: event.schemaVersion, payload: $0, encoding: .binary)
                    }
                }
            }
            // A trailing byte.
            let long = binary + [0]
            let error = #expect(throws: DomainValidationError.self) {
                try long.withUnsafeBytes {
                    try EventCatalog.decodeAsStored(
                        type: event.eventType, schemaVersion: event.schemaVersion, payload: $0, encoding: .binary)
                }
            }
            #expect(error?.code == .malformedBinary)
        }
    }

    @Test("an unknown enum code is rejected")
    func unknownEnumCode() {
        // ResponderArrived: caseId, requestId, responderId, role (enum code).
        var w = BinaryWriter()
        w.string("C-2026A00017")
        w.string("RQ-2026A00017-1")
        w.string("R-ADV017")
        w.varint(99)
        let error = #expect(throws: DomainValidationError.self) { try ResponderArrived(binaryBytes: w.bytes) }
        #expect(error?.code == .malformedBinary)
    }

    @Test("ArrestCorrected keeps null (unlink) apart from absent (unchanged)")
    func nullAndAbsent() throws {
        let unlink = try ArrestCorrected(
            jsonBytes: Array(
                #"{"arrestId":"A-2026SCV0041","corrections":{"operationId":null},"reason":"wrong op"}"#.utf8))
        #expect(unlink.corrections.operationId == .null)
        #expect(try ArrestCorrected(binaryBytes: unlink.binaryBytes()) == unlink)
        #expect(String(decoding: unlink.jsonBytes(), as: UTF8.self).contains(#""operationId":null"#))

        let agency = try ArrestCorrected(
            jsonBytes: Array(
                #"{"arrestId":"A-2026SCV0041","corrections":{"agency":"LAPD"},"reason":"wrong agency"}"#.utf8))
        #expect(agency.corrections.operationId == nil)
        #expect(try ArrestCorrected(binaryBytes: agency.binaryBytes()) == agency)
    }

    @Test("ArrestRecorded v2 reads operationId null as absent")
    func nullMeansAbsent() throws {
        let json = #"""
            {"arrestId":"A-2026SCV0041","role":"buyer","agency":"LASD","station":"SCV","area":"SPA2",
             "arrestedAt":"2026-03-14T02:30:00Z","linkedCaseIds":[],"operationId":null}
            """#
        let arrest = try ArrestRecorded(jsonBytes: Array(json.utf8))
        #expect(arrest.operationId == nil)
        #expect(try ArrestRecorded(binaryBytes: arrest.binaryBytes()) == arrest)
    }
}
