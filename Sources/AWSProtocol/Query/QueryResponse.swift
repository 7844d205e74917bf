/// Responses and errors of the AWS query protocol, shaped as botocore's query parser reads them.
public enum QueryResponse {
    /// `<{Action}Response xmlns=…><{Action}Result>…</{Action}Result><ResponseMetadata>…</…></…>`;
    /// operations without output members get no Result element.
    public static func success(action: String, namespace: String, result: [XMLNode]?, requestId: String) -> APIResponse {
        var children: [XMLNode] = []
        if let result { children.append(XMLNode("\(action)Result", result)) }
        children.append(XMLNode("ResponseMetadata", [XMLNode("RequestId", text: requestId)]))
        let root = XMLNode("\(action)Response", attributes: [("xmlns", namespace)], children)
        return APIResponse(status: 200, headers: [("content-type", "text/xml")], body: Array(root.xml.utf8))
    }

    /// The same, with the result's members already written as XML (`QueryXMLEncoder`).
    public static func success(action: String, namespace: String, resultXML: String?, requestId: String) -> APIResponse {
        var xml = "<\(action)Response xmlns=\"\(XMLNode.escape(namespace))\">"
        if let resultXML { xml += "<\(action)Result>" + resultXML + "</\(action)Result>" }
        xml += "<ResponseMetadata><RequestId>\(XMLNode.escape(requestId))</RequestId></ResponseMetadata></\(action)Response>"
        return APIResponse(status: 200, headers: [("content-type", "text/xml")], body: Array(xml.utf8))
    }

    /// `<ErrorResponse xmlns=…><Error><Type>Sender</Type><Code>…</Code><Message>…</Message></Error><RequestId>…</…>`.
    public static func error(_ error: AWSError, namespace: String, requestId: String) -> APIResponse {
        let root = XMLNode("ErrorResponse", attributes: [("xmlns", namespace)], [
            XMLNode("Error", [
                XMLNode("Type", text: error.status >= 500 ? "Receiver" : "Sender"),
                XMLNode("Code", text: error.code),
                XMLNode("Message", text: error.message),
            ]),
            XMLNode("RequestId", text: requestId),
        ])
        var headers = error.headers.map { (name: $0.key, value: $0.value) }
        headers.append(("content-type", "text/xml"))
        return APIResponse(status: error.status, headers: headers, body: Array(root.xml.utf8))
    }
}
