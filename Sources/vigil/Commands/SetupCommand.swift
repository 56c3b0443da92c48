import ArgumentParser
import EventStore
import FirstResponder
import Foundation
import VigilEngine

/// `vigil setup county FILE`: loads a county's reference data.
struct SetupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "setup",
        abstract: "Set up a county's reference data.",
        subcommands: [County.self]
    )

    /// `vigil setup county FILE|los-angeles [--actor user:…] [--dry-run]`.
    struct County: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Load a county's areas, agencies, stations and courses (schemas/county.schema.json).",
            discussion: """
                Registers every code of the list the log lacks (or has retired) and renames those whose \
                name changed, each through its register or rename command and the same rules; codes \
                already registered as listed are left alone, so loading a list again writes nothing. A \
                list that would move a registered station to another agency or area is refused before \
                anything is written. 'los-angeles' loads the shipped Los Angeles County list \
                (counties/los-angeles.json): the eight Service Planning Areas, the Sheriff's stations, \
                the LAPD's areas and Long Beach PD's divisions.
                """
        )

        @OptionGroup var store: DataOptions

        @Option(help: ArgumentHelp("Who loads it: a staff reference.", valueName: "ACTOR"))
        var actor = "user:county-admin"

        @Flag(help: "Print what would be written, and write nothing.")
        var dryRun = false

        @Argument(help: ArgumentHelp("The county list (JSON), or los-angeles for the shipped one.", valueName: "FILE"))
        var file: String

        func run() async throws {
            let list = try load()
            let engine = try store.engine()
            defer { engine.close() }
            let handler = engine.commands
            let envelope = CommandEnvelope(occurredAt: Timestamp.now(), actor: actor)
            let commands: [any Command]
            do {
                commands = try list.plan(against: try handler.countyRegistry(), envelope: envelope)
            } catch let conflict as CountyList.Conflict {
                throw CLIError("\(file): \(conflict); nothing was written")
            }
            var counts: [String: Int] = [:]
            for command in commands {
                if dryRun {
                    say(String(decoding: CommandJSON.encode(command) ?? [], as: UTF8.self))
                } else {
                    do {
                        _ = try await handler.handle(command)
                    } catch {
                        throw CLIError(
                            "\(command.name): \(error); \(counts.values.reduce(0, +)) commands before it were written")
                    }
                }
                counts[command.name, default: 0] += 1
            }
            let done = counts.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
            let verb = dryRun ? "would run" : "ran"
            say(
                "\(list.county): \(list.areas.count) areas, \(list.agencies.count) agencies, \(list.stations.count) "
                    + "stations, \(list.courses.count) courses; \(commands.isEmpty ? "nothing to do" : "\(verb) \(done)")"
            )
        }

        private func load() throws -> CountyList {
            do {
                if file == "los-angeles" { return try CountyList.shipped("los-angeles.json") }
                let data: Data
                do {
                    data = try Data(contentsOf: URL(fileURLWithPath: file))
                } catch {
                    throw CLIError("cannot read \(file): \(error.localizedDescription)")
                }
                return try CountyList(json: Array(data))
            } catch let error as DomainValidationError {
                throw CLIError("\(file): \(error)")
            }
        }
    }
}
