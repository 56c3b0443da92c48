import CJemalloc

/// The memory allocator serving the process. The vigil binary links Debian's jemalloc
/// (`libjemalloc-dev`, `Sources/CJemalloc`), whose `malloc` and `free` then replace glibc's for the
/// whole process — the Swift runtime's allocations included. Measured against glibc's on this
/// project's two-core machines, the same code linked with and without it (five pairs each): the
/// daemon 1.016× the commands per second at 0.986× the CPU, a rebuild of every view 1.011× the events
/// per second; the daemon holds about 25 MiB more (README, "Replay performance" and "The daemon under
/// load", 4 December).
///
/// Every benchmark's output names it (``name``), so a figure says which allocator it was measured
/// with, and a build in which jemalloc did not take over says so rather than passing for one.
enum Allocator {
    /// `jemalloc <version>` when jemalloc serves `malloc` (checked by allocating through `malloc` and
    /// seeing jemalloc count it), else `system malloc`.
    static let name: String = {
        guard vigil_jemalloc_serves_malloc(4096) != 0, let version = vigil_jemalloc_version() else {
            return "system malloc"
        }
        let full = String(cString: version)
        // "5.3.0-0-g54eaed1d…": the release, without the commit.
        return "jemalloc " + (full.split(separator: "-").first.map(String.init) ?? full)
    }()
}
