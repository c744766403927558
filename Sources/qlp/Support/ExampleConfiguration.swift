/// The example config/qlp.yaml, compiled into the binary (resources embedded
/// in code), so `qlp demo` works from anywhere and there is one copy of it.
enum ExampleConfiguration {
    static var yaml: String { String(decoding: PackageResources.qlp_yaml, as: UTF8.self) }
    static let name = "built-in example config (config/qlp.yaml)"
}
