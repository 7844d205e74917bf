/// Why an environment could not be sandboxed or launched.
public enum SandboxError: Error, CustomStringConvertible, Sendable {
    /// The host cannot isolate environments this way; the reason is shown in `/health`.
    case unavailable(String)
    case cgroupWrite(String, String)
    /// The launcher failed before the runtime started (its `E …` line, or what went wrong around it).
    case launchFailed(String)

    public var description: String {
        switch self {
        case .unavailable(let reason): return reason
        case .cgroupWrite(let path, let error): return "cannot write \(path): \(error)"
        case .launchFailed(let reason): return "launch failed: \(reason)"
        }
    }
}
