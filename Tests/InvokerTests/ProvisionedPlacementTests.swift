import BlobStore
@testable import Catalog
import Foundation
@testable import Invoker
import Testing

/// How a provisioned configuration is cut into units of work (one per environment) and how the units a node holds
/// become the environments it keeps.
@Suite struct ProvisionedPlacementTests {
    static func config(_ function: String, _ qualifier: String, _ requested: Int) -> ProvisionedConcurrencyConfig {
        ProvisionedConcurrencyConfig(functionName: function, qualifier: qualifier, requested: requested, lastModified: Date())
    }

    static func version(_ number: String) -> FunctionDefinition {
        var definition = CodePrefetchTests.function(code: BlobDigest(of: Data("code".utf8)), layers: [])
        definition.publishedVersion = Int(number)
        return definition
    }

    @Test func everyEnvironmentOfEveryConfigurationIsOneUnit() {
        let units = ProvisionedPlacement.units(of: [Self.config("f", "1", 3), Self.config("f", "live", 1), Self.config("g", "2", 0)])
        #expect(units == ["f:1#0", "f:1#1", "f:1#2", "f:live#0"])
    }

    @Test func heldUnitsAreCountedByConfiguration() {
        let held = ProvisionedPlacement.heldCounts(["f:1#2", "f:1#0", "f:live#1", "junk"])
        #expect(held == ["f:1": [0, 2], "f:live": [1]])
    }

    /// An alias of weights 2:1 over three environments: unit 0 and 1 run its main version, unit 2 the other — the
    /// weights hold for the configuration, whichever node holds which unit.
    @Test func unitsRunTheVersionOfTheirPlaceInTheWholeConfiguration() {
        let whole = FunctionCatalog.ProvisionedTarget(functionName: "f", qualifier: "live",
                                                      allocations: [(Self.version("1"), 2), (Self.version("2"), 1)])
        let first = ProvisionedPlacement.share(of: whole, units: [0, 2])
        #expect(first.allocations.map { "\($0.definition.version)×\($0.count)" } == ["1×1", "2×1"])
        let second = ProvisionedPlacement.share(of: whole, units: [1])
        #expect(second.allocations.map { "\($0.definition.version)×\($0.count)" } == ["1×1"])
        // A unit beyond the configuration (it shrank since the claim) runs nothing.
        #expect(ProvisionedPlacement.share(of: whole, units: [5]).allocations.isEmpty)
    }
}
