extension SchemaPattern {
    /// Whether the pattern matches somewhere in `text` (JSON Schema's search semantics; anchor
    /// with `^…$` to match the whole string).
    public func matches(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { utf8 in
            if let dfa, let answer = dfa.matches(utf8) { return answer }
            return matchesByNFA(utf8)
        }
    }

    /// Whether the pattern matches `utf8`, by the NFA alone (the reference the DFA is tested against).
    func matchesByNFA(_ utf8: UnsafeBufferPointer<UInt8>) -> Bool {
        withUnsafeTemporaryAllocation(of: Int32.self, capacity: program.count * 3) { scratch in
            run(utf8, scratch)
        }
    }

    /// Thompson NFA simulation: the set of live instructions advances one scalar at a time.
    private func run(_ utf8: UnsafeBufferPointer<UInt8>, _ scratch: UnsafeMutableBufferPointer<Int32>) -> Bool {
        let n = program.count
        // scratch: [current list | next list | generation marks]
        let base = scratch.baseAddress!
        var current = base
        var next = base + n
        let marks = base + 2 * n
        marks.initialize(repeating: -1, count: n)
        var currentCount = 0
        var nextCount = 0
        var generation: Int32 = 0
        let end = utf8.count

        func add(_ list: UnsafeMutablePointer<Int32>, _ count: inout Int, _ pc: Int, _ position: Int) {
            if marks[pc] == generation { return }
            marks[pc] = generation
            switch program[pc] {
            case .jump(let target): add(list, &count, target, position)
            case .split(let a, let b):
                add(list, &count, a, position)
                add(list, &count, b, position)
            case .begin: if position == 0 { add(list, &count, pc + 1, position) }
            case .end: if position == end { add(list, &count, pc + 1, position) }
            case .scalar, .set, .match:
                list[count] = Int32(pc)
                count += 1
            }
        }

        add(current, &currentCount, 0, 0)
        var position = 0
        while true {
            for i in 0..<currentCount where program[Int(current[i])].isMatch { return true }
            if position == end { return false }
            let (scalar, width) = decode(utf8, at: position)
            position += width
            generation += 1
            nextCount = 0
            for i in 0..<currentCount {
                let pc = Int(current[i])
                let consumed: Bool
                switch program[pc] {
                case .scalar(let s): consumed = s == scalar
                case .set(let k): consumed = sets[k].contains(scalar)
                default: consumed = false
                }
                if consumed { add(next, &nextCount, pc + 1, position) }
            }
            if !anchoredAtStart { add(next, &nextCount, 0, position) }
            if nextCount == 0 { return false }
            swap(&current, &next)
            currentCount = nextCount
        }
    }

    @inline(__always)
    private func decode(_ utf8: UnsafeBufferPointer<UInt8>, at i: Int) -> (UInt32, Int) {
        let b0 = UInt32(utf8[i])
        if b0 < 0x80 { return (b0, 1) }
        if b0 < 0xE0 { return ((b0 & 0x1F) << 6 | UInt32(utf8[i + 1] & 0x3F), 2) }
        if b0 < 0xF0 {
            return ((b0 & 0x0F) << 12 | UInt32(utf8[i + 1] & 0x3F) << 6 | UInt32(utf8[i + 2] & 0x3F), 3)
        }
        return (
            (b0 & 0x07) << 18 | UInt32(utf8[i + 1] & 0x3F) << 12 | UInt32(utf8[i + 2] & 0x3F) << 6
                | UInt32(utf8[i + 3] & 0x3F), 4
        )
    }
}

extension PatternInstruction {
    var isMatch: Bool {
        if case .match = self { return true }
        return false
    }
}
