import JSONText

/// Validates segment documents as the X-Ray API does (the "Segment documents" schema): required fields, id and
/// trace id formats, names, times, flags, annotations, embedded subsegments. A rejection names the field.
public enum SegmentParser {
    /// X-Ray's limit on one segment document.
    public static let maxDocumentBytes = 64 * 1024
    static let maxNameLength = 200
    static let maxAnnotationKeyLength = 500
    static let maxDepth = 32

    /// Parses and validates one document.
    public static func parse(_ text: some Collection<UInt8>) -> Result<SegmentDocument, SegmentRejection> {
        guard text.count <= maxDocumentBytes else {
            return .failure(SegmentRejection(id: nil, errorCode: "SegmentTooLarge",
                                             message: "Segment document exceeds \(maxDocumentBytes) bytes."))
        }
        guard let json = JSONText(parsing: text), case .object = json else {
            return .failure(SegmentRejection(id: nil, errorCode: "InvalidSegment",
                                             message: "Invalid segment. ErrorCode: InvalidSegment, Cause: the document is not a JSON object"))
        }
        do {
            var parsed = try document(json)
            parsed.source = String(decoding: text, as: UTF8.self)
            return .success(parsed)
        } catch let rejection as SegmentRejection {
            return .failure(rejection)
        } catch {
            return .failure(SegmentRejection(id: nil, errorCode: "InvalidSegment", message: "\(error)"))
        }
    }

    public static func parse(_ text: String) -> Result<SegmentDocument, SegmentRejection> {
        parse(Array(text.utf8))
    }

    static func document(_ json: JSONText) throws -> SegmentDocument {
        let idValue = json["id"]?.stringValue
        var isSubsegment = false
        if let type = json["type"] {
            guard type.stringValue == "subsegment" else {
                throw SegmentRejection.invalid("InvalidType", id: idValue, subsegment: false,
                                               cause: "type must be \"subsegment\" when present")
            }
            isSubsegment = true
        }
        var facts = Facts()
        do {
            try common(json, subsegment: isSubsegment, facts: &facts, depth: 0)
        } catch var rejection as SegmentRejection {
            // A fault inside an embedded subsegment is reported against the document sent, whose id the caller knows.
            if let idValue, TraceID.isSegmentId(idValue) { rejection.id = idValue }
            throw rejection
        }
        let id = idValue ?? ""
        guard let traceValue = json["trace_id"] else {
            throw SegmentRejection.invalid("MissingTraceId", id: id, subsegment: isSubsegment, cause: "trace_id is required")
        }
        guard let traceId = traceValue.stringValue, TraceID.isValid(traceId) else {
            throw SegmentRejection.invalid("InvalidTraceId", id: id, subsegment: isSubsegment,
                                           cause: "trace_id must be 1-<8 hex digits>-<24 hex digits>")
        }
        var parentId: String?
        if let parent = json["parent_id"] {
            guard let value = parent.stringValue, TraceID.isSegmentId(value) else {
                throw SegmentRejection.invalid("InvalidParentId", id: id, subsegment: isSubsegment, cause: "parent_id must be 16 hex digits")
            }
            parentId = value
        } else if isSubsegment {
            throw SegmentRejection.invalid("MissingParentId", id: id, subsegment: true,
                                           cause: "parent_id is required for an independent subsegment")
        }
        var origin: String?
        if let value = json["origin"] {
            guard let text = value.stringValue else {
                throw SegmentRejection.invalid("InvalidOrigin", id: id, subsegment: isSubsegment, cause: "origin must be a string")
            }
            origin = text
        }
        var user: String?
        if let value = json["user"] {
            guard let text = value.stringValue else {
                throw SegmentRejection.invalid("InvalidUser", id: id, subsegment: isSubsegment, cause: "user must be a string")
            }
            user = text
        }
        let http = json["http"].map(Self.http) ?? SegmentHTTP()
        return SegmentDocument(
            id: id, traceId: traceId, name: json["name"]?.stringValue ?? "", parentId: parentId, isSubsegment: isSubsegment,
            startTime: json["start_time"]?.numberValue ?? 0, endTime: json["end_time"]?.numberValue,
            inProgress: json["in_progress"]?.boolValue ?? false,
            error: json["error"]?.boolValue ?? false, fault: json["fault"]?.boolValue ?? false,
            throttle: json["throttle"]?.boolValue ?? false,
            anyError: facts.error, anyFault: facts.fault, anyThrottle: facts.throttle,
            origin: origin, user: user, http: http, annotations: facts.annotations,
            accountId: json["aws"]?["account_id"]?.stringValue, resourceARN: json["resource_arn"]?.stringValue,
            subsegmentIds: facts.subsegmentIds, json: json)
    }

    /// What a document's subsegments add up to.
    struct Facts {
        var error = false
        var fault = false
        var throttle = false
        var annotations: [String: AnnotationValue] = [:]
        var subsegmentIds: [String] = []
    }

    /// The fields every segment and subsegment has: name, id, times, flags, annotations; then its subsegments.
    static func common(_ json: JSONText, subsegment: Bool, facts: inout Facts, depth: Int) throws {
        guard case .object = json else {
            throw SegmentRejection.invalid("InvalidSubsegment", id: nil, subsegment: true, cause: "a subsegment must be a JSON object")
        }
        guard let idValue = json["id"] else {
            throw SegmentRejection.invalid("MissingId", id: nil, subsegment: subsegment, cause: "id is required")
        }
        guard let id = idValue.stringValue, TraceID.isSegmentId(id) else {
            throw SegmentRejection.invalid("InvalidId", id: idValue.stringValue, subsegment: subsegment, cause: "id must be 16 hex digits")
        }
        guard let nameValue = json["name"] else {
            throw SegmentRejection.invalid("MissingName", id: id, subsegment: subsegment, cause: "name is required")
        }
        guard let name = nameValue.stringValue, isValidName(name) else {
            throw SegmentRejection.invalid("InvalidName", id: id, subsegment: subsegment,
                                           cause: "name must be 1 to \(maxNameLength) letters, numbers, whitespace or _ . : / % & # = + \\ - @")
        }
        guard let startValue = json["start_time"] else {
            throw SegmentRejection.invalid("MissingStartTime", id: id, subsegment: subsegment, cause: "start_time is required")
        }
        guard let start = startValue.numberValue, start >= 0 else {
            throw SegmentRejection.invalid("InvalidStartTime", id: id, subsegment: subsegment,
                                           cause: "start_time must be a number of seconds since the epoch")
        }
        var inProgress = false
        if let value = json["in_progress"] {
            guard let flag = value.boolValue else {
                throw SegmentRejection.invalid("InvalidInProgress", id: id, subsegment: subsegment, cause: "in_progress must be a boolean")
            }
            inProgress = flag
        }
        if let endValue = json["end_time"] {
            guard let end = endValue.numberValue, end >= start else {
                throw SegmentRejection.invalid("InvalidEndTime", id: id, subsegment: subsegment,
                                               cause: "end_time must be a number of seconds since the epoch, not before start_time")
            }
            if inProgress {
                throw SegmentRejection.invalid("InvalidEndTime", id: id, subsegment: subsegment,
                                               cause: "end_time cannot be set on a segment in_progress")
            }
        } else if !inProgress {
            throw SegmentRejection.invalid("MissingEndTime", id: id, subsegment: subsegment,
                                           cause: "end_time is required unless in_progress is true")
        }
        for (field, code) in [("error", "InvalidError"), ("fault", "InvalidFault"), ("throttle", "InvalidThrottle")] {
            guard let value = json[field] else { continue }
            guard let flag = value.boolValue else {
                throw SegmentRejection.invalid(code, id: id, subsegment: subsegment, cause: "\(field) must be a boolean")
            }
            if flag {
                switch field {
                case "error": facts.error = true
                case "fault": facts.fault = true
                default: facts.throttle = true
                }
            }
        }
        if let annotations = json["annotations"] {
            guard case .object(let fields) = annotations else {
                throw SegmentRejection.invalid("InvalidAnnotations", id: id, subsegment: subsegment, cause: "annotations must be an object")
            }
            for field in fields {
                guard isValidAnnotationKey(field.key) else {
                    throw SegmentRejection.invalid("InvalidAnnotations", id: id, subsegment: subsegment,
                                                   cause: "annotation key \(field.key) must be up to \(maxAnnotationKeyLength) letters, numbers or _")
                }
                switch field.value {
                case .string(let s): facts.annotations[field.key] = .string(s)
                case .number(let n): facts.annotations[field.key] = .number(Double(n) ?? 0)
                case .bool(let b): facts.annotations[field.key] = .bool(b)
                default:
                    throw SegmentRejection.invalid("InvalidAnnotations", id: id, subsegment: subsegment,
                                                   cause: "annotation \(field.key) must be a string, number or boolean")
                }
            }
        }
        if let http = json["http"], !isObject(http) {
            throw SegmentRejection.invalid("InvalidHttp", id: id, subsegment: subsegment, cause: "http must be an object")
        }
        if let aws = json["aws"], !isObject(aws) {
            throw SegmentRejection.invalid("InvalidAws", id: id, subsegment: subsegment, cause: "aws must be an object")
        }
        if let metadata = json["metadata"], !isObject(metadata) {
            throw SegmentRejection.invalid("InvalidMetadata", id: id, subsegment: subsegment, cause: "metadata must be an object")
        }
        if let subsegments = json["subsegments"] {
            guard case .array(let items) = subsegments else {
                throw SegmentRejection.invalid("InvalidSubsegments", id: id, subsegment: subsegment, cause: "subsegments must be an array")
            }
            guard depth < maxDepth else {
                throw SegmentRejection.invalid("InvalidSubsegments", id: id, subsegment: subsegment,
                                               cause: "subsegments are nested deeper than \(maxDepth)")
            }
            for item in items {
                try common(item, subsegment: true, facts: &facts, depth: depth + 1)
                if let childId = item["id"]?.stringValue { facts.subsegmentIds.append(childId) }
            }
        }
    }

    static func isObject(_ json: JSONText) -> Bool {
        if case .object = json { return true }
        return false
    }

    /// 1–200 Unicode letters, numbers and whitespace, and `_ . : / % & # = + \ - @`.
    static func isValidName(_ name: String) -> Bool {
        let count = name.count
        guard count >= 1, count <= maxNameLength else { return false }
        return name.allSatisfy { $0.isLetter || $0.isNumber || $0.isWhitespace || nameSymbols.contains($0) }
    }

    static let nameSymbols: Set<Character> = ["_", ".", ":", "/", "%", "&", "#", "=", "+", "\\", "-", "@"]

    /// Annotation keys: alphanumerics and underscores, at most 500 characters.
    static func isValidAnnotationKey(_ key: String) -> Bool {
        !key.isEmpty && key.count <= maxAnnotationKeyLength
            && key.unicodeScalars.allSatisfy { ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) || $0 == "_" }
    }

    static func http(_ json: JSONText) -> SegmentHTTP {
        let request = json["request"]
        let status = json["response"]?["status"]?.numberValue
        return SegmentHTTP(method: request?["method"]?.stringValue, url: request?["url"]?.stringValue,
                           userAgent: request?["user_agent"]?.stringValue, clientIp: request?["client_ip"]?.stringValue,
                           status: status.map { Int($0) })
    }
}
