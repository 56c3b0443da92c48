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

    @Test("the ASCII automaton answers as the NFA does, on every catalog pattern and the ones above")
    func automatonAgreesWithNFA() throws {
        let sources =
            SchemaPatterns.all.map(\.source) + [
                "\\S", "b+", "^[\\x21-\\x7e]+$", "^(a+)+$", "a|^b", "x$|^y", "^$", "(ab)*c?$", "[^a-c]{2}",
            ]
        var random = RandomEvents(seed: 2026)
        var compared = 0
        for source in sources {
            let pattern = try SchemaPattern(compiling: source)
            #expect(pattern.dfa != nil, "\(source) keeps only its NFA")
            var samples: [[UInt8]] = []
            for _ in 0..<60 {
                guard let walk = Self.walk(pattern, &random) else { continue }
                samples.append(walk)
                samples.append(Self.mutate(walk, &random))
                samples.append(Self.mutate(Self.mutate(walk, &random), &random))
            }
            for _ in 0..<60 {
                samples.append((0..<random.int(0...30)).map { _ in random.pick(Self.alphabet) })
            }
            for sample in samples {
                let text = String(decoding: sample, as: UTF8.self)
                var utf8 = Array(text.utf8)
                let byNFA = utf8.withUnsafeMutableBufferPointer { pattern.matchesByNFA(UnsafeBufferPointer($0)) }
                #expect(pattern.matches(text) == byNFA, "\(source) on \(text.debugDescription)")
                compared += 1
            }
        }
        #expect(compared > 5_000)
    }

    /// Bytes a sample draws on: letters, digits, the catalog's punctuation, white space, a control.
    static let alphabet: [UInt8] = Array("aAbBcCxyzZ09135-_.:/+=()|$^ \t\n".utf8) + [0x7F, 0x01]

    /// A string the pattern matches, by a random walk of its NFA (`nil` if the walk ran long).
    static func walk(_ pattern: SchemaPattern, _ random: inout RandomEvents) -> [UInt8]? {
        var out: [UInt8] = []
        var pc = 0
        for _ in 0..<600 {
            switch pattern.program[pc] {
            case .scalar(let s):
                guard s < 0x80 else { return nil }
                out.append(UInt8(s))
                pc += 1
            case .set(let k):
                let members = (0..<UInt8(0x80)).filter { pattern.sets[k].contains(UInt32($0)) }
                guard !members.isEmpty else { return nil }
                out.append(random.pick(members))
                pc += 1
            case .split(let a, let b): pc = random.bool() ? a : b
            case .jump(let target): pc = target
            case .begin, .end: pc += 1
            case .match: return out
            }
        }
        return nil
    }

    /// `bytes` with one byte inserted, removed or replaced, or a byte added at either end.
    static func mutate(_ bytes: [UInt8], _ random: inout RandomEvents) -> [UInt8] {
        var out = bytes
        let byte = random.pick(alphabet)
        switch random.int(0...4) {
        case 0: out.insert(byte, at: random.int(0...out.count))
        case 1: if !out.isEmpty { out.remove(at: random.int(0...(out.count - 1))) }
        case 2: if !out.isEmpty { out[random.int(0...(out.count - 1))] = byte }
        case 3: out.insert(byte, at: 0)
        default: out.append(byte)
        }
        return out
    }
}
