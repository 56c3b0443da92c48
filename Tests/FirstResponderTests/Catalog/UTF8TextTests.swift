import FirstResponder
import Testing

@Suite("Catalog: text in payloads")
struct UTF8TextTests {
    /// Valid UTF-8: short and long ASCII (the 8-byte steps and the tail), and non-ASCII at either end.
    static let valid = ["", "C-2026A00017", "R-ADV014-ON-CALL-NIGHTS-EAST", "café", "☕︎ at the station", "Zoë ✓", "😀"]
    /// Not UTF-8: a bad continuation, a byte never in UTF-8, a lone continuation, a truncated
    /// sequence, an overlong encoding, a surrogate — at the start, inside an 8-byte step, in the tail.
    static let invalid: [[UInt8]] = [
        [0xC3, 0x28], [0xFF], Array("ABCDEFGH".utf8) + [0x80], Array("ABCDEFG".utf8) + [0xE2, 0x82],
        [0xC0, 0xAF] + Array("ABCDEFGHIJ".utf8), Array("AB".utf8) + [0xED, 0xA0, 0x80] + Array("CDEFGHIJKL".utf8),
    ]

    static func binary(_ text: [UInt8]) -> [UInt8] { [UInt8(text.count)] + text }

    @Test("a binary payload's string reads back as written, and bytes that are not UTF-8 are refused")
    func binaryStrings() throws {
        for text in Self.valid {
            let read = try Self.binary(Array(text.utf8)).withUnsafeBytes { bytes in
                var reader = BinaryReader(bytes)
                return try reader.string()
            }
            #expect(read == text)
        }
        for bytes in Self.invalid {
            #expect(throws: DomainValidationError.self) {
                try Self.binary(bytes).withUnsafeBytes { raw in
                    var reader = BinaryReader(raw)
                    _ = try reader.string()
                }
            }
        }
    }

    @Test("a JSON string reads back as written, escaped or not, and bytes that are not UTF-8 are refused")
    func jsonStrings() throws {
        for text in Self.valid {
            #expect(try JSONValue(parsing: Array(#"""#.utf8) + Array(text.utf8) + Array(#"""#.utf8)) == .string(text))
            #expect(try JSONValue(parsing: #""\n\#(text)""#) == .string("\n" + text))
        }
        for bytes in Self.invalid {
            #expect(throws: DomainValidationError.self) { try JSONValue(parsing: [0x22] + bytes + [0x22]) }
            #expect(throws: DomainValidationError.self) {
                try JSONValue(parsing: Array(#""\t"#.utf8) + bytes + [0x22])
            }
        }
    }
}
