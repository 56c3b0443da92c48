/// A pattern's NFA made deterministic over ASCII input (subset construction, once, when the pattern
/// is compiled): matching an ASCII string is then one table lookup per byte instead of advancing
/// every live NFA instruction. Same answers as the NFA (``SchemaPattern/matches(_:)`` runs the NFA
/// for the empty string and for any input with a non-ASCII byte), tested against it on every
/// catalog pattern.
///
/// States are sets of NFA instructions: those that consume a scalar (or match), and the `$`
/// anchors reached (which pass only at the end of the input). The NFA re-enters the pattern at
/// every position when it is not anchored at the start (search semantics), and `^` passes only at
/// position 0 — so only the first state is built with `^` passing.
struct PatternDFA: Sendable {
    /// `transitions[state << 7 | byte]`: the next state, or ``dead``.
    private let transitions: [UInt16]
    /// Whether a state holds the match: the pattern matched, whatever follows.
    private let acceptsNow: [Bool]
    /// Whether a state matches when the input ends there (its `$` anchors pass).
    private let acceptsAtEnd: [Bool]

    static let dead = UInt16.max
    /// The most states built; a pattern needing more keeps only its NFA.
    static let maxStates = 2_048

    /// The automaton of `program`, or `nil` when it would need more than ``maxStates`` states.
    init?(program: [PatternInstruction], sets: [PatternScalarSet], anchoredAtStart: Bool) {
        struct State: Hashable {
            var consuming: [Int]
            var endAnchors: [Int]
        }
        /// The instructions reached from `starts` without consuming.
        func closure(_ starts: [Int], beginPasses: Bool, endPasses: Bool) -> State {
            var seen = Set<Int>()
            var consuming = Set<Int>()
            var endAnchors = Set<Int>()
            var stack = starts
            while let pc = stack.popLast() {
                guard seen.insert(pc).inserted else { continue }
                switch program[pc] {
                case .jump(let target): stack.append(target)
                case .split(let a, let b): stack.append(contentsOf: [b, a])
                case .begin: if beginPasses { stack.append(pc + 1) }
                case .end: if endPasses { stack.append(pc + 1) } else { endAnchors.insert(pc) }
                case .scalar, .set, .match: consuming.insert(pc)
                }
            }
            return State(consuming: consuming.sorted(), endAnchors: endAnchors.sorted())
        }
        func holdsMatch(_ pcs: [Int]) -> Bool { pcs.contains { program[$0].isMatch } }

        var states = [closure([0], beginPasses: true, endPasses: false)]
        var ids = [states[0]: 0]
        var transitions: [UInt16] = []
        var acceptsNow: [Bool] = []
        var acceptsAtEnd: [Bool] = []
        var next = 0
        while next < states.count {
            let state = states[next]
            next += 1
            let now = holdsMatch(state.consuming)
            acceptsNow.append(now)
            acceptsAtEnd.append(
                now
                    || holdsMatch(
                        closure(state.endAnchors.map { $0 + 1 }, beginPasses: false, endPasses: true).consuming)
            )
            var row = [UInt16](repeating: Self.dead, count: 128)
            // A state that holds the match ends the run: it needs no transitions.
            if !now {
                for byte in 0..<UInt32(128) {
                    var starts: [Int] = []
                    for pc in state.consuming {
                        let consumed: Bool
                        switch program[pc] {
                        case .scalar(let s): consumed = s == byte
                        case .set(let k): consumed = sets[k].contains(byte)
                        default: consumed = false
                        }
                        if consumed { starts.append(pc + 1) }
                    }
                    if !anchoredAtStart { starts.append(0) }
                    let target = closure(starts, beginPasses: false, endPasses: false)
                    if target.consuming.isEmpty && target.endAnchors.isEmpty { continue }
                    if let id = ids[target] {
                        row[Int(byte)] = UInt16(id)
                    } else {
                        guard states.count < Self.maxStates else { return nil }
                        ids[target] = states.count
                        row[Int(byte)] = UInt16(states.count)
                        states.append(target)
                    }
                }
            }
            transitions += row
        }
        self.transitions = transitions
        self.acceptsNow = acceptsNow
        self.acceptsAtEnd = acceptsAtEnd
    }

    /// Whether the pattern matches `utf8` (at least one byte), or `nil` at its first non-ASCII byte
    /// (the NFA decides).
    func matches(_ utf8: UnsafeBufferPointer<UInt8>) -> Bool? {
        guard !utf8.isEmpty else { return nil }
        if acceptsNow[0] { return true }
        let last = utf8.count - 1
        var state = 0
        for i in 0...last {
            let byte = utf8[i]
            guard byte < 0x80 else { return nil }
            let target = transitions[state << 7 | Int(byte)]
            // No live instruction left: the NFA stops here too (every byte so far was ASCII).
            if target == Self.dead { return false }
            state = Int(target)
            if i == last ? acceptsAtEnd[state] : acceptsNow[state] { return true }
        }
        return false
    }
}
