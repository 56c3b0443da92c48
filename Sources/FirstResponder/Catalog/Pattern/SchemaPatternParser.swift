/// Parses the ECMA-262 subset ``SchemaPattern`` supports.
struct SchemaPatternParser {
    private let scalars: [UInt32]
    private var index = 0

    init(_ source: String) { scalars = source.unicodeScalars.map(\.value) }

    mutating func parse() throws(SchemaPatternError) -> SchemaPatternNode {
        let node = try alternation()
        guard index == scalars.count else { throw fail("unbalanced ')'") }
        return node
    }

    private func fail(_ message: String) -> SchemaPatternError {
        SchemaPatternError(message: "\(message) at offset \(index)")
    }

    private var peek: UInt32? { index < scalars.count ? scalars[index] : nil }

    private mutating func alternation() throws(SchemaPatternError) -> SchemaPatternNode {
        var branches = [try sequence()]
        while peek == ascii("|") {
            index += 1
            branches.append(try sequence())
        }
        return branches.count == 1 ? branches[0] : .alternation(branches)
    }

    private mutating func sequence() throws(SchemaPatternError) -> SchemaPatternNode {
        var items: [SchemaPatternNode] = []
        while let c = peek, c != ascii("|"), c != ascii(")") {
            var atom = try self.atom()
            atom = try quantified(atom)
            items.append(atom)
        }
        if items.isEmpty { return .empty }
        return items.count == 1 ? items[0] : .sequence(items)
    }

    private mutating func quantified(_ atom: SchemaPatternNode) throws(SchemaPatternError) -> SchemaPatternNode {
        guard let c = peek else { return atom }
        var result: SchemaPatternNode
        switch c {
        case ascii("*"):
            index += 1
            result = .repetition(atom, min: 0, max: nil)
        case ascii("+"):
            index += 1
            result = .repetition(atom, min: 1, max: nil)
        case ascii("?"):
            index += 1
            result = .repetition(atom, min: 0, max: 1)
        case ascii("{"):
            index += 1
            let min = try number()
            var max: Int? = min
            if peek == ascii(",") {
                index += 1
                max = peek == ascii("}") ? nil : try number()
            }
            guard peek == ascii("}") else { throw fail("expected '}'") }
            index += 1
            if let max, max < min { throw fail("{n,m} with m < n") }
            guard (max ?? min) <= 1000 else { throw fail("repetition count too large") }
            result = .repetition(atom, min: min, max: max)
        default:
            return atom
        }
        if case .begin = atom { throw fail("quantified anchor") }
        if case .end = atom { throw fail("quantified anchor") }
        if let q = peek, q == ascii("?") || q == ascii("+") || q == ascii("*") || q == ascii("{") {
            throw fail("lazy, possessive or stacked quantifiers are not supported")
        }
        return result
    }

    private mutating func number() throws(SchemaPatternError) -> Int {
        var value = 0
        var digits = 0
        while let c = peek, c >= 48, c <= 57 {
            value = value * 10 + Int(c - 48)
            digits += 1
            index += 1
            guard value <= 100_000 else { throw fail("number too large") }
        }
        guard digits > 0 else { throw fail("expected a number") }
        return value
    }

    private mutating func atom() throws(SchemaPatternError) -> SchemaPatternNode {
        let c = scalars[index]
        index += 1
        switch c {
        case ascii("^"): return .begin
        case ascii("$"): return .end
        case ascii("."): return .set(PatternScalarSet(ranges: PatternScalarSet.lineTerminators, negated: true))
        case ascii("("):
            if peek == ascii("?") {
                guard index + 1 < scalars.count, scalars[index + 1] == ascii(":") else {
                    throw fail("lookaround and named groups are not supported")
                }
                index += 2
            }
            let inner = try alternation()
            guard peek == ascii(")") else { throw fail("expected ')'") }
            index += 1
            return inner
        case ascii("["): return .set(try characterClass())
        case ascii("\\"):
            switch try escape(inClass: false) {
            case .scalar(let s): return .scalar(s)
            case .set(let set): return .set(set)
            }
        case ascii("*"), ascii("+"), ascii("?"), ascii("{"): throw fail("nothing to repeat")
        case ascii("]"), ascii("}"): throw fail("unescaped '\(Character(Unicode.Scalar(c)!))'")
        default: return .scalar(c)
        }
    }

    private enum Escaped {
        case scalar(UInt32)
        case set(PatternScalarSet)
    }

    private mutating func escape(inClass: Bool) throws(SchemaPatternError) -> Escaped {
        guard let c = peek else { throw fail("trailing backslash") }
        index += 1
        switch c {
        case ascii("d"): return .set(PatternScalarSet(ranges: PatternScalarSet.digit, negated: false))
        case ascii("D"): return .set(PatternScalarSet(ranges: PatternScalarSet.digit, negated: true))
        case ascii("s"): return .set(PatternScalarSet(ranges: PatternScalarSet.space, negated: false))
        case ascii("S"): return .set(PatternScalarSet(ranges: PatternScalarSet.space, negated: true))
        case ascii("w"): return .set(PatternScalarSet(ranges: PatternScalarSet.word, negated: false))
        case ascii("W"): return .set(PatternScalarSet(ranges: PatternScalarSet.word, negated: true))
        case ascii("t"): return .scalar(0x09)
        case ascii("n"): return .scalar(0x0A)
        case ascii("r"): return .scalar(0x0D)
        case ascii("f"): return .scalar(0x0C)
        case ascii("v"): return .scalar(0x0B)
        case ascii("x"): return .scalar(try hex(2))
        case ascii("u"): return .scalar(try hex(4))
        default:
            // Escaped punctuation stands for itself; escaped letters and digits mean something
            // (\b, back-references, \p{…}) this subset does not support.
            let isAlnum = (48...57).contains(c) || (65...90).contains(c) || (97...122).contains(c)
            guard !isAlnum else { throw fail("unsupported escape \\\(Character(Unicode.Scalar(c)!))") }
            return .scalar(c)
        }
    }

    private mutating func hex(_ count: Int) throws(SchemaPatternError) -> UInt32 {
        var v: UInt32 = 0
        for _ in 0..<count {
            guard let c = peek else { throw fail("short hex escape") }
            let d: UInt32
            switch c {
            case 48...57: d = c - 48
            case 65...70: d = c - 55
            case 97...102: d = c - 87
            default: throw fail("invalid hex digit")
            }
            v = v << 4 | d
            index += 1
        }
        return v
    }

    private mutating func characterClass() throws(SchemaPatternError) -> PatternScalarSet {
        var negated = false
        if peek == ascii("^") {
            negated = true
            index += 1
        }
        var ranges: [ClosedRange<UInt32>] = []
        var first = true
        while true {
            guard let c = peek else { throw fail("unterminated class") }
            if c == ascii("]") && !first { break }
            first = false
            let low = try classAtom()
            switch low {
            case .set(let set):
                guard !set.negated else { throw fail("negated escapes inside a class are not supported") }
                ranges += set.ranges
                continue
            case .scalar(let lo):
                if peek == ascii("-"), index + 1 < scalars.count, scalars[index + 1] != ascii("]") {
                    index += 1
                    guard case .scalar(let hi) = try classAtom(), hi >= lo else { throw fail("invalid range") }
                    ranges.append(lo...hi)
                } else {
                    ranges.append(lo...lo)
                }
            }
        }
        index += 1  // ]
        return PatternScalarSet(ranges: ranges.sorted { $0.lowerBound < $1.lowerBound }, negated: negated)
    }

    private mutating func classAtom() throws(SchemaPatternError) -> Escaped {
        let c = scalars[index]
        index += 1
        if c == ascii("\\") {
            if peek == ascii("b") {
                index += 1
                return .scalar(0x08)
            }
            return try escape(inClass: true)
        }
        return .scalar(c)
    }
}

@inline(__always)
private func ascii(_ c: Unicode.Scalar) -> UInt32 { c.value }
