/// The JSON Schemas of the API's own documents (the command bodies and the events come from
/// `schemas/`): `components/schemas` of the OpenAPI document, referenced by the endpoints as
/// `#/components/schemas/<name>`.
enum APISchemas {
    static let all: [(name: String, json: String)] = [
        (
            "Problem",
            #"""
            {"type": "object", "description": "An error (RFC 9457 problem details).",
             "required": ["type", "title", "status", "detail"],
             "properties": {
               "type": {"type": "string", "description": "urn:vigil:problem:<kind>; clients match on it."},
               "title": {"type": "string"}, "status": {"type": "integer"}, "detail": {"type": "string"},
               "pointer": {"type": "string", "description": "JSON pointer of the failing body field."},
               "requestId": {"type": "string"},
               "allowedRoles": {"type": "array", "items": {"type": "string"}},
               "currentETags": {"type": "array", "items": {"type": "string"}}}}
            """#
        ),
        (
            "CommandResult",
            #"""
            {"type": "object", "description": "What a command appended, once durable.",
             "required": ["command", "alreadyStored", "events"],
             "properties": {
               "command": {"type": "string"},
               "alreadyStored": {"type": "boolean", "description": "A retry: nothing was written; these are the first answer's events."},
               "events": {"type": "array", "items": {"type": "object",
                 "required": ["type", "stream", "position", "version", "id"],
                 "properties": {"type": {"type": "string"}, "stream": {"type": "string"},
                   "position": {"type": "integer", "minimum": 1}, "version": {"type": "integer", "minimum": 1},
                   "id": {"type": "string", "format": "uuid"}, "data": {"type": "object"}}}}}}
            """#
        ),
        (
            "LogEvent",
            #"""
            {"type": "object", "description": "A stored event with its envelope, as vigil export writes it.",
             "required": ["position", "stream", "version", "id", "type", "schemaVersion", "occurredAt", "recordedAt", "actor", "hash"],
             "properties": {
               "position": {"type": "integer", "minimum": 1}, "stream": {"type": "string"},
               "version": {"type": "integer", "minimum": 1}, "id": {"type": "string", "format": "uuid"},
               "type": {"type": "string"}, "schemaVersion": {"type": "integer", "minimum": 1},
               "occurredAt": {"type": "string", "format": "date-time"}, "recordedAt": {"type": "string", "format": "date-time"},
               "actor": {"type": "string"}, "correlationId": {"type": "string", "format": "uuid"},
               "causationId": {"type": "string", "format": "uuid"}, "data": {}, "hash": {"type": "string"}}}
            """#
        ),
        (
            "EventPage",
            #"""
            {"type": "object", "required": ["events", "next", "head"],
             "properties": {
               "events": {"type": "array", "items": {"$ref": "#/components/schemas/LogEvent"}},
               "next": {"type": "integer", "minimum": 0, "description": "The position to ask after next."},
               "head": {"type": "integer", "minimum": 0, "description": "The log's last position."}}}
            """#
        ),
        (
            "Identity",
            #"""
            {"type": "object", "required": ["actor", "role", "tokenId"],
             "properties": {"actor": {"type": "string"},
               "role": {"type": "string", "enum": ["dispatcher", "responder", "supervisor", "analyst", "auditor", "admin"]},
               "tokenId": {"type": "string"}}}
            """#
        ),
        (
            "CommandList",
            #"""
            {"type": "object", "required": ["commands"],
             "properties": {"commands": {"type": "array", "items": {"type": "object",
               "required": ["name", "roles", "allowed"],
               "properties": {"name": {"type": "string"}, "roles": {"type": "array", "items": {"type": "string"}},
                 "allowed": {"type": "boolean", "description": "Whether the caller's role may run it."}}}}}}
            """#
        ),
        (
            "AccessRecordPage",
            #"""
            {"type": "object", "required": ["records"],
             "properties": {"records": {"type": "array", "items": {"type": "object",
               "required": ["position", "occurredAt", "recordedAt", "actor", "record", "hash"],
               "properties": {"position": {"type": "integer"}, "occurredAt": {"type": "string", "format": "date-time"},
                 "recordedAt": {"type": "string", "format": "date-time"}, "actor": {"type": "string"},
                 "record": {"type": "object"}, "hash": {"type": "string"}}}}}}
            """#
        ),
    ]
}
