import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// The dispatcher's page: `GET /` (redirects to `/dispatch/`), `/dispatch/`, and its script and style
/// sheet — plain HTML, CSS and JavaScript kept in `Sources/DispatchServer/Page/`, no build step.
///
/// The files carry no data and need no token; the page asks for one (or takes it from the URL's
/// fragment, which browsers never send) and reads everything else through the API with it. A
/// strict Content-Security-Policy lets the page load only its own script and style and talk only to
/// this daemon.
struct PageRoutes {
    let accessLog: AccessLog
    let files: PageFiles

    static let document = OperationDocument(responses: [
        .init(200, "the page", content: ("text/html", ##"{"type": "string"}"##))
    ])
    static let root = Endpoint(
        .get, "/", operationId: "root", summary: "Redirects to the dispatcher's page.", tag: "page", access: .open,
        document: OperationDocument(responses: [.init(302, "to /dispatch/", headers: [("Location", "/dispatch/")])]))
    static let page = Endpoint(
        .get, "/dispatch/", operationId: "dispatchPage", summary: "The dispatcher's page.", tag: "page", access: .open,
        document: document)
    static let script = Endpoint(
        .get, "/dispatch/dispatch.js", operationId: "dispatchScript", summary: "The page's script.", tag: "page",
        access: .open,
        document: OperationDocument(responses: [
            .init(200, "the script", content: ("text/javascript", ##"{"type": "string"}"##))
        ]))
    static let style = Endpoint(
        .get, "/dispatch/dispatch.css", operationId: "dispatchStyle", summary: "The page's style sheet.", tag: "page",
        access: .open,
        document: OperationDocument(responses: [
            .init(200, "the style sheet", content: ("text/css", ##"{"type": "string"}"##))
        ]))

    static let icon = Endpoint(
        .get, "/favicon.ico", operationId: "favicon", summary: "No icon (204), so browsers stop asking.", tag: "page",
        access: .open, document: OperationDocument(responses: [.init(204, "no icon")]))

    static let endpoints = [root, page, script, style, icon]

    func register(on router: Router<VigilRequestContext>) {
        router.add(Self.root, accessLog: accessLog) { _, _ in
            Response(status: .found, headers: [.location: "/dispatch/"])
        }
        router.add(Self.page, accessLog: accessLog) { _, _ in
            Self.response(files.html, type: "text/html; charset=utf-8")
        }
        router.add(Self.script, accessLog: accessLog) { _, _ in
            Self.response(files.script, type: "text/javascript; charset=utf-8")
        }
        router.add(Self.icon, accessLog: accessLog) { _, _ in
            Response(status: .noContent, headers: [.cacheControl: "max-age=86400"])
        }
        router.add(Self.style, accessLog: accessLog) { _, _ in
            Self.response(files.style, type: "text/css; charset=utf-8")
        }
    }

    static func response(_ bytes: [UInt8], type: String) -> Response {
        Response(
            status: .ok,
            headers: [
                .contentType: type, .cacheControl: "no-cache",
                .contentSecurityPolicy:
                    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
                .xContentTypeOptions: "nosniff", .referrerPolicy: "no-referrer",
            ],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}

/// The page's three files, read once when the daemon starts.
struct PageFiles: Sendable {
    let html: [UInt8]
    let script: [UInt8]
    let style: [UInt8]

    /// The files shipped with the daemon (the `DispatchServer` module's resources).
    static let bundled: PageFiles = {
        func read(_ name: String, _ ext: String) -> [UInt8] {
            guard let url = Bundle.module.url(forResource: name, withExtension: ext, subdirectory: "Page"),
                let data = try? Data(contentsOf: url)
            else {
                let missing = "the dispatcher's page is missing from this build (Page/\(name).\(ext))"
                return Array("<!doctype html><title>Vigil</title><p>\(missing)</p>".utf8)
            }
            return Array(data)
        }
        return PageFiles(html: read("index", "html"), script: read("dispatch", "js"), style: read("dispatch", "css"))
    }()
}

extension HTTPField.Name {
    static let contentSecurityPolicy = HTTPField.Name("Content-Security-Policy")!
    static let xContentTypeOptions = HTTPField.Name("X-Content-Type-Options")!
    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
}
