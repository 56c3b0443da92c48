import ArgumentParser
import VigilEngine

/// `--data DIR`, shared by every command, and the one way a command opens it: through the
/// composition root (``Engine``), so every command sees the store with the same views and wiring.
struct DataOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The data directory.", valueName: "DIR"))
    var data: String = "./vigil-data"

    /// Opens the data directory (by default for writing, creating the store when missing).
    func engine(_ options: Engine.Options = Engine.Options()) throws -> Engine {
        do {
            return try Engine.open(directory: data, options: options)
        } catch {
            throw CLIError(error.message)
        }
    }
}
