import Foundation

/// Progress of a long fold on standard error, one plain line every two seconds (rate and time
/// left); nothing for work that ends sooner. Standard output stays the command's data.
final class ProgressLines {
    private let title: String
    private let started = Date()
    private var lastShown = Date()

    init(_ title: String) { self.title = title }

    func update(_ done: UInt64, of total: UInt64) {
        let now = Date()
        guard now.timeIntervalSince(lastShown) >= 2, total > 0 else { return }
        lastShown = now
        let elapsed = now.timeIntervalSince(started)
        let rate = elapsed > 0 ? Double(done) / elapsed : 0
        let left = rate > 0 ? Double(total - min(total, done)) / rate : 0
        printError(
            "\(title): \(done * 100 / total)% (\(done) of \(total) events), \(Int(rate)) events/s, about \(Int(left.rounded())) s left"
        )
    }

    func finish() {}
}
