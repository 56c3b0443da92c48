import EventStore
public import Hummingbird
import NIOCore

/// An error as the API reports it: an RFC 9457 problem document (`application/problem+json`).
///
/// ```json
/// {"type": "urn:vigil:problem:invalid-command", "title": "invalid command", "status": 422,
///  "detail": "ResponderAssigned: overrideReason is required when mode is manual",
///  "pointer": "/overrideReason", "requestId": "…"}
/// ```
///
/// `type` names the kind of problem (stable; clients match on it), `title` is its summary, `detail`
/// says what was wrong with this request, `pointer` is the JSON pointer of the failing field of the
/// request body when one is at fault. Extension members carry what a client needs to act: the
/// versions to retry with after a 409 or 412, the roles that may call a route after a 403.
///
/// Every error is mapped to a problem in one place, ``Problem/init(_:)`` (Problem+Mapping.swift).
public struct Problem: Error, HTTPResponseError, Sendable {
    /// The HTTP status.
    public var status: HTTPResponse.Status
    /// The kind of problem, e.g. `invalid-command` (the type URI is `urn:vigil:problem:<kind>`).
    public var kind: String
    /// The problem kind's summary, the same for every occurrence.
    public var title: String
    /// What was wrong with this request, for a person.
    public var detail: String
    /// The JSON pointer of the failing request-body field, if one is at fault.
    public var pointer: String?
    /// Further members (numbers, strings, arrays of strings), e.g. `currentVersion`.
    public var extensions: [(String, ProblemValue)]
    /// Response headers to send with it (`WWW-Authenticate`, `ETag`, `Retry-After`).
    public var headers: HTTPFields

    /// A problem.
    public init(
        _ status: HTTPResponse.Status, kind: String, title: String, detail: String, pointer: String? = nil,
        extensions: [(String, ProblemValue)] = [], headers: HTTPFields = [:]
    ) {
        self.status = status
        self.kind = kind
        self.title = title
        self.detail = detail
        self.pointer = pointer
        self.extensions = extensions
        self.headers = headers
    }

    /// The problem's type URI.
    public var type: String { "urn:vigil:problem:\(kind)" }

    /// The problem document.
    public func json(requestId: String? = nil) -> [UInt8] {
        var w = JSONWriter()
        w.beginObject()
        w.field("type", type)
        w.field("title", title)
        w.field("status", Int(status.code))
        w.field("detail", detail)
        if let pointer { w.field("pointer", pointer) }
        for (key, value) in extensions {
            w.key(key)
            value.write(&w)
        }
        if let requestId { w.field("requestId", requestId) }
        w.endObject()
        return w.bytes
    }

    /// The response: the problem document with its headers.
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        response(requestId: nil)
    }

    /// The response, naming the request's id.
    func response(requestId: String?) -> Response {
        var fields = headers
        fields[.contentType] = "application/problem+json"
        fields[.cacheControl] = "no-store"
        return Response(
            status: status, headers: fields,
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: json(requestId: requestId))))
    }
}

/// A problem's extension member value.
public enum ProblemValue: Sendable {
    case string(String)
    case integer(Int64)
    case strings([String])
    case object([(String, ProblemValue)])

    func write(_ w: inout JSONWriter) {
        switch self {
        case .string(let s): w.string(s)
        case .integer(let n): w.number(n)
        case .strings(let list):
            w.beginArray()
            for s in list { w.string(s) }
            w.endArray()
        case .object(let members):
            w.beginObject()
            for (k, v) in members {
                w.key(k)
                v.write(&w)
            }
            w.endObject()
        }
    }
}
