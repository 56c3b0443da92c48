/// A regular expression from a schema's `pattern`, compiled once and matched in linear time.
///
/// JSON Schema patterns are ECMA-262 regular expressions that *search* (a pattern without `^`/`$`
/// may match anywhere). This is the subset the catalog uses, with ECMA-262 meanings: literals,
/// `.` (any character but a line terminator), classes `[a-z0-9./-]` and `[^…]`, `\d \D \s \S \w \W`,
/// escapes `\xHH \uHHHH \t \n \r` and escaped punctuation, groups `(…)` and `(?:…)`, alternation `|`,
/// greedy quantifiers `* + ? {n} {n,} {n,m}`, and the anchors `^ $` (whole input; no multiline).
/// It runs as a Thompson NFA over Unicode scalars, so no input can make it backtrack
/// exponentially. Anything else (lookaround, backreferences, lazy quantifiers) is refused when the
/// pattern is compiled, and every pattern is compiled when the catalog is first used.
public struct SchemaPattern: Sendable, CustomStringConvertible {
    /// The source, as written in the schema.
    public let source: String
    let program: [PatternInstruction]
    let sets: [PatternScalarSet]
    let anchoredAtStart: Bool
    /// The NFA made deterministic over ASCII input (`nil` for a pattern that would need too many
    /// states): what ``matches(_:)`` runs on an ASCII string.
    let dfa: PatternDFA?

    /// Compiles `source`, or throws when it uses a construct outside the subset.
    public init(compiling source: String) throws(SchemaPatternError) {
        var parser = SchemaPatternParser(source)
        let node = try parser.parse()
        var compiler = SchemaPatternCompiler()
        compiler.emit(node)
        compiler.program.append(.match)
        self.source = source
        self.program = compiler.program
        self.sets = compiler.sets
        self.anchoredAtStart = node.isAnchoredAtStart
        self.dfa = PatternDFA(program: program, sets: sets, anchoredAtStart: anchoredAtStart)
    }

    /// Compiles a pattern known to be in the subset (the generated catalog's patterns).
    init(_ source: String) {
        do {
            try self.init(compiling: source)
        } catch {
            preconditionFailure("schema pattern \(source) is outside the supported subset: \(error.message)")
        }
    }

    public var description: String { source }
}

/// A pattern outside the supported subset.
public struct SchemaPatternError: Error, Sendable, Hashable {
    /// What is not supported, and where.
    public var message: String
}

/// A set of Unicode scalars: sorted, non-overlapping closed ranges, possibly negated.
struct PatternScalarSet: Sendable {
    var ranges: [ClosedRange<UInt32>]
    var negated: Bool

    @inline(__always)
    func contains(_ scalar: UInt32) -> Bool {
        var found = false
        for r in ranges where r.contains(scalar) {
            found = true
            break
        }
        return found != negated
    }

    static let digit: [ClosedRange<UInt32>] = [48...57]
    static let word: [ClosedRange<UInt32>] = [48...57, 65...90, 95...95, 97...122]
    /// ECMA-262 WhiteSpace and LineTerminator.
    static let space: [ClosedRange<UInt32>] = [
        0x09...0x0D, 0x20...0x20, 0xA0...0xA0, 0x1680...0x1680, 0x2000...0x200A, 0x2028...0x2029,
        0x202F...0x202F, 0x205F...0x205F, 0x3000...0x3000, 0xFEFF...0xFEFF,
    ]
    /// What `.` does not match.
    static let lineTerminators: [ClosedRange<UInt32>] = [0x0A...0x0A, 0x0D...0x0D, 0x2028...0x2029]
}

/// One NFA instruction.
enum PatternInstruction: Sendable {
    /// Consume this scalar.
    case scalar(UInt32)
    /// Consume a scalar in `sets[i]`.
    case set(Int)
    /// Go on at both targets.
    case split(Int, Int)
    /// Go on at the target.
    case jump(Int)
    /// Only at the start of the input.
    case begin
    /// Only at the end of the input.
    case end
    /// The pattern matched.
    case match
}

/// The parsed pattern.
indirect enum SchemaPatternNode {
    case empty
    case scalar(UInt32)
    case set(PatternScalarSet)
    case begin
    case end
    case sequence([SchemaPatternNode])
    case alternation([SchemaPatternNode])
    case repetition(SchemaPatternNode, min: Int, max: Int?)

    var isAnchoredAtStart: Bool {
        switch self {
        case .begin: true
        case .sequence(let items): items.first?.isAnchoredAtStart ?? false
        case .alternation(let items): items.allSatisfy(\.isAnchoredAtStart)
        default: false
        }
    }
}

struct SchemaPatternCompiler {
    var program: [PatternInstruction] = []
    var sets: [PatternScalarSet] = []

    mutating func emit(_ node: SchemaPatternNode) {
        switch node {
        case .empty: break
        case .scalar(let s): program.append(.scalar(s))
        case .set(let set):
            sets.append(set)
            program.append(.set(sets.count - 1))
        case .begin: program.append(.begin)
        case .end: program.append(.end)
        case .sequence(let items): for item in items { emit(item) }
        case .alternation(let items):
            // split L1, next; L1: a; jump end; next: split L2, next2; … last alternative.
            var jumps: [Int] = []
            for (i, item) in items.enumerated() {
                if i < items.count - 1 {
                    let split = program.count
                    program.append(.split(split + 1, 0))
                    emit(item)
                    jumps.append(program.count)
                    program.append(.jump(0))
                    program[split] = .split(split + 1, program.count)
                } else {
                    emit(item)
                }
            }
            for j in jumps { program[j] = .jump(program.count) }
        case .repetition(let body, let min, let max):
            for _ in 0..<min { emit(body) }
            if let max {
                // Optional copies: split body, end … each may stop.
                var splits: [Int] = []
                for _ in min..<max {
                    splits.append(program.count)
                    program.append(.split(program.count + 1, 0))
                    emit(body)
                }
                for s in splits { program[s] = .split(s + 1, program.count) }
            } else {
                let loop = program.count
                program.append(.split(loop + 1, 0))
                emit(body)
                program.append(.jump(loop))
                program[loop] = .split(loop + 1, program.count)
            }
        }
    }
}
