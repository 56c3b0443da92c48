import ArgumentParser
import EventStore
import FirstResponder
import VigilEngine

/// `vigil vault …`: the personal-data vault, where a youth's identifying details live encrypted with
/// a key per youth (sealing a record destroys the key: `vigil command` with `seal-record`).
struct VaultCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vault",
        abstract: "A youth's identifying details, encrypted with a key per youth; never in the log.",
        subcommands: [NewKey.self, Store.self, Show.self, Verify.self]
    )

    /// `vigil vault new-key FILE`.
    struct NewKey: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "new-key",
            abstract: "Create a master key file (0600, 64 hex digits). Keep it outside the data directory.")

        @Argument(
            help: ArgumentHelp("Where to write the key; an existing file is never overwritten.", valueName: "FILE"))
        var file: String

        func run() throws {
            var rng = SystemRandomNumberGenerator()
            do {
                try MasterKey.generate(at: file, using: &rng)
            } catch {
                throw CLIError("FILE: \(error)")
            }
            say("master key written to \(file) (mode 0600); back it up apart from the data")
        }
    }

    struct KeyOptions: ParsableArguments {
        @Option(help: ArgumentHelp("The vault's master key file.", valueName: "FILE"))
        var keyFile: String

        /// Opens the data directory with the vault.
        func engine(_ data: DataOptions) throws -> (Engine, PersonalDataVault) {
            let engine = try data.engine(Engine.Options(masterKeyPath: keyFile))
            guard let vault = engine.vault else { throw CLIError("--key-file: the vault did not open") }
            return (engine, vault)
        }
    }

    /// `vigil vault store YOUTHREF [FILE|-]`: the details as JSON from a file or standard input.
    struct Store: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "store", abstract: "Record (or update) a youth's identifying details, encrypted.",
            discussion: """
                The details come as one JSON object from FILE or standard input, never on the command line \
                (where ps and the shell's history would show them): {"givenName": "…", "familyName": "…", \
                "dateOfBirth": "YYYY-MM-DD", "phone": "…" (optional), "notes": "…" (optional)}.
                """)

        @OptionGroup var data: DataOptions
        @OptionGroup var key: KeyOptions
        @Argument(help: "The youth's pseudonymous reference (Y-…).")
        var youthRef: String
        @Argument(help: ArgumentHelp("The details as a JSON object, or - for standard input.", valueName: "FILE|-"))
        var file: String = "-"

        // The old flags put names and dates of birth on the command line; they are refused by name.
        @Option(help: .hidden) var givenName: String?
        @Option(help: .hidden) var familyName: String?
        @Option(help: .hidden) var dateOfBirth: String?
        @Option(help: .hidden) var phone: String?
        @Option(help: .hidden) var notes: String?

        func validate() throws {
            let given: [(String, String?)] = [
                ("--given-name", givenName), ("--family-name", familyName), ("--date-of-birth", dateOfBirth),
                ("--phone", phone), ("--notes", notes),
            ]
            if let flag = given.first(where: { $0.1 != nil })?.0 {
                throw ValidationError(
                    "\(flag): a youth's details are not taken on the command line, where ps and the shell's history "
                        + "would show them; give them as JSON in a file or on standard input: vigil vault store "
                        + "--key-file K YOUTHREF details.json (or - for standard input), with {\"givenName\": …, "
                        + "\"familyName\": …, \"dateOfBirth\": \"YYYY-MM-DD\", \"phone\": …, \"notes\": …}")
            }
        }

        func run() throws {
            let details = try YouthDetailsInput.read(file)
            let (engine, vault) = try key.engine(data)
            defer { engine.close() }
            var rng = SystemRandomNumberGenerator()
            do {
                let version = try vault.store(details, for: youthRef, using: &rng)
                say("stored the details of \(youthRef) (record version \(version)), encrypted")
            } catch {
                throw CLIError("\(error)")
            }
        }
    }

    /// `vigil vault verify`: every record opened with the master key.
    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "verify",
            abstract: "Open every record of the vault with the master key; each must authenticate.",
            discussion: """
                'vigil verify' checks the vault's files and the layout of its records without the key; this \
                reads every record with it, so a changed byte inside a ciphertext, or a record moved under \
                another youth's reference, is found. Exit status 0 when every record opens, 2 when one does not.
                """)

        @OptionGroup var data: DataOptions
        @OptionGroup var key: KeyOptions

        func run() throws {
            let (engine, vault) = try key.engine(data)
            defer { engine.close() }
            let report: VaultCheckReport
            do {
                report = try vault.authenticate()
            } catch {
                throw CLIError("\(error)")
            }
            guard report.isValid else {
                say(
                    "FAILED: \(report.problems.count) of the vault's records do not open (generation \(report.generation))"
                )
                for problem in report.problems { say("  \(problem)") }
                throw ExitCode(2)
            }
            say(
                "ok: the details of \(report.youths) youths open with the master key; \(report.sealed) sealed "
                    + "(generation \(report.generation))")
        }
    }

    /// `vigil vault show YOUTHREF`.
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show", abstract: "Print a youth's details, or that the record was sealed.")

        @OptionGroup var data: DataOptions
        @OptionGroup var key: KeyOptions
        @Argument(help: "The youth's pseudonymous reference (Y-…).")
        var youthRef: String

        func run() throws {
            let (engine, vault) = try key.engine(data)
            defer { engine.close() }
            let read: VaultRead
            do {
                read = try vault.read(youthRef)
            } catch {
                throw CLIError("\(error)")
            }
            switch read {
            case .details(let d):
                say(String(decoding: d.jsonBytes(youthRef: youthRef), as: UTF8.self))
            case .sealed(let info):
                say("sealed: \(info)")
            case .unknown:
                throw CLIError("YOUTHREF: the vault holds no details for \(youthRef)")
            }
        }
    }
}
