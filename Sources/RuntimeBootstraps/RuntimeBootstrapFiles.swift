import Foundation

/// Where Swiftlet's own runtime interface clients are on disk: `python/bootstrap.py` and
/// `nodejs/bootstrap.mjs` below this directory, which environments see at `/var/runtime`.
public enum RuntimeBootstrapFiles {
    public static var directory: String {
        Bundle.module.bundleURL.appendingPathComponent("Resources").path
    }
}
