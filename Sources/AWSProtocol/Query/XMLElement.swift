/// A small XML tree for query-protocol responses: elements with text or children, written with escaping.
public struct XMLNode: Sendable {
    public var name: String
    public var text: String?
    public var children: [XMLNode]
    public var attributes: [(name: String, value: String)]

    public init(_ name: String, text: String) {
        self.name = name
        self.text = text
        self.children = []
        self.attributes = []
    }

    public init(_ name: String, attributes: [(name: String, value: String)] = [], _ children: [XMLNode] = []) {
        self.name = name
        self.text = nil
        self.children = children
        self.attributes = attributes
    }

    /// An element holding `text`, or nothing when `text` is nil (optional members are left out).
    public static func optional(_ name: String, _ text: String?) -> [XMLNode] {
        text.map { [XMLNode(name, text: $0)] } ?? []
    }

    /// A list the query protocol writes as `<Name><member>…</member>…</Name>`.
    public static func list(_ name: String, _ members: [XMLNode]) -> XMLNode {
        XMLNode(name, members.map { member in
            var m = member
            m.name = "member"
            return m
        })
    }

    public func write(into out: inout String) {
        out += "<" + name
        for attribute in attributes {
            out += " \(attribute.name)=\"\(Self.escape(attribute.value))\""
        }
        if let text {
            out += ">" + Self.escape(text) + "</" + name + ">"
        } else if children.isEmpty {
            out += "/>"
        } else {
            out += ">"
            for child in children { child.write(into: &out) }
            out += "</" + name + ">"
        }
    }

    public var xml: String {
        var out = ""
        write(into: &out)
        return out
    }

    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\r": out += "&#xD;"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
