import AWSProtocol
import Catalog

extension LambdaService {
    /// `POST /2015-03-31/functions` → 201 FunctionConfiguration.
    func createFunction(_ request: APIRequest) async throws -> APIResponse {
        let body = try decode(CreateFunctionRequest.self, from: request)
        guard let name = body.FunctionName else {
            throw LambdaError.invalidParameter("FunctionName is a required parameter.")
        }
        guard let code = body.Code else {
            throw LambdaError.invalidParameter("Code is a required parameter.")
        }
        try checkSnapStart(body.SnapStart)
        let input = CreateFunctionInput(
            functionName: name,
            settings: FunctionSettings(body),
            zipFile: code.ZipFile.map { Array($0) },
            s3Location: code.S3Bucket.map { "s3://\($0)/\(code.S3Key ?? "")" },
            packageType: body.PackageType ?? (code.ImageUri != nil ? "Image" : nil),
            architectures: body.Architectures,
            tags: body.Tags ?? [:],
            publish: body.Publish ?? false
        )
        let definition = try await catalog.create(input)
        return try .json(FunctionConfiguration(definition, arns: catalog.arns), status: 201)
    }
}
