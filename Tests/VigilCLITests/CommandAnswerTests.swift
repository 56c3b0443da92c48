import Foundation
import Testing

@testable import vigil

@Suite("The load client's reading of a command's answer")
struct CommandAnswerTests {
    static let first = UUID(uuidString: "0B6B5E2C-1D3A-4F6E-9A7B-2C3D4E5F6A7B")!
    static let second = UUID(uuidString: "F0E1D2C3-B4A5-4968-8776-655443322110")!

    /// An answer as the daemon writes it, with what JSON allows around it: blanks, escapes (a
    /// surrogate pair among them), nested data, numbers with fractions and exponents.
    static let answer = """
        { "command" : "assign-by-policy", "alreadyStored":false, "events": [
          {"type":"RecommendationComputed","stream":"case-C-1","position":41,"version":3,
           "id":"\(first.uuidString.lowercased())",
           "data":{"requestId":"RQ-1","candidates":[{"responderId":"R-9","score":-1.5e2,"ok":true,"n":null}],
                   "reason":"line\\nbreak \\"quoted\\" \\u00e9\\ud83d\\ude00\\/","weight":0.25}},
          {"type":"NotificationSent","stream":"case-C-1","position":42,"version":4,
           "id":"\(second.uuidString)","data":{"responderId":"R-9","channel":"sms"}}
        ] }
        """

    @Test("ids, positions, types and the data's strings of every event, escapes decoded")
    func reads() throws {
        let answer = try #require(CommandAnswer(Array(Self.answer.utf8)))
        #expect(answer.events.map(\.type) == ["RecommendationComputed", "NotificationSent"])
        #expect(answer.events.map(\.id) == [Self.first, Self.second])
        #expect(answer.events.map(\.position) == [41, 42])
        #expect(answer.value("RecommendationComputed", "requestId") == "RQ-1")
        #expect(answer.value("RecommendationComputed", "reason") == "line\nbreak \"quoted\" é😀/")
        #expect(answer.value("RecommendationComputed", "responderId") == nil, "nested members are not the data's")
        #expect(answer.value("NotificationSent", "responderId") == "R-9")
        #expect(answer.value("ResponderAssigned", "responderId") == nil)
        #expect(CommandAnswer(Array(#"{"command":"x","events":[]}"#.utf8))?.events.isEmpty == true)
    }

    @Test("anything but a well-formed answer is refused, so no acknowledged event goes unchecked")
    func refuses() {
        let event = #"{"type":"T","id":"0b6b5e2c-1d3a-4f6e-9a7b-2c3d4e5f6a7b","position":1}"#
        let bad = [
            "", "{", #"{"events":[\#(event)]"#, #"{"events":[\#(event)]} x"#, #"{"events":{}}"#, #"{"command":"x"}"#,
            #"{"events":[\#(event),]}"#,
            #"{"events":[\#(event.replacingOccurrences(of: #""position":1"#, with: #""position":0"#))]}"#,
            #"{"events":[\#(event.replacingOccurrences(of: #""position":1"#, with: #""position":1.0"#))]}"#,
            #"{"events":[\#(event.replacingOccurrences(of: #""position":1"#, with: #""position":01"#))]}"#,
            #"{"events":[\#(event.replacingOccurrences(of: "0b6b5e2c-", with: "0b6b5e2c"))]}"#,
            #"{"events":[\#(event.replacingOccurrences(of: "0b6b", with: "0g6b"))]}"#,
            #"{"events":[{"type":"T","position":1}]}"#,
            #"{"events":[{"id":"0b6b5e2c-1d3a-4f6e-9a7b-2c3d4e5f6a7b","position":1}]}"#,
            #"{"events":[\#(event)],"note":"tab\#tinside"}"#, #"{"events":[\#(event)],"note":"\x"}"#,
            #"{"events":[\#(event)],"note":"\u12"}"#, #"{"events":[\#(event)],"n":-}"#,
            #"{"events":[\#(event)],"n":tru}"#,
            #"{"events":[\#(event)],"n":1.}"#, #"{"events":[\#(event)],"n":1e}"#,
        ]
        for text in bad { #expect(CommandAnswer(Array(text.utf8)) == nil, "\(text)") }
        #expect(CommandAnswer(Array(#"{"events":[\#(event)],"n":-0.5E+3}"#.utf8)) != nil)
    }

    @Test("an Idempotency-Key is a UUID's text in lower case, as Foundation writes it")
    func keyText() {
        for _ in 0..<200 {
            let id = UUID()
            #expect(id.lowercaseText == id.uuidString.lowercased())
        }
    }
}
