/// A `${key}` or `${key, 'default'}` placeholder in a `Resource` or a string/ARN/Bool condition value of a
/// 2012-10-17 policy. At evaluation it stands for the request's single value of `key`; a key with no value (or several)
/// takes the default, and without one the element holding it matches nothing.
struct PolicyVariable: Sendable, Equatable {
    var key: ContextKey
    var defaultValue: String?
}
