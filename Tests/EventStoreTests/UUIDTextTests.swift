import EventStore
import Foundation
import Testing

@Suite("UUID text: one parser and one writer for ids")
struct UUIDTextTests {
    @Test("parses what Foundation parses, in either case, and writes it back in lower case")
    func agreesWithFoundation() throws {
        for _ in 0..<200 {
            let id = UUID()
            for text in [id.uuidString, id.uuidString.lowercased(), id.lowercaseText] {
                let parsed = try #require(UUID(text: text))
                #expect(parsed == id)
                #expect(parsed == UUID(uuidString: text))
                #expect(parsed.lowercaseText == id.uuidString.lowercased())
            }
        }
        #expect(
            UUID(text: "0195D3A1-7c2e-7A10-8b3f-2C4D5E6F7A81")?.lowercaseText == "0195d3a1-7c2e-7a10-8b3f-2c4d5e6f7a81")
        #expect(
            UUID(text: "00000000-0000-0000-0000-000000000000")
                == UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)))
    }

    static let refused = [
        "", "0195d3a1", "0195d3a1-7c2e-7a10-8b3f-2c4d5e6f7a8", "0195d3a1-7c2e-7a10-8b3f-2c4d5e6f7a811",
        "0195d3a17c2e-7a10-8b3f-2c4d5e6f7a81-", "0195d3a1-7c2e-7a10-8b3f_2c4d5e6f7a81",
        "g195d3a1-7c2e-7a10-8b3f-2c4d5e6f7a81",
        "{0195d3a1-7c2e-7a10-8b3f-2c4d5e6f7a81}", " 0195d3a1-7c2e-7a10-8b3f-2c4d5e6f7a81",
        "0195d3a1-7c2e-7a10-8b3f-2c4d5e6f7a8é",
        "0195d3a1--7c2e-7a10-8b3f-2c4d5e6f7a81",
    ]

    @Test("refuses anything but 8-4-4-4-12 hexadecimal digits, as Foundation does", arguments: refused)
    func refuses(_ text: String) {
        #expect(UUID(text: text) == nil)
        #expect(UUID(uuidString: text) == nil)
    }
}
