// swift-tools-version: 6.1
// Vigil: an event-sourced dispatch engine for the CSEC First Responder Protocol.
//
// Layers, each depending only on the ones above it (see docs/ARCHITECTURE.md):
//   CLMDB → LMDB → EventStore → FirstResponder → … → Reports → VigilEngine (the composition root) → vigil
//
// Benchmarks (ordo-one/benchmark) are only built when VIGIL_BENCHMARKS is set, the callgrind
// harness only when VIGIL_PROFILE is set, so
// `swift build` and `swift test` never pay for them.

import PackageDescription

import class Foundation.ProcessInfo

let strict: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

var package = Package(
    name: "Vigil",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "vigil", targets: ["vigil"]),
        .library(name: "LMDB", targets: ["LMDB"]),
        .library(name: "EventStore", targets: ["EventStore"]),
        .library(name: "FirstResponder", targets: ["FirstResponder"]),
        .library(name: "Projections", targets: ["Projections"]),
        .library(name: "Replay", targets: ["Replay"]),
        .library(name: "VigilEngine", targets: ["VigilEngine"]),
        .library(name: "Reports", targets: ["Reports"]),
        .library(name: "DispatchServer", targets: ["DispatchServer"]),
        .library(name: "Trust", targets: ["Trust"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
        .package(
            url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1", traits: ["FullFoundation"]),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
    ],
    targets: [
        .systemLibrary(
            name: "CLMDB",
            pkgConfig: "lmdb",
            providers: [.apt(["liblmdb-dev"])]
        ),
        // jemalloc replaces glibc's malloc in the vigil binary (Sources/vigil/Support/Allocator.swift).
        .systemLibrary(
            name: "CJemalloc",
            pkgConfig: "jemalloc",
            providers: [.apt(["libjemalloc-dev"])]
        ),
        .target(
            name: "LMDB",
            dependencies: ["CLMDB"],
            swiftSettings: strict
        ),
        .target(
            name: "EventStore",
            dependencies: [
                "LMDB",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "FirstResponder",
            dependencies: [
                "EventStore",
                "LMDB",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "Projections",
            dependencies: [
                "EventStore",
                "FirstResponder",
                "LMDB",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "Replay",
            dependencies: ["EventStore", "FirstResponder", "Projections"],
            swiftSettings: strict
        ),
        .target(
            name: "VigilEngine",
            dependencies: ["EventStore", "FirstResponder", "Projections"],
            swiftSettings: strict
        ),
        .target(
            name: "Reports",
            dependencies: ["EventStore", "FirstResponder", "Projections", "Replay"],
            swiftSettings: strict
        ),
        .target(
            name: "DispatchServer",
            dependencies: [
                "Trust",
                "EventStore",
                "FirstResponder",
                "Projections",
                "Replay",
                "VigilEngine",
                "Reports",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            // The dispatcher's page: plain HTML, CSS and JavaScript, served as they are.
            resources: [.copy("Page")],
            swiftSettings: strict
        ),
        .target(
            name: "Trust",
            dependencies: [
                "EventStore",
                "FirstResponder",
                "Projections",
                "VigilEngine",
                "LMDB",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strict
        ),
        // Child processes started with posix_spawn (Foundation's Process crashed its parent now and
        // then on Linux): the load test's daemon, and the tests' children.
        .target(
            name: "ChildProcess",
            swiftSettings: strict
        ),
        .executableTarget(
            name: "vigil",
            dependencies: [
                "ChildProcess",
                "EventStore",
                "FirstResponder",
                "VigilEngine",
                "Reports",
                "Projections",
                "Replay",
                "DispatchServer",
                "LMDB",
                "Trust",
                "CJemalloc",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict
        ),
        // What the fuzzers check of each input (Fuzz/Checks); the fuzzers themselves are gated below.
        .target(
            name: "FuzzChecks",
            dependencies: ["EventStore", "FirstResponder"],
            path: "Fuzz/Checks",
            swiftSettings: strict
        ),
        .testTarget(
            name: "FuzzChecksTests",
            dependencies: ["FuzzChecks", "EventStore"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "LMDBTests",
            dependencies: ["LMDB"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "EventStoreTests",
            dependencies: ["EventStore", "LMDB"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "FirstResponderTests",
            dependencies: [
                "ChildProcess",
                "FirstResponder",
                "EventStore",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "VigilTestSupport",
            dependencies: ["Projections", "FirstResponder", "EventStore", "LMDB"],
            path: "Tests/VigilTestSupport",
            swiftSettings: strict
        ),
        .testTarget(
            name: "ProjectionsTests",
            dependencies: ["Projections", "FirstResponder", "EventStore", "VigilTestSupport"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "ReplayTests",
            dependencies: ["Replay", "Projections", "FirstResponder", "EventStore", "VigilTestSupport"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "VigilEngineTests",
            dependencies: ["VigilEngine", "FirstResponder", "EventStore"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "ReportsTests",
            dependencies: ["Reports", "VigilEngine", "Projections", "FirstResponder", "EventStore"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "DispatchServerTests",
            dependencies: [
                "DispatchServer",
                "VigilEngine",
                "FirstResponder",
                "EventStore",
                "LMDB",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "TrustTests",
            dependencies: [
                "Trust", "VigilEngine", "FirstResponder", "EventStore",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "VigilCLITests",
            dependencies: ["ChildProcess", "EventStore", "FirstResponder", "LMDB", "VigilEngine", "vigil"],
            swiftSettings: strict
        ),
    ]
)

// MARK: - Benchmarks, gated

if ProcessInfo.processInfo.environment["VIGIL_BENCHMARKS"] != nil {
    package.dependencies.append(
        .package(url: "https://github.com/ordo-one/benchmark.git", from: "1.38.1", traits: ["MallocInterposer"])
    )
    package.targets.append(
        .executableTarget(
            name: "EventStoreBenchmarks",
            dependencies: [
                "EventStore",
                "LMDB",
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/EventStoreBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        )
    )
}

// MARK: - The callgrind harness, gated

// `store-profile` (scripts/profile-store): the store's append and replay with a synchronous main,
// which valgrind can run (vigil's async main cannot be). Only built when VIGIL_PROFILE is set.
if ProcessInfo.processInfo.environment["VIGIL_PROFILE"] != nil {
    package.targets.append(
        .executableTarget(
            name: "store-profile",
            dependencies: ["EventStore"],
            path: "Benchmarks/StoreProfile",
            swiftSettings: strict
        )
    )
}

// MARK: - libFuzzer targets, gated

// scripts/fuzz builds these with `-sanitize=fuzzer,address` (libFuzzer brings `main`) into its own
// scratch path. Only part of the package when VIGIL_FUZZ is set.
if ProcessInfo.processInfo.environment["VIGIL_FUZZ"] != nil {
    for (name, path) in [
        ("fuzz-record", "Fuzz/Record"), ("fuzz-payload", "Fuzz/Payload"), ("fuzz-import-line", "Fuzz/ImportLine"),
        ("fuzz-command", "Fuzz/Command"), ("fuzz-http-body", "Fuzz/HTTPBody"),
    ] {
        package.targets.append(
            .executableTarget(
                name: name, dependencies: ["FuzzChecks", "FuzzDriver"], path: path, swiftSettings: strict)
        )
    }
    package.targets.append(.target(name: "FuzzDriver", path: "Fuzz/Driver", swiftSettings: strict))
}
