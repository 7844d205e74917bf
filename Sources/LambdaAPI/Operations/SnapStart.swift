import AWSProtocol
import Catalog

extension LambdaService {
    /// Swiftlet takes no snapshots yet: `ApplyOn: None` (what every function has) is accepted; `PublishedVersions` is
    /// refused as AWS refuses it for a runtime without SnapStart, rather than accepted and silently not done; any
    /// other value breaks the member's enum.
    func checkSnapStart(_ snapStart: SnapStart?) throws {
        guard let applyOn = snapStart?.ApplyOn else { return }
        switch applyOn {
        case "None":
            return
        case "PublishedVersions":
            throw LambdaError.invalidParameter(
                "SnapStart is not supported on this platform yet: SnapStart.ApplyOn must be None.")
        default:
            throw LambdaError.validation(field: "snapStart.applyOn", value: applyOn,
                                         constraint: "Member must satisfy enum value set: [PublishedVersions, None]")
        }
    }
}
