import ArgumentParser
import EventStore
import FirstResponder
import Trust
import VigilEngine

/// `vigil checkpoint …`: the county's signature over the log's chain head.
struct CheckpointCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "checkpoint",
        abstract: "Sign the log's chain head with the county's Ed25519 key, so any copy can be proven the county's.",
        discussion: """
            A checkpoint is a CheckpointSigned event in the 'checkpoints' stream: the chain hash at the \
            head, signed with the private key. 'vigil verify --key PUB' then checks every checkpoint of a \
            copy (a backup, a follower, a store restored from an export) against the public key: the \
            copy is the county's log, unaltered up to its last checkpoint.
            """,
        subcommands: [NewKey.self, Sign.self, List.self]
    )

    /// `vigil checkpoint new-key FILE`.
    struct NewKey: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "new-key",
            abstract: "Create an Ed25519 signing key: FILE (private, 0600) and FILE.pub (public, to hand out).",
            discussion: """
                Both are PEM files OpenSSL reads. Keep FILE outside the data directory, on another volume \
                or in a secrets store: a copy of the data must never carry the key that could sign a \
                forged history. An existing file is never overwritten.
                """)

        @Argument(help: ArgumentHelp("Where to write the private key.", valueName: "FILE"))
        var file: String

        @Option(help: ArgumentHelp("Where to write the public key (default FILE.pub).", valueName: "PUB"))
        var publicKey: String?

        func run() throws {
            let pub = publicKey ?? file + ".pub"
            let key: CheckpointSigningKey
            do {
                key = try CheckpointSigningKey.generate(at: file, publicKeyAt: pub)
            } catch {
                throw CLIError("FILE: \(error)")
            }
            say("signing key \(key.publicKey.id) written to \(file) (mode 0600); public key in \(pub)")
        }
    }

    /// `vigil checkpoint sign --key FILE`.
    struct Sign: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "sign",
            abstract: "Append a checkpoint: the chain head signed with the private key.",
            discussion: """
                Prints the checkpoint's position, the position and chain hash it signs, and the key id. \
                When the log already ends with a checkpoint there is nothing new to sign, and nothing is \
                appended.
                """)

        @OptionGroup var store: DataOptions

        @Option(
            help: ArgumentHelp("The private signing key file (0600, outside the data directory).", valueName: "FILE"))
        var key: String

        func run() async throws {
            let signingKey = try loadSigningKey(key, dataDirectory: store.data)
            let engine = try store.engine(Engine.Options(access: .readWrite))
            defer { engine.close() }
            let outcome: CheckpointSigner.Outcome
            do {
                outcome = try await CheckpointSigner.sign(engine.store, key: signingKey, now: Timestamp.now())
            } catch {
                throw CLIError("the checkpoint was not appended: \(error)")
            }
            switch outcome {
            case .signed(let position, let statement, let keyId):
                say(
                    "checkpoint at position \(position): signed position \(statement.position) chain hash \(statement.chainHashHex) with key \(keyId)"
                )
            case .upToDate(let position):
                say("the log already ends with a checkpoint (position \(position)); nothing new to sign")
            case .emptyLog:
                throw CLIError("the log in \(store.data) is empty: there is nothing to sign")
            }
        }
    }

    /// `vigil checkpoint list`.
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list", abstract: "List the checkpoints in the log (checked only with --key).")

        @OptionGroup var store: DataOptions

        @Option(
            name: .customLong("key"),
            help: ArgumentHelp("A public key to check each checkpoint with (repeatable).", valueName: "PUB"))
        var keys: [String] = []

        func run() throws {
            let engine = try store.engine(.readOnly)
            defer { engine.close() }
            let verifier = CheckpointVerifier(keys: try loadPublicKeys(keys))
            let head = try engine.store.head().position
            for event in try engine.store.readStream(CheckpointLog.stream) {
                guard let payload = try? EventCatalog.decode(event) as? CheckpointSigned else {
                    say("\(event.position)  \(event.type): not a readable checkpoint")
                    continue
                }
                var line =
                    "\(event.position)  \(event.occurredAt.rfc3339)  signs \(payload.position) \(payload.chainHash)  key \(payload.keyId)"
                if !keys.isEmpty {
                    do {
                        _ = try verifier.check(event) { try engine.store.event(at: $0)?.hash }
                        line += "  ok"
                    } catch let failure as CheckpointFailure {
                        line += "  FAILED: \(failure.message)"
                    }
                }
                say(line)
            }
            say("head \(head)")
        }
    }
}

/// Loads a signing key for `dataDirectory`, refusing one kept inside it.
func loadSigningKey(_ path: String, dataDirectory: String) throws -> CheckpointSigningKey {
    do {
        return try CheckpointSigningKey.load(path: path, outside: dataDirectory)
    } catch {
        throw CLIError("--key: \(error)")
    }
}

/// Loads public keys given with `--key`.
func loadPublicKeys(_ paths: [String]) throws -> [CheckpointPublicKey] {
    try paths.map { path in
        do {
            return try CheckpointPublicKey.load(path: path)
        } catch {
            throw CLIError("--key: \(error)")
        }
    }
}
