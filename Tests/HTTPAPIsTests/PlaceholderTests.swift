import Testing
@testable import HTTPAPIs
@Test func placeholder() {}
