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
               "role": {"type": "string", "enum": ["dispatcher", "responder", "supervisor", "analyst", "auditor", "admin", "replica"]},
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
        (
            "Clock",
            #"""
            {"type": "object", "required": ["now", "rate"],
             "properties": {"now": {"type": "string", "format": "date-time"},
               "rate": {"type": "number", "exclusiveMinimum": 0, "description": "Seconds of the daemon's clock per wall-clock second: 1 but for a demonstration."}}}
            """#
        ),
        (
            "CaseBoard",
            #"""
            {"type": "object", "description": "The live case board: open cases, most urgent first (vigil views show case-board --json).",
             "required": ["now", "position", "lag", "cases", "byPhase", "atRisk"],
             "properties": {
               "now": {"type": "string", "format": "date-time", "description": "The moment the board was evaluated at."},
               "position": {"type": "integer", "minimum": 0, "description": "The last log position in the views."},
               "lag": {"type": "integer", "minimum": 0, "description": "Events the views are behind the log."},
               "byPhase": {"type": "object", "additionalProperties": {"type": "integer"}},
               "atRisk": {"type": "integer", "minimum": 0, "description": "Cases with a clock at risk."},
               "cases": {"type": "array", "items": {"type": "object",
                 "required": ["caseId", "phase", "youthRef", "agency", "station", "area", "contactAt", "requestedRoles", "requests", "clocks", "atRisk"],
                 "properties": {
                   "caseId": {"type": "string"}, "phase": {"type": "string"}, "youthRef": {"type": "string"},
                   "agency": {"type": "string"}, "station": {"type": "string"}, "area": {"type": "string"},
                   "contactAt": {"type": "string", "format": "date-time"},
                   "requestedRoles": {"type": "array", "items": {"type": "string"}},
                   "atRisk": {"type": "boolean"},
                   "requests": {"type": "array", "items": {"type": "object",
                     "required": ["requestId", "role", "phase", "escalationLevel", "deadlineAt", "atRisk"],
                     "properties": {
                       "requestId": {"type": "string"}, "role": {"type": "string"},
                       "phase": {"type": "string", "enum": ["awaiting", "dispatched", "on-scene"]},
                       "responderId": {"type": "string"},
                       "responderStatus": {"type": "string", "enum": ["notified", "acknowledged", "en-route", "on-scene"]},
                       "rosterStatus": {"type": "string"}, "escalationLevel": {"type": "integer", "minimum": 0},
                       "deadlineAt": {"type": "string", "format": "date-time"},
                       "expectedAt": {"type": "string", "format": "date-time"}, "atRisk": {"type": "boolean"}}}},
                   "clocks": {"type": "array", "items": {"type": "object",
                     "required": ["serviceLevel", "startedAt", "deadlineAt", "secondsLeft", "status", "atRisk"],
                     "properties": {
                       "serviceLevel": {"type": "string"}, "requestId": {"type": "string"},
                       "startedAt": {"type": "string", "format": "date-time"},
                       "deadlineAt": {"type": "string", "format": "date-time"},
                       "secondsLeft": {"type": "integer", "description": "Negative once breached."},
                       "status": {"type": "string", "enum": ["open", "breached"]}, "atRisk": {"type": "boolean"}}}}}}}}}
            """#
        ),
        (
            "RosterBoard",
            #"""
            {"type": "object", "description": "Responders and their status (vigil views show roster --json).",
             "required": ["now", "position", "responders", "counts"],
             "properties": {
               "now": {"type": "string", "format": "date-time"}, "position": {"type": "integer", "minimum": 0},
               "counts": {"type": "object", "required": ["onShift", "available", "committed", "off"],
                 "properties": {"onShift": {"type": "integer"}, "available": {"type": "integer"},
                   "committed": {"type": "integer"}, "off": {"type": "integer"}}},
               "responders": {"type": "array", "items": {"type": "object",
                 "required": ["responderId", "role", "organization", "status", "since", "shift", "areas", "languages"],
                 "properties": {
                   "responderId": {"type": "string"}, "role": {"type": "string"}, "organization": {"type": "string"},
                   "status": {"type": "string"}, "since": {"type": "string"},
                   "shift": {"type": "string", "enum": ["on-duty", "on-call", "time-off", "off-shift"]},
                   "shiftEndsAt": {"type": "string"}, "activeCase": {"type": "string"},
                   "areas": {"type": "array", "items": {"type": "string"}},
                   "languages": {"type": "array", "items": {"type": "string"}}}}}}}
            """#
        ),
        (
            "CaseFile",
            #"""
            {"type": "object", "description": "One case: its record as the views hold it (times in microseconds since 1970) and every dispatch decision recorded for it.",
             "required": ["case", "decisions", "position", "streamVersion"],
             "properties": {
               "case": {"type": "object", "required": ["caseId", "youthRef", "requests", "lifecycle"]},
               "decisions": {"type": "array", "items": {"$ref": "#/components/schemas/LogEvent"}},
               "position": {"type": "integer", "minimum": 0, "description": "The views' log position."},
               "streamVersion": {"type": "integer", "minimum": 1, "description": "The case stream's version (its ETag)."}}}
            """#
        ),
    ]
}
