public import EventStore

extension CaseFile {
    /// Reads and folds the stream of `caseId`, up to and including `version` (the whole stream by
    /// default). A case that was never reported comes back empty (``exists`` is false).
    public static func load(_ caseId: CaseID, from store: EventStore, throughVersion version: UInt64 = .max) throws
        -> CaseFile
    {
        var file = CaseFile(caseId: caseId)
        let limit = version >= UInt64(Int.max) ? Int.max : Int(version)
        for recorded in try store.readStream(Self.stream(caseId), limit: limit) {
            file.apply(recorded)
        }
        return file
    }

    /// What a dispatch policy reads about `request` when it decides at `instant`: the recovery's
    /// area, station, language, age and AWOL status, and the responders already tried.
    ///
    /// The command that decides and the audit that re-runs the decision both build the request here,
    /// so they cannot read it differently.
    public func dispatchRequest(_ request: RequestFile, at instant: Timestamp) -> DispatchRequest? {
        guard let recovery else { return nil }
        var tried: [String: String] = [:]
        for entry in request.tried where tried[entry.responderId.rawValue] == nil {
            tried[entry.responderId.rawValue] = entry.reasonCode
        }
        return DispatchRequest(
            caseId: caseId.rawValue, requestId: request.requestId.rawValue, role: request.role.rawValue,
            area: recovery.area.rawValue, station: recovery.station, language: recovery.language,
            youthRef: recovery.youthRef.rawValue, age: recovery.ageAtContact, awol: recovery.awol ?? false,
            at: instant, alreadyTried: tried)
    }

    /// The id the next request of the case gets: `RQ-<case key>-<n>` (`RQ-2026A00017-1`).
    public var nextRequestId: RequestID {
        RequestID(uncheckedRawValue: "RQ-\(key)-\(requests.count + 1)")
    }

    /// The id of `request`'s next acknowledgement timer: `T-<case key>-<n>-ACK-<k>`.
    public func nextAckTimerId(for request: RequestFile) -> TimerID {
        TimerID(uncheckedRawValue: "T-\(key)-\(request.number)-ACK-\(request.ackTimersScheduled + 1)")
    }

    /// The id of the on-scene timer of the request numbered `number`: `T-<case key>-<n>-SCENE`.
    public func onSceneTimerId(requestNumber number: Int) -> TimerID {
        TimerID(uncheckedRawValue: "T-\(key)-\(number)-SCENE")
    }

    /// The id of the case's timer of `kind` that belongs to no request: `T-<case key>-P72` (protocol
    /// window), `-H72` (health evaluation), `-HOT` (immediate hotline referral).
    public func caseTimerId(_ kind: TimerKind) -> TimerID {
        let suffix =
            switch kind {
            case .protocol72: "P72"
            case .health72: "H72"
            case .hotlineImmediate: "HOT"
            case .ackTimeout: "ACK"
            case .advocateOnScene, .agencyOnScene: "SCENE"
            }
        return TimerID(uncheckedRawValue: "T-\(key)-\(suffix)")
    }
}
