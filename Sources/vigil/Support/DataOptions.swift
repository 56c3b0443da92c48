import ArgumentParser
import EventStore
import FirstResponder
import LMDB

/// `--data DIR`, shared by every command.
struct DataOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The data directory.", valueName: "DIR"))
    var data: String = "./vigil-data"

    /// Opens the store for writing, creating it when missing.
    func openForWriting(mapSize: Int = 64 << 20) throws -> EventStore {
        do {
            var options = EventStore.Options()
            options.environment.mapSize = mapSize
            return try EventStore.open(directory: data, options: options)
        } catch {
            throw CLIError("cannot open the store in \(data): \(error)")
        }
    }

    /// Opens (creating) the store with the domain's inline projections — the durable timer index —
    /// for the commands that write domain events. `clock` and `idSeed` make a simulation repeatable.
    func openDomainStore(
        clock: (@Sendable () -> Timestamp)? = nil,
        idSeed: UInt64? = nil
    ) throws -> (store: EventStore, timers: TimerIndex) {
        let timers = TimerIndex()
        var options = EventStore.Options(inlineProjections: [timers], idSeed: idSeed)
        if let clock { options.clock = clock }
        do {
            return (try EventStore.open(directory: data, options: options), timers)
        } catch {
            throw CLIError("cannot open the store in \(data): \(error)")
        }
    }

    /// Opens an existing store for reading; a missing store is an error, and nothing is created.
    func openExisting() throws -> EventStore {
        var options = EventStore.Options()
        options.environment.readOnly = true
        do {
            return try EventStore.open(directory: data, options: options)
        } catch let error as EventStoreError where error.code == .notFound {
            throw CLIError("no Vigil store in \(data): give --data DIR, or create one with 'vigil import'")
        } catch {
            throw CLIError("cannot open the store in \(data): \(error)")
        }
    }
}
