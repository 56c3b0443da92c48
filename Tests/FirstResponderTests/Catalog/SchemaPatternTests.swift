import Testing

@testable import FirstResponder

@Suite("Catalog: schema patterns")
struct SchemaPatternTests {
    @Test("every schema pattern compiles")
    func allCompile() {
        #expect(SchemaPatterns.all.count >= 20)
        for pattern in SchemaPatterns.all { #expect(!pattern.source.isEmpty) }
    }

    @Test(
        "ECMA-262 semantics",
        arguments: [
            ("^C-[0-9A-Z]{6,24}$", "C-2026A00017", true),
            ("^C-[0-9A-Z]{6,24}$", "C-2026A00017\n", false),
            ("^C-[0-9A-Z]{6,24}$", "C-12345", false),
            ("^C-[0-9A-Z]{6,24}$", "xC-2026A00017", false),
            ("\\S", "  a ", true),
            ("\\S", " \t\n\u{00A0}\u{3000}", false),
            ("^\\S(.*\\S)?$", "Pasadena PD", true),
            ("^\\S(.*\\S)?$", "P", true),
            ("^\\S(.*\\S)?$", "Pasadena PD ", false),
            ("^\\S(.*\\S)?$", "a\nb", false),
            ("^(user|system|service):[a-z0-9][a-z0-9._-]{0,99}$", "system:timer", true),
            ("^(user|system|service):[a-z0-9][a-z0-9._-]{0,99}$", "users:x", false),
            ("^(PC|WIC|HS|VC)-[0-9]{1,5}(\\.[0-9]{1,2})?([a-z])?(\\([a-z0-9]{1,3}\\))*$", "PC-647(b)", true),
            ("^(PC|WIC|HS|VC)-[0-9]{1,5}(\\.[0-9]{1,2})?([a-z])?(\\([a-z0-9]{1,3}\\))*$", "PC-266h", true),
            ("^(PC|WIC|HS|VC)-[0-9]{1,5}(\\.[0-9]{1,2})?([a-z])?(\\([a-z0-9]{1,3}\\))*$", "PC-647(B)", false),
            ("^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$", "zh-Hant-TW", true),
            ("^[\\x21-\\x7e]+$", "case-C-1", true),
            ("^[\\x21-\\x7e]+$", "case C-1", false),
            ("b+", "aaabbb", true),
            ("^é.$", "éñ", true),
        ])
    func semantics(_ source: String, _ text: String, _ expected: Bool) throws {
        #expect(try SchemaPattern(compiling: source).matches(text) == expected)
    }

    @Test("no input makes a pattern backtrack exponentially")
    func linearTime() throws {
        let evil = try SchemaPattern(compiling: "^(a+)+$")
        #expect(!evil.matches(String(repeating: "a", count: 5000) + "b"))
    }

    @Test("constructs outside the subset are refused", arguments: ["(?=a)", "a+?", "\\1", "\\p{L}", "[\\S]", "(a"])
    func refused(_ source: String) {
        #expect(throws: SchemaPatternError.self) { try SchemaPattern(compiling: source) }
    }
}
