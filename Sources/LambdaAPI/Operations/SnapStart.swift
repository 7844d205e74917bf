import AWSProtocol
import Catalog

extension LambdaService {
    /// `SnapStart.ApplyOn` must be one of its enum's values; whether the function's runtime supports it is the
    /// catalog's check (it knows the runtime an update keeps).
    func checkSnapStart(_ snapStart: SnapStart?) throws {
        guard let applyOn = snapStart?.ApplyOn else { return }
        guard applyOn == "None" || applyOn == "PublishedVersions" else {
            throw LambdaError.validation(field: "snapStart.applyOn", value: applyOn,
                                         constraint: "Member must satisfy enum value set: [PublishedVersions, None]")
        }
    }
}
