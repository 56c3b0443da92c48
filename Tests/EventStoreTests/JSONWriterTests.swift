import EventStore
import Foundation
import Testing

@Suite("JSONWriter: strings")
struct JSONWriterTests {
    static let strings = [
        "", "C-2026A00017", "2026-03-14T02:00:00Z", "a \"quoted\" word", #"back\slash"#, "line\nbreak\r\ttab",
        "\u{0}\u{1}\u{1F}\u{7F}", "Ñandú — 日本語 🚑", String(repeating: "x", count: 300) + "\"",
        "smol", "fifteen bytes!!", "sixteen bytes!!!",
    ]

    @Test("every string and key comes back from a JSON parser as written", arguments: strings)
    func roundTrip(_ value: String) throws {
        var w = JSONWriter()
        w.beginObject()
        w.field(value, value)
        w.key("list")
        w.beginArray()
        w.string(value)
        w.endArray()
        w.endObject()
        let object = try #require(try JSONSerialization.jsonObject(with: Data(w.bytes)) as? [String: Any])
        #expect(object[value] as? String == value)
        #expect((object["list"] as? [String])?.first == value)
    }

    @Test("escapes only what JSON requires, the rest byte for byte")
    func escapes() {
        var w = JSONWriter()
        w.string("a\"b\\c\nd\u{1}e\u{7F}é")
        #expect(String(decoding: w.bytes, as: UTF8.self) == #""a\"b\\c\nd\u0001e\u007fé""#)
    }
}
