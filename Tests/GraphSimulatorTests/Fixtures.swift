import Foundation
import GraphSimulator
import TestSupport
import Testing

/// The documented Graph payloads in `../shared/fixtures/graph/`, and a check that a response has their shape.
enum Fixtures {
    static let folder = TestEnvironment.graphFixtures

    static var available: Bool { TestEnvironment.hasGraphFixtures }

    static func load(_ name: String) throws -> JSONValue {
        let data = try Data(contentsOf: Self.folder.appendingPathComponent(name))
        return try #require(JSONValue.parse(data), "\(name) is not JSON")
    }

    /// Every field of the fixture is in the response, at the same nesting, with a value of the same kind
    /// (null in either stands for any kind: real payloads leave optional fields null).
    static func expectShape(_ actual: JSONValue, like fixture: JSONValue, path: String = "$", ignoring: Set<String> = []) {
        switch (fixture, actual) {
        case (.object(let expected), .object):
            for (key, value) in expected where !ignoring.contains(key) {
                guard let member = actual[key] else {
                    Issue.record("\(path).\(key) is missing")
                    continue
                }
                Self.expectShape(member, like: value, path: "\(path).\(key)", ignoring: ignoring)
            }
        case (.array(let expected), .array(let elements)):
            if let first = expected.first, let element = elements.first {
                Self.expectShape(element, like: first, path: "\(path)[0]", ignoring: ignoring)
            }
        case (.null, _), (_, .null), (.string, .string), (.number, .number), (.bool, .bool):
            break
        default:
            Issue.record("\(path) is \(actual), the fixture has \(fixture)")
        }
    }
}
