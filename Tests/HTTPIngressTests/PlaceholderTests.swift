import Testing
@testable import HTTPIngress
@Test func placeholder() {}
