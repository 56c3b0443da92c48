public import HTTPTypes

/// One operation of the API: its method and path, who may call it, and what the OpenAPI document says
/// about it. The routes register themselves from these values and `schemas/openapi.yaml` is generated
/// from the same values, so the document cannot drift from the server.
public struct Endpoint: Sendable {
    /// Who may call an endpoint.
    public enum Access: Sendable, Equatable {
        /// Anyone, without a token (health probes only).
        case open
        /// Holders of a valid token with one of these roles.
        case roles(Set<Role>)
    }

    /// The HTTP method.
    public var method: HTTPRequest.Method
    /// The path, with `{name}` for a parameter (OpenAPI's form, which the router also reads).
    public var path: String
    /// The OpenAPI operationId; also the action the access log records.
    public var operationId: String
    /// One line about it.
    public var summary: String
    /// The OpenAPI tag it is listed under.
    public var tag: String
    /// Who may call it.
    public var access: Access
    /// Whether every call is written to the access log (reads of a case's or a youth's details).
    public var logsAccess: Bool
    /// Whether it answers from the views the daemon folds after each commit, which lag the log: it
    /// then takes `minPosition` (``ViewConsistency``), so a client reads its own writes.
    public var readsViews: Bool
    /// The document's description of its parameters, body and responses.
    public var document: OperationDocument

    /// An endpoint; one that `readsViews` gets the `minPosition` parameter in its document.
    public init(
        _ method: HTTPRequest.Method, _ path: String, operationId: String, summary: String, tag: String,
        access: Access, logsAccess: Bool = false, readsViews: Bool = false,
        document: OperationDocument = OperationDocument()
    ) {
        self.method = method
        self.path = path
        self.operationId = operationId
        self.summary = summary
        self.tag = tag
        self.access = access
        self.logsAccess = logsAccess
        self.readsViews = readsViews
        self.document = document
        if readsViews { self.document.parameters.append(ViewConsistency.parameter) }
    }

    /// Whether `role` may call it.
    public func allows(_ role: Role) -> Bool {
        switch access {
        case .open: true
        case .roles(let roles): roles.contains(role)
        }
    }
}

/// What the OpenAPI document says about an operation beyond its path and roles.
public struct OperationDocument: Sendable {
    /// A parameter in the path, query or headers.
    public struct Parameter: Sendable {
        /// Where it goes.
        public enum Location: String, Sendable {
            case path
            case query
            case header
        }

        /// Its name.
        public var name: String
        /// Where it goes.
        public var location: Location
        /// What it is.
        public var description: String
        /// Its JSON Schema, as JSON text.
        public var schema: String
        /// Whether it must be given.
        public var required: Bool

        /// A parameter.
        public init(_ name: String, in location: Location, _ description: String, schema: String, required: Bool) {
            self.name = name
            self.location = location
            self.description = description
            self.schema = schema
            self.required = required
        }
    }

    /// A response.
    public struct Response: Sendable {
        /// Its status.
        public var status: Int
        /// What it means.
        public var description: String
        /// Its media type and the JSON Schema of its body (JSON text, or a `$ref`), if it has one.
        public var content: (mediaType: String, schema: String)?
        /// Headers it sets, by name, with their description.
        public var headers: [(String, String)]

        /// A response.
        public init(
            _ status: Int, _ description: String, content: (mediaType: String, schema: String)? = nil,
            headers: [(String, String)] = []
        ) {
            self.status = status
            self.description = description
            self.content = content
            self.headers = headers
        }
    }

    /// Its parameters.
    public var parameters: [Parameter]
    /// The JSON Schema of the request body (JSON text, or a `$ref`), if it takes one.
    public var requestBody: String?
    /// Its success responses (the error responses every operation shares are added by the generator).
    public var responses: [Response]

    /// A description.
    public init(parameters: [Parameter] = [], requestBody: String? = nil, responses: [Response] = []) {
        self.parameters = parameters
        self.requestBody = requestBody
        self.responses = responses
    }
}
