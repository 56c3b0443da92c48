import ArgumentParser
import DispatchServer
import EventStore

/// `vigil token create|list|revoke`: the daemon's API tokens.
struct TokenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "Make, list and revoke the API's bearer tokens (each bound to one role).",
        discussion: """
            Tokens live in DIR/tokens.json (mode 0600) as SHA-256 hashes only: a token is printed once, \
            when it is made. The daemon reads the file again when it changes, so a new or revoked token \
            takes effect on the next request. Roles: \
            \(Role.allCases.map { "\($0.rawValue) (\($0.summary))" }.joined(separator: "; ")).
            """,
        subcommands: [Create.self, List.self, Revoke.self]
    )

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make a token and print it (once); only its hash is stored.")

        @OptionGroup var store: DataOptions

        @Option(help: "The role: \(Role.allCases.map(\.rawValue).joined(separator: ", ")).")
        var role: String

        @Option(help: "Who holds it: a staff id such as dispatcher-7 (recorded as user:dispatcher-7 on what it does).")
        var name: String

        @Flag(help: "The holder is an integration, recorded as service:NAME, not a person.")
        var service = false

        func validate() throws {
            guard Role(rawValue: role) != nil else {
                throw ValidationError(
                    "--role: expected one of \(Role.allCases.map(\.rawValue).joined(separator: ", ")), got \(role)")
            }
        }

        func run() throws {
            let actor = (service ? "service:" : "user:") + name
            do {
                let (token, record) = try TokenFile.create(in: store.data, actor: actor, role: Role(rawValue: role)!)
                say(token)
                printError(
                    "token \(record.id) for \(record.actor), role \(record.role.rawValue): shown once, keep it secret")
            } catch {
                throw CLIError(error.message)
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List tokens: id, holder, role, made, revoked.")

        @OptionGroup var store: DataOptions

        @Flag(help: "One JSON object per token.")
        var json = false

        func run() throws {
            let records: [TokenRecord]
            do {
                records = try TokenFile.list(in: store.data)
            } catch {
                throw CLIError(error.message)
            }
            for record in records {
                if json {
                    var w = JSONWriter()
                    w.beginObject()
                    w.field("id", record.id)
                    w.field("actor", record.actor)
                    w.field("role", record.role.rawValue)
                    w.field("createdAt", record.createdAt)
                    w.key("revokedAt")
                    if let revoked = record.revokedAt { w.string(revoked) } else { w.null() }
                    w.endObject()
                    say(String(decoding: w.bytes, as: UTF8.self))
                } else {
                    let state = record.revokedAt.map { "revoked \($0)" } ?? "active"
                    say(
                        "\(record.id)  \(record.role.rawValue.padding(10))  \(record.actor.padding(28))  made \(record.createdAt)  \(state)"
                    )
                }
            }
            if records.isEmpty && !json {
                printError("no tokens in \(store.data): 'vigil token create --role R --name N'")
            }
        }
    }

    struct Revoke: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a token by its id; it stops working at once.")

        @OptionGroup var store: DataOptions

        @Argument(help: ArgumentHelp("The token's id (tok-…), as 'vigil token list' shows it.", valueName: "ID"))
        var id: String

        func run() throws {
            do {
                let record = try TokenFile.revoke(id: id, in: store.data)
                say("revoked \(record.id) (\(record.actor), \(record.role.rawValue)) at \(record.revokedAt ?? "")")
            } catch {
                throw CLIError(error.message)
            }
        }
    }
}

extension String {
    fileprivate func padding(_ width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
