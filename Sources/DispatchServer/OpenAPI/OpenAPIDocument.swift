public import FirstResponder
import Foundation

/// Builds `schemas/openapi.yaml` (OpenAPI 3.1) from the endpoints the router registers
/// (``DispatchServer/endpoints``), the command schemas in `schemas/commands/` (one operation per
/// command, its body the command's schema), the shared definitions in `schemas/defs.schema.json`, and
/// the event schemas the commands' fields refer to (`schemas/events/`, inlined where referred to: a
/// document must be whole for the tools that read it).
/// `vigil openapi` prints it; the tests check the committed file is what it prints, so the document
/// cannot drift from the server.
public enum OpenAPIDocument {
    /// What the document is built from.
    public struct Sources: Sendable {
        /// `schemas/defs.schema.json`, parsed.
        public var defs: JSONValue?
        /// `schemas/commands/<name>.schema.json`, parsed, by command name.
        public var commands: [String: JSONValue]
        /// `schemas/events/*.schema.json`, parsed, by `$id` (`urn:vigil:event:<Type>:v<N>`).
        public var events: [String: JSONValue]

        /// Sources.
        public init(defs: JSONValue?, commands: [String: JSONValue], events: [String: JSONValue] = [:]) {
            self.defs = defs
            self.commands = commands
            self.events = events
        }

        /// Reads them from a `schemas/` directory; the command schemas may not exist yet.
        public static func read(schemas directory: String) throws -> Sources {
            func parse(_ path: String) throws -> JSONValue {
                guard let data = FileManager.default.contents(atPath: path) else {
                    throw OpenAPIError("cannot read \(path)")
                }
                return try JSONValue(parsing: Array(data))
            }
            let defsPath = directory + "/defs.schema.json"
            let defs = FileManager.default.fileExists(atPath: defsPath) ? try parse(defsPath) : nil
            var commands: [String: JSONValue] = [:]
            let commandDir = directory + "/commands"
            for file in (try? FileManager.default.contentsOfDirectory(atPath: commandDir)) ?? []
            where file.hasSuffix(".schema.json") {
                commands[String(file.dropLast(".schema.json".count))] = try parse(commandDir + "/" + file)
            }
            var events: [String: JSONValue] = [:]
            let eventDir = directory + "/events"
            for file in (try? FileManager.default.contentsOfDirectory(atPath: eventDir)) ?? []
            where file.hasSuffix(".schema.json") {
                let schema = try parse(eventDir + "/" + file)
                if let id = schema.objectValue?["$id"]?.stringValue { events[id] = schema }
            }
            return Sources(defs: defs, commands: commands, events: events)
        }
    }

    /// A failure to build the document.
    public struct OpenAPIError: Error, CustomStringConvertible {
        public let description: String
        init(_ message: String) { description = message }
    }

    /// The document as YAML.
    public static func yaml(_ sources: Sources) throws -> String {
        YAMLWriter.document(try document(sources))
    }

    /// The document.
    public static func document(_ sources: Sources) throws -> JSONValue {
        var paths = JSONObject()
        for endpoint in DispatchServer.endpoints {
            if endpoint.operationId == CommandRoutes.endpoint.operationId {
                for name in CommandJSON.names where !CommandPermissions.system.contains(name) {
                    let path = endpoint.path.replacingOccurrences(of: "{command}", with: name)
                    paths.set(
                        path,
                        .object(
                            JSONObject([(endpoint.method.rawValue.lowercased(), try commandOperation(name, sources))])))
                }
                continue
            }
            var item = paths[endpoint.path]?.objectValue ?? JSONObject()
            item.set(endpoint.method.rawValue.lowercased(), try operation(endpoint))
            paths.set(endpoint.path, .object(item))
        }
        var schemas = JSONObject()
        for (name, json) in APISchemas.all { schemas.set(name, try JSONValue(parsing: json)) }
        if let defs = sources.defs?.objectValue?["$defs"]?.objectValue {
            for (name, schema) in defs { schemas.set(name, rewriteRefs(schema)) }
        }
        let problem = JSONValue.object(
            JSONObject([
                ("description", .string("A problem (RFC 9457).")),
                (
                    "content",
                    .object(
                        JSONObject([
                            (
                                "application/problem+json",
                                .object(JSONObject([("schema", ref("Problem"))]))
                            )
                        ]))
                ),
            ]))
        var responses = JSONObject()
        for (status, _) in errorStatuses { responses.set("Problem\(status)", problem) }
        return .object(
            JSONObject([
                ("openapi", .string("3.1.0")),
                (
                    "info",
                    .object(
                        JSONObject([
                            ("title", .string("Vigil dispatch API")),
                            ("version", .string("1")),
                            (
                                "description",
                                .string(
                                    "The dispatch daemon (vigil serve) of the CSEC First Responder Protocol. Every operation but the health probes needs a bearer token bound to a role (vigil token create); x-vigil-roles names the roles each operation admits. Errors are RFC 9457 problem documents. Generated by vigil openapi from the daemon's routes and schemas/: do not edit."
                                )
                            ),
                        ]))
                ),
                ("servers", .array([.object(JSONObject([("url", .string("http://127.0.0.1:8080"))]))])),
                ("security", .array([.object(JSONObject([("bearer", .array([]))]))])),
                ("paths", .object(paths)),
                (
                    "components",
                    .object(
                        JSONObject([
                            (
                                "securitySchemes",
                                .object(
                                    JSONObject([
                                        (
                                            "bearer",
                                            .object(
                                                JSONObject([
                                                    ("type", .string("http")), ("scheme", .string("bearer")),
                                                    ("description", .string("A token from vigil token create.")),
                                                ]))
                                        )
                                    ]))
                            ),
                            ("schemas", .object(schemas)),
                            ("responses", .object(responses)),
                        ]))
                ),
            ]))
    }

    /// The error statuses an operation may answer with, and when.
    static let errorStatuses: [(Int, String)] = [
        (400, "malformed request"), (401, "no valid token"), (403, "role not allowed"), (404, "not found"),
        (409, "conflicts with the log"), (412, "If-Match stale"), (413, "body too large"),
        (415, "not JSON"), (422, "invalid command"), (503, "shutting down or not ready"),
        (507, "the store's disk is full: nothing was written; retry later"),
    ]

    private static func operation(_ endpoint: Endpoint) throws -> JSONValue {
        var op = JSONObject()
        op.set("operationId", .string(endpoint.operationId))
        op.set("summary", .string(endpoint.summary))
        op.set("tags", .array([.string(endpoint.tag)]))
        var errors: [Int] = [503]
        switch endpoint.access {
        case .open:
            op.set("security", .array([]))
        case .roles(let roles):
            op.set("x-vigil-roles", .array(roles.sorted().map { .string($0.rawValue) }))
            errors = [401, 403, 503]
            if !endpoint.document.parameters.isEmpty { errors.insert(400, at: 0) }
        }
        if endpoint.logsAccess {
            op.set("x-vigil-access-logged", .bool(true))
            errors.append(507)  // the access record is written before the answer
        }
        if !endpoint.document.parameters.isEmpty {
            op.set("parameters", .array(try endpoint.document.parameters.map(parameter)))
        }
        op.set("responses", .object(try responses(endpoint.document.responses, errors: errors)))
        return .object(op)
    }

    private static func commandOperation(_ name: String, _ sources: Sources) throws -> JSONValue {
        let endpoint = CommandRoutes.endpoint
        let roles = CommandPermissions.roles(for: name)
        var op = JSONObject()
        op.set("operationId", .string(name))
        op.set("summary", .string("Run \(name)."))
        op.set("tags", .array([.string(endpoint.tag)]))
        op.set("x-vigil-roles", .array(roles.sorted().map { .string($0.rawValue) }))
        op.set("parameters", .array(try CommandRoutes.document.parameters.map(parameter)))
        let body: JSONValue
        if let schema = sources.commands[name] {
            body = requestBody(schema, events: sources.events)
        } else {
            body = .object(
                JSONObject([
                    ("type", .string("object")),
                    (
                        "description",
                        .string(
                            "The \(name) command's fields (vigil command --list; the schema comes with schemas/commands/)."
                        )
                    ),
                ]))
        }
        op.set(
            "requestBody",
            .object(
                JSONObject([
                    ("required", .bool(true)),
                    ("content", .object(JSONObject([("application/json", .object(JSONObject([("schema", body)])))]))),
                ])))
        op.set(
            "responses",
            .object(
                try responses(
                    CommandRoutes.document.responses, errors: [400, 401, 403, 409, 412, 413, 415, 422, 503, 507])))
        return .object(op)
    }

    /// A command's schema as a request body: `command`, `actor` and `occurredAt` may be left out
    /// (the path, the token and the daemon's clock give them).
    private static func requestBody(_ schema: JSONValue, events: [String: JSONValue]) -> JSONValue {
        guard var object = rewriteRefs(schema, events: events).objectValue else { return schema }
        var kept = JSONObject()
        for (key, value) in object where key != "$schema" && key != "$id" { kept.set(key, value) }
        object = kept
        if let required = object["required"], case .array(let names) = required {
            object.set(
                "required", .array(names.filter { !["command", "actor", "occurredAt"].contains($0.stringValue ?? "") }))
        }
        return .object(object)
    }

    private static func parameter(_ p: OperationDocument.Parameter) throws -> JSONValue {
        .object(
            JSONObject([
                ("name", .string(p.name)), ("in", .string(p.location.rawValue)),
                ("description", .string(p.description)),
                ("required", .bool(p.required)), ("schema", try JSONValue(parsing: p.schema)),
            ]))
    }

    private static func responses(_ documented: [OperationDocument.Response], errors: [Int]) throws -> JSONObject {
        var out = JSONObject()
        for response in documented {
            var r = JSONObject([("description", .string(response.description))])
            if !response.headers.isEmpty {
                var headers = JSONObject()
                for (name, description) in response.headers {
                    headers.set(
                        name,
                        .object(
                            JSONObject([
                                ("description", .string(description)),
                                ("schema", .object(JSONObject([("type", .string("string"))]))),
                            ])))
                }
                r.set("headers", .object(headers))
            }
            if let content = response.content {
                r.set(
                    "content",
                    .object(
                        JSONObject([
                            (
                                content.mediaType,
                                .object(JSONObject([("schema", try JSONValue(parsing: content.schema))]))
                            )
                        ])))
            }
            out.set(String(response.status), .object(r))
        }
        for status in errors where out[String(status)] == nil {
            out.set(String(status), .object(JSONObject([("$ref", .string("#/components/responses/Problem\(status)"))])))
        }
        return out
    }

    private static func ref(_ name: String) -> JSONValue {
        .object(JSONObject([("$ref", .string("#/components/schemas/\(name)"))]))
    }

    /// `urn:vigil:schema:defs#/$defs/X` and `#/$defs/X` → `#/components/schemas/X`; a reference into
    /// an event's schema (`urn:vigil:event:T:v1#/properties/p`) is replaced by what it points to, with
    /// the referring object's other keywords (its description) kept.
    static func rewriteRefs(_ value: JSONValue, events: [String: JSONValue] = [:]) -> JSONValue {
        switch value {
        case .object(let object):
            var out = JSONObject()
            if case .string(let target) = object["$ref"], target.hasPrefix("urn:vigil:event:"),
                let resolved = resolve(target, events)?.objectValue
            {
                out = rewriteRefs(.object(resolved), events: events).objectValue ?? JSONObject()
                for (key, member) in object where key != "$ref" { out.set(key, rewriteRefs(member, events: events)) }
                return .object(out)
            }
            for (key, member) in object {
                if key == "$ref", case .string(let target) = member, let hash = target.range(of: "#/$defs/") {
                    out.set(key, .string("#/components/schemas/" + target[hash.upperBound...]))
                } else {
                    out.set(key, rewriteRefs(member, events: events))
                }
            }
            return .object(out)
        case .array(let items):
            return .array(items.map { rewriteRefs($0, events: events) })
        default:
            return value
        }
    }

    /// What `urn:vigil:event:T:vN#/json/pointer` points to in the event schemas.
    private static func resolve(_ reference: String, _ events: [String: JSONValue]) -> JSONValue? {
        let parts = reference.split(separator: "#", maxSplits: 1).map(String.init)
        guard var node = events[parts[0]] else { return nil }
        let pointer = parts.count > 1 ? parts[1] : ""
        for token in pointer.split(separator: "/") {
            let key = token.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
            switch node {
            case .object(let object):
                guard let next = object[key] else { return nil }
                node = next
            case .array(let items):
                guard let index = Int(key), items.indices.contains(index) else { return nil }
                node = items[index]
            default:
                return nil
            }
        }
        return node
    }
}
