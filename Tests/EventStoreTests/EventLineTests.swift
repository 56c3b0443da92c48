import EventStore
import Foundation
import Testing

/// The interchange line parser: strict JSON, the envelope decoded, data and metadata kept as written
/// from an export line and in canonical form from a plain one.
@Suite("Event lines")
struct EventLineTests {
    static let base = #""stream":"s-1","type":"Tick","occurredAt":"2026-03-14T02:13:00Z","actor":"test""#

    static func parse(_ text: String) throws(EventLine.Invalid) -> EventLine.Parsed {
        try EventLine.parse(Array(text.utf8))
    }

    static func rejection(_ text: String) -> EventLine.Invalid? {
        do {
            _ = try parse(text)
            return nil
        } catch {
            return error
        }
    }

    @Test("an export line's data and metadata are kept byte for byte; a plain line's are canonical")
    func verbatimAndCanonical() throws {
        let data = #"{ "b" : [1, 2.50, "x\u00e9"], "a":{} }"#
        let meta = #"{"z":1, "y":true}"#
        let export = try Self.parse(
            #"{"position":7,"version":1,"recordedAt":"2026-03-14T02:13:01Z","hash":""#
                + String(repeating: "ab", count: 32) + #"",\#(Self.base),"metadata":\#(meta),"data":\#(data)}"#)
        #expect(export.event.payload == Array(data.utf8))
        #expect(export.event.metadata == Array(meta.utf8))
        #expect(export.exported?.position == 7 && export.exported?.hash?.count == 32)
        #expect(export.expectedVersion == .exactly(0))
        let plain = try Self.parse(#"{\#(Self.base),"metadata":\#(meta),"data":\#(data)}"#)
        #expect(String(decoding: plain.event.payload, as: UTF8.self) == #"{"a":{},"b":[1,2.5,"xé"]}"#)
        #expect(String(decoding: plain.event.metadata, as: UTF8.self) == #"{"y":true,"z":1}"#)
        #expect(plain.exported == nil && plain.expectedVersion == nil)
    }

    @Test("envelope strings are unescaped; integers may be written 3.0; binary data is left for the codec")
    func envelope() throws {
        let p = try Self.parse(
            #"{"stream":"incident\/東京-\ud83d\ude91","type":"Tick","occurredAt":"2026-03-14T02:13:00Z","#
                + #""actor":"user:Zo\u00eb","schemaVersion":2.0,"expectedVersion":"any","#
                + #""id":"6F1C3F0E-2B1A-4C5D-9E8F-0A1B2C3D4E5F","dataEncoding":"binary","data":{"k":1}}"#)
        #expect(p.event.stream == "incident/東京-🚑" && p.event.actor == "user:Zoë")
        #expect(p.event.schemaVersion == 2 && p.schemaVersionGiven && p.expectedVersion == .any)
        #expect(p.event.id == UUID(uuidString: "6f1c3f0e-2b1a-4c5d-9e8f-0a1b2c3d4e5f"))
        #expect(p.dataNeedsDomainEncoding && p.event.payloadEncoding == .binary)
        #expect(p.event.payload == Array(#"{"k":1}"#.utf8))
        let bytes = try Self.parse(#"{\#(Self.base),"dataBase64":"AAECAwT/gA==","dataEncoding":"bytes"}"#)
        #expect(bytes.event.payload == [0, 1, 2, 3, 4, 255, 128] && bytes.event.payloadEncoding == .bytes)
    }

    @Test("anything that is not JSON is refused, and says where")
    func strictJSON() {
        let bad: [(String, String)] = [
            (#"{\#(Self.base),"data":{}} x"#, "text after the object"),
            (#"{\#(Self.base),"data":{"a":"\q"}}"#, "bad escape"),
            (#"{\#(Self.base),"data":{"a":"\ud83d"}}"#, "lone surrogate"),
            ("{\(Self.base),\"data\":{\"a\":\"tab\there\"}}", "control character"),
            (#"{\#(Self.base),"data":{"a":01}}"#, "expected ',' or '}'"),
            (#"{\#(Self.base),"data":{"a":tru}}"#, "unexpected character"),
            (#"{\#(Self.base),"data":{"a":[1,]}}"#, "unexpected character"),
            (#"{\#(Self.base),"data":{"a":1}"#, "unterminated object"),
            // A line cut just after a backslash in a string (it once looped for ever: fuzz-import-line).
            (#"{\#(Self.base),"data":{"a":"x\"#, "unterminated string"),
            (#"{"str-5\\\\\\\\\\\"#, "unterminated string"),
            (#"{\#(Self.base),"data":"#, "expected a value"),
            (
                "{\(Self.base),\"data\":" + String(repeating: "[", count: 600) + String(repeating: "]", count: 600)
                    + "}",
                "nested deeper than 512"
            ),
        ]
        for (line, expected) in bad {
            let error = Self.rejection(line)
            #expect(error?.message.contains(expected) == true, "\(line.prefix(120)): \(String(describing: error))")
            #expect(error?.message.contains("at byte") == true)
        }
        var invalidUTF8 = Array(#"{\#(Self.base),"data":{"a":""#.utf8)
        invalidUTF8 += [0xC3, 0x28] + Array(#""}}"#.utf8)
        #expect(throws: EventLine.Invalid.self) { try EventLine.parse(invalidUTF8) }
        #expect(Self.rejection("[1]")?.message == "expected a JSON object")
    }

    @Test("fields: unknown, given twice, of the wrong kind")
    func fields() {
        #expect(Self.rejection(#"{\#(Self.base),"data":{},"colour":1}"#)?.field == "colour")
        #expect(Self.rejection(#"{\#(Self.base),"data":{},"actor":"again"}"#)?.message == "given twice")
        #expect(Self.rejection(#"{\#(Self.base),"data":[]}"#)?.field == "data")
        #expect(
            Self.rejection(#"{"stream":1,"type":"T","occurredAt":"2026-03-14T02:13:00Z","actor":"a","data":{}}"#)?.field
                == "stream")
        #expect(Self.rejection(#"{\#(Self.base),"data":{},"schemaVersion":1.5}"#)?.field == "schemaVersion")
        #expect(Self.rejection(#"{\#(Self.base),"data":{},"expectedVersion":-1}"#)?.field == "expectedVersion")
        #expect(Self.rejection(#"{\#(Self.base),"data":{},"id":"nope"}"#)?.field == "id")
        #expect(Self.rejection(#"{\#(Self.base)}"#)?.field == "data")
        #expect(
            Self.rejection(#"{"type":"T","occurredAt":"2026-03-14T02:13:00Z","actor":"a","data":{}}"#)?.field
                == "stream")
    }
}
