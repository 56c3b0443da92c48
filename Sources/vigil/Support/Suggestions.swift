import ArgumentParser

/// "Did you mean …?" for a mistyped subcommand (ArgumentParser suggests options itself).
enum Suggestions {
    /// When `arguments` name a subcommand that does not exist (`vigil improt`, `vigil log shwo`), the
    /// error to print: what was wrong, the nearest names, and every subcommand of that level.
    static func unknownSubcommand(_ arguments: [String], root: any ParsableCommand.Type) -> String? {
        var command = root
        var path = [root._commandName]
        for argument in arguments {
            let subcommands = command.configuration.subcommands
            // An option, or a command that takes arguments rather than subcommands: parsing decides.
            if argument.hasPrefix("-") || subcommands.isEmpty || argument == "help" { return nil }
            if let next = subcommands.first(where: { names($0).contains(argument) }) {
                command = next
                path.append(argument)
                continue
            }
            let known = subcommands.map { $0._commandName }
            let parent = path.joined(separator: " ")
            var suggestions: [String] = []
            for name in nearest(argument, in: known) { suggestions.append("'\(parent) \(name)'") }
            let hint = suggestions.isEmpty ? "" : " Did you mean \(suggestions.joined(separator: " or "))?"
            return "Error: '\(argument)' is not a command of '\(parent)'.\(hint)\n"
                + "  Its commands: \(known.joined(separator: ", ")). See '\(parent) --help'."
        }
        return nil
    }

    /// The candidates within a small edit distance of `word` (or that it starts or ends), nearest first.
    static func nearest(_ word: String, in candidates: [String]) -> [String] {
        let scored = candidates.map { ($0, distance(word.lowercased(), $0.lowercased())) }
        let limit = max(1, min(3, word.count / 3))
        let close = scored.filter { $0.1 <= limit }
        if let best = close.map(\.1).min() {
            return close.filter { $0.1 == best }.map(\.0)
        }
        // `vigil imp` or `vigil simulation`: a prefix either way.
        return candidates.filter {
            word.count >= 3 && ($0.hasPrefix(word) || word.hasPrefix($0))
        }
    }

    /// Optimal string alignment distance: insertions, deletions, substitutions and swaps of two
    /// neighbours each cost 1 (so `improt` is one step from `import`).
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a)
        let b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var d = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { d[i][0] = i }
        for j in 0...b.count { d[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
                }
            }
        }
        return d[a.count][b.count]
    }

    private static func names(_ command: any ParsableCommand.Type) -> [String] {
        [command._commandName] + command.configuration.aliases
    }
}
