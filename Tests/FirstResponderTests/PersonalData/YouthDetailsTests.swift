import FirstResponder
import Testing

@Suite("Youth details")
struct YouthDetailsTests {
    struct Bad: Sendable, CustomTestStringConvertible {
        let field: String
        let change: @Sendable (inout YouthDetails) -> Void
        let label: String
        var testDescription: String { "\(field): \(label)" }
    }

    static let bad: [Bad] = [
        Bad(field: "givenName", change: { $0.givenName = "" }, label: "empty"),
        Bad(field: "givenName", change: { $0.givenName = "   " }, label: "blank"),
        Bad(field: "givenName", change: { $0.givenName = "Ana\nLuisa" }, label: "line break"),
        Bad(field: "familyName", change: { $0.familyName = String(repeating: "x", count: 101) }, label: "101 chars"),
        Bad(field: "dateOfBirth", change: { $0.dateOfBirth = "2026-02-30" }, label: "30 February"),
        Bad(field: "dateOfBirth", change: { $0.dateOfBirth = "2023-02-29" }, label: "29 February, no leap year"),
        Bad(field: "dateOfBirth", change: { $0.dateOfBirth = "2023-13-01" }, label: "month 13"),
        Bad(field: "dateOfBirth", change: { $0.dateOfBirth = "1899-12-31" }, label: "before 1900"),
        Bad(field: "dateOfBirth", change: { $0.dateOfBirth = "20100417" }, label: "no dashes"),
        Bad(field: "dateOfBirth", change: { $0.dateOfBirth = "2010-4-17" }, label: "one-digit month"),
        Bad(field: "phone", change: { $0.phone = "call me" }, label: "letters"),
        Bad(field: "phone", change: { $0.phone = "911" }, label: "too few digits"),
        Bad(field: "notes", change: { $0.notes = " \n" }, label: "blank"),
        Bad(field: "notes", change: { $0.notes = String(repeating: "n", count: 4_001) }, label: "too long"),
    ]

    @Test("each malformed field is named", arguments: bad)
    func namesTheField(_ example: Bad) throws {
        var details = YouthDetails(givenName: "Ana", familyName: "Ruiz", dateOfBirth: "2010-04-17")
        example.change(&details)
        do {
            try details.validate()
            Issue.record("accepted")
        } catch {
            #expect(error.code == .invalidInput)
            #expect(error.field == example.field)
            #expect(error.message.hasPrefix(example.field))
        }
    }

    @Test("well-formed details pass")
    func accepts() throws {
        try marisol.validate()
        try jordan.validate()
        try YouthDetails(
            givenName: String(repeating: "é", count: 100), familyName: "O'Brien-Núñez", dateOfBirth: "2012-02-29",
            phone: "213.555.0100", notes: "line one\nline two"
        ).validate()
    }

    @Test("details never print what they hold")
    func redacted() {
        let texts = [
            "\(marisol)", String(reflecting: marisol),
            {
                var s = ""
                dump(marisol, to: &s)
                return s
            }(),
        ]
        for text in texts {
            #expect(!text.contains("Marisolquetzal") && !text.contains("2010-04-17"), "\(text)")
        }
    }
}
