import Foundation
import PostgresNIO

/// The statements of the hot paths, prepared once per connection (PostgresNIO names them and prepares them on first
/// use): a function read on every uncached resolve, an insert on every async accept.
enum PreparedStatements {
    struct FunctionByName: PostgresPreparedStatement {
        static let sql = "SELECT definition FROM functions WHERE name = $1"
        typealias Row = Data
        var name: String

        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings(capacity: 1)
            bindings.append(name)
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> Data { try row.decode(Data.self) }
    }

    struct InsertAsyncEvent: PostgresPreparedStatement {
        static let sql = "INSERT INTO async_events (id, function_name, definition, payload, due_at) VALUES ($1, $2, $3, $4, $5)"
        typealias Row = Void
        var id: String
        var functionName: String
        var definition: Data
        var payload: Data
        var dueAt: Int64

        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings(capacity: 5)
            bindings.append(id)
            bindings.append(functionName)
            try bindings.append(definition)
            try bindings.append(payload)
            bindings.append(dueAt)
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws {}
    }
}
