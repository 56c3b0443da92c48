import ArgumentParser
import DispatchServer
import Foundation

/// `vigil openapi`: the API's OpenAPI document, generated from the daemon's routes and `schemas/`.
struct OpenAPICommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "openapi",
        abstract: "Print the HTTP API's OpenAPI 3.1 document (schemas/openapi.yaml is this output).",
        discussion: """
            Built from the routes the daemon registers (their roles, parameters and responses) and the \
            schemas in --schemas DIR: one operation per protocol command, its body the command's JSON \
            Schema. With --check FILE, exits 1 when FILE is not what it would print.
            """
    )

    @Option(help: ArgumentHelp("The schemas directory.", valueName: "DIR"))
    var schemas = "schemas"

    @Option(help: ArgumentHelp("Compare with this file instead of printing.", valueName: "FILE"))
    var check: String?

    func run() throws {
        let document = try OpenAPIDocument.yaml(try OpenAPIDocument.Sources.read(schemas: schemas))
        guard let check else {
            print(document, terminator: "")
            return
        }
        let committed = FileManager.default.contents(atPath: check).map { String(decoding: $0, as: UTF8.self) }
        guard committed == document else {
            throw CLIError("\(check) is stale: regenerate it with 'vigil openapi > \(check)'")
        }
        printError("\(check) is up to date")
    }
}
