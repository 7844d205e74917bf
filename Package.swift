// swift-tools-version:6.1
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "swiftlet",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "swiftlet", targets: ["swiftlet"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation.git", from: "0.9.20"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
    ],
    targets: [
        // Wire-level pieces every AWS-compatible service shares: error shape, timestamps, JSON coding.
        .target(name: "AWSProtocol", dependencies: ["JSONText"], swiftSettings: strict),
        // SigV4 verification and signing, root credentials.
        .target(name: "Auth", dependencies: [
            "AWSProtocol",
            .product(name: "Crypto", package: "swift-crypto"),
        ], swiftSettings: strict),
        // Content-addressed archives on disk.
        .target(name: "BlobStore", dependencies: [
            .product(name: "Crypto", package: "swift-crypto"),
        ], swiftSettings: strict),
        // Validated domain state of Lambda: functions, their configuration and code; the Store protocol.
        .target(name: "Catalog", dependencies: [
            "AWSProtocol", "BlobStore",
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            .product(name: "Logging", package: "swift-log"),
        ], swiftSettings: strict),
        // Queues (SQS semantics) independent of the wire: attributes, visibility, delays, redrive, long polling.
        .target(name: "Queues", dependencies: [
            "AWSProtocol", "AccessPolicies",
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Logging", package: "swift-log"),
        ], swiftSettings: strict),
        // CloudWatch Logs as a domain: log groups, streams, PutLogEvents' rules, tokens, filter patterns, retention;
        // the LogStore protocol.
        .target(name: "CloudWatchLogs", dependencies: [
            "AWSProtocol", "JSONText",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ], swiftSettings: strict),
        // The CloudWatch Logs JSON 1.1 protocol (Logs_20140328.*, signing name logs) over CloudWatchLogs.
        .target(name: "LogsAPI", dependencies: [
            "AWSProtocol", "CloudWatchLogs",
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ], swiftSettings: strict),
        // The SQS JSON 1.0 protocol over Queues.
        .target(name: "SQSAPI", dependencies: ["AWSProtocol", "Queues"], swiftSettings: strict),
        // The IAM policy language: parsing, AWS's validation, compiled statements, evaluation.
        .target(name: "AccessPolicies", dependencies: ["JSONText"], swiftSettings: strict),
        // Identities: IAM users, groups, roles, managed policies, access keys; sessions (STS); the authorizer.
        .target(name: "Identity", dependencies: [
            "AWSProtocol", "AccessPolicies", "Auth",
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Logging", package: "swift-log"),
        ], swiftSettings: strict),
        // The IAM query protocol over Identity.
        .target(name: "IAMAPI", dependencies: ["AWSProtocol", "Identity", "AccessPolicies"], swiftSettings: strict),
        // The STS query protocol over Identity.
        .target(name: "STSAPI", dependencies: ["AWSProtocol", "Identity"], swiftSettings: strict),
        // API Gateway HTTP APIs as a domain: APIs, routes, integrations, stages, deployments, authorizers, route
        // matching; the HTTPAPIStore protocol.
        .target(name: "HTTPAPIs", dependencies: [
            "AWSProtocol",
            .product(name: "Logging", package: "swift-log"),
        ], swiftSettings: strict),
        // The API Gateway v2 REST-JSON API (signing name apigateway) over HTTPAPIs.
        .target(name: "APIGatewayAPI", dependencies: ["AWSProtocol", "HTTPAPIs"], swiftSettings: strict),
        // The one delivery path: durable deliveries to an ARN (function, queue, topic, bus), retries, dead letters.
        .target(name: "Delivery", dependencies: [
            "AWSProtocol",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ], swiftSettings: strict),
        // Schedule expressions (at/rate/cron, time zones) and the one timer engine; EventBridge Scheduler's
        // schedules and groups; the ScheduleStore protocol.
        .target(name: "Schedules", dependencies: [
            "AWSProtocol", "Delivery", "JSONText",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ], swiftSettings: strict),
        // EventBridge Scheduler's REST-JSON API (signing name scheduler) over Schedules.
        .target(name: "SchedulerAPI", dependencies: ["AWSProtocol", "Schedules"], swiftSettings: strict),
        // EventBridge as a domain: buses, rules (patterns and schedules), targets, input transformers, archives,
        // replays; the EventStore protocol.
        .target(name: "Events", dependencies: [
            "AWSProtocol", "Delivery", "EventPatterns", "JSONText", "Schedules", "AccessPolicies",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ], swiftSettings: strict),
        // The EventBridge JSON 1.1 protocol (AWSEvents.*, signing name events) over Events.
        .target(name: "EventsAPI", dependencies: ["AWSProtocol", "Events"], swiftSettings: strict),
        // SNS as a domain: topics, subscriptions, filter policies, message signing, delivery; the TopicStore protocol.
        .target(name: "Topics", dependencies: [
            "AWSProtocol", "Delivery", "JSONText", "AccessPolicies",
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "_CryptoExtras", package: "swift-crypto"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ], swiftSettings: strict),
        // The SNS query protocol (signing name sns) over Topics.
        .target(name: "SNSAPI", dependencies: ["AWSProtocol", "Topics", "Delivery"], swiftSettings: strict),
        // CloudWatch metrics as a domain: series, 1-minute and high-resolution points, statistics and percentile
        // sketches, roll-ups and retention, EMF; the MetricStore protocol.
        .target(name: "CloudWatchMetrics", dependencies: [
            "AWSProtocol", "JSONText",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ], swiftSettings: strict),
        // The CloudWatch API (smithy-rpc-v2-cbor, JSON 1.0 and query; signing name monitoring) over CloudWatchMetrics.
        .target(name: "CloudWatchAPI", dependencies: ["AWSProtocol", "CloudWatchMetrics"], swiftSettings: strict),
        // Traces as a domain: X-Ray segments and subsegments, trace summaries and filter expressions, the daemon's UDP
        // listener, the platform's own Lambda segments; the TraceStore protocol.
        .target(name: "Traces", dependencies: [
            "AWSProtocol", "JSONText",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ], swiftSettings: strict),
        // The X-Ray REST-JSON API (signing name xray) over Traces.
        .target(name: "XRayAPI", dependencies: ["AWSProtocol", "Traces"], swiftSettings: strict),
        // The embedded Store: SQLite through GRDB.
        .target(name: "SQLiteStore", dependencies: [
            "Catalog", "FunctionLogs", "Queues", "Identity", "HTTPAPIs", "CloudWatchLogs",
            "Delivery", "Events", "Schedules", "Topics", "CloudWatchMetrics", "Traces",
            .product(name: "GRDB", package: "GRDB.swift"),
        ], swiftSettings: strict),
        // Nodes of a cluster: their registry (heartbeats, load, leases held) and the status report.
        .target(name: "Cluster", dependencies: [
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ], swiftSettings: strict),
        // The shared Store of a cluster: PostgreSQL through PostgresNIO (pooled client, migrations under an advisory lock).
        .target(name: "PostgresStore", dependencies: [
            "AWSProtocol", "Cluster", "BlobStore", "Catalog", "Queues", "FunctionLogs", "Identity", "HTTPAPIs", "CloudWatchLogs",
            "Delivery", "Events", "Schedules", "Topics", "CloudWatchMetrics", "Traces",
            .product(name: "PostgresNIO", package: "postgres-nio"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ], swiftSettings: strict),
        // C helpers the server calls around process launch: spawn with fd mapping, fd passing, pidfd.
        .target(name: "CSandboxSupport"),
        // The launcher of one execution environment: namespaces, mounts, cgroup join, unprivileged exec.
        .executableTarget(name: "swiftlet-sandbox"),
        // Functions' network: the host's bridge and firewall, a pool of prepared network namespaces.
        .target(name: "FunctionNetwork", dependencies: [
            .product(name: "Logging", package: "swift-log"),
        ], swiftSettings: strict),
        // Execution environments' process side: cgroups, the launcher, reaping.
        .target(name: "Sandbox", dependencies: [
            "CSandboxSupport",
            .product(name: "Logging", package: "swift-log"),
        ], swiftSettings: strict),
        // The Lambda Runtime API (2018-06-01) served to each environment on its own listener.
        .target(name: "RuntimeAPI", dependencies: [
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
        ], swiftSettings: strict),
        // Swiftlet's own runtime interface clients for Python and Node.js, mounted at /var/runtime.
        .target(name: "RuntimeBootstraps", resources: [.copy("Resources")], swiftSettings: strict),
        // Function logs: START/END/REPORT lines, streams, and their batched persistence.
        .target(name: "FunctionLogs", dependencies: [
            "AWSProtocol",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ], swiftSettings: strict),
        // Prometheus metrics: names, per-function series, state gauges set at scrape, the text exposition.
        .target(name: "PlatformMetrics", dependencies: [
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "Metrics", package: "swift-metrics"),
        ], swiftSettings: strict),
        // Synchronous invocation: environment pools, lifecycle, limits, results.
        .target(name: "Invoker", dependencies: [
            "Catalog", "Sandbox", "RuntimeAPI", "RuntimeBootstraps", "FunctionLogs", "AWSProtocol", "BlobStore", "FunctionNetwork",
            "PlatformMetrics", "JSONText",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ], swiftSettings: strict),
        // Asynchronous invocation: the durable event queue's dispatcher, retries, destinations, DLQs.
        .target(name: "AsyncInvocation", dependencies: [
            "AWSProtocol", "Catalog", "Invoker", "Queues", "Delivery",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ], swiftSettings: strict),
        // Event source mappings: pollers that feed queue messages to functions in batches.
        // Event patterns (Lambda event filtering, later event-bus rules): parsing and matching JSON events.
        // JSON as AWS's matchers read it (numbers as written, fields in order): event patterns and policies.
        .target(name: "JSONText", swiftSettings: strict),
        .target(name: "EventPatterns", dependencies: ["JSONText"], swiftSettings: strict),
        .target(name: "EventSourceMappings", dependencies: [
            "Catalog", "Invoker", "Queues", "EventPatterns",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ], swiftSettings: strict),
        // The Lambda REST API: AWS request/response shapes and operation routing.
        .target(name: "LambdaAPI", dependencies: [
            "AWSProtocol", "Catalog", "Auth", "Invoker", "AsyncInvocation", "EventSourceMappings",
        ], swiftSettings: strict),
        // Plain HTTP into functions: function URLs and HTTP APIs on their own listener (loopback address per
        // endpoint, Host routing), payload format 1.0/2.0 events, response mapping, CORS, streaming.
        .target(name: "HTTPIngress", dependencies: [
            "AWSProtocol", "AccessPolicies", "Auth", "Identity", "Catalog", "Invoker", "HTTPAPIs", "JSONText", "PlatformMetrics",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ], swiftSettings: strict),
        // The one listener: HTTP, SigV4, service routing, AWS error encoding.
        .target(name: "Edge", dependencies: [
            "AWSProtocol", "Auth", "LambdaAPI", "SQSAPI", "IAMAPI", "STSAPI", "APIGatewayAPI", "Catalog", "Identity", "LogsAPI", "PlatformMetrics",
            "EventsAPI", "SchedulerAPI", "SNSAPI", "CloudWatchAPI", "XRayAPI",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "HTTPTypes", package: "swift-http-types"),
            .product(name: "Logging", package: "swift-log"),
        ], swiftSettings: strict),
        // Composition root: configuration, wiring, lifecycle.
        .target(name: "Server", dependencies: [
            "Edge", "Auth", "Catalog", "SQLiteStore", "BlobStore", "LambdaAPI", "Invoker", "Sandbox", "FunctionLogs",
            "Queues", "SQSAPI", "AsyncInvocation", "EventSourceMappings", "Identity", "IAMAPI", "STSAPI", "FunctionNetwork",
            "HTTPAPIs", "APIGatewayAPI", "HTTPIngress", "CloudWatchLogs", "LogsAPI", "PlatformMetrics",
            "Delivery", "Events", "EventsAPI", "Schedules", "SchedulerAPI", "Topics", "SNSAPI", "CloudWatchMetrics", "CloudWatchAPI",
            "Traces", "XRayAPI", "PostgresStore", "Cluster",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ], swiftSettings: strict),
        .executableTarget(name: "swiftlet", dependencies: [
            "Server", "Catalog", "FunctionNetwork", "swiftlet-sandbox", "PlatformMetrics", "Auth", "Cluster", "PostgresStore",
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ], swiftSettings: strict),

        // Prints policy evaluation figures (issue 12's target: < 10 µs per evaluation).
        .executableTarget(name: "policy-bench", dependencies: ["AccessPolicies"], swiftSettings: strict),
        // Prints what CloudWatch's AWS/Lambda metrics cost an invocation (issue 15's target: ≤ 10 µs on the invoke path).
        .executableTarget(name: "metrics-bench", dependencies: [
            "CloudWatchMetrics", .product(name: "Logging", package: "swift-log"),
        ], swiftSettings: strict),

        .testTarget(name: "AuthTests", dependencies: ["Auth"]),
        .testTarget(name: "ClusterTests", dependencies: ["Cluster", .product(name: "ServiceLifecycle", package: "swift-service-lifecycle")]),
        .testTarget(name: "PlatformMetricsTests", dependencies: ["PlatformMetrics"]),
        .testTarget(name: "AccessPoliciesTests", dependencies: ["AccessPolicies"]),
        .testTarget(name: "IdentityTests", dependencies: ["Identity", "IAMAPI", "STSAPI", "SQLiteStore", "AccessPolicies", "AWSProtocol"]),
        .testTarget(name: "CatalogTests", dependencies: ["Catalog", "SQLiteStore", "BlobStore", "AWSProtocol", .product(name: "ZIPFoundation", package: "ZIPFoundation")]),
        .testTarget(name: "InvokerTests", dependencies: ["Invoker", "FunctionLogs", "Sandbox", "RuntimeAPI", "Catalog"]),
        .testTarget(name: "LambdaAPITests", dependencies: ["LambdaAPI"]),
        .testTarget(name: "QueuesTests", dependencies: ["Queues", "SQLiteStore"]),
        .testTarget(name: "EventPatternsTests", dependencies: ["EventPatterns"]),
        .testTarget(name: "CloudWatchLogsTests", dependencies: [
            "CloudWatchLogs", "SQLiteStore", "FunctionLogs", .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        .testTarget(name: "AsyncTests", dependencies: ["AsyncInvocation", "EventSourceMappings", "Queues", "AWSProtocol"]),
        .testTarget(name: "HTTPAPIsTests", dependencies: ["HTTPAPIs", "APIGatewayAPI", "SQLiteStore", "AWSProtocol"]),
        .testTarget(name: "HTTPIngressTests", dependencies: ["HTTPIngress", "HTTPAPIs", "AWSProtocol"]),
        .testTarget(name: "DeliveryTests", dependencies: ["Delivery", "SQLiteStore"]),
        .testTarget(name: "SchedulesTests", dependencies: ["Schedules", "SchedulerAPI", "SQLiteStore", "Delivery", "AWSProtocol"]),
        .testTarget(name: "EventsTests", dependencies: [
            "Events", "EventsAPI", "SQLiteStore", "Delivery", "EventPatterns", "AWSProtocol", "JSONText", "Schedules",
            .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "TopicsTests", dependencies: [
            "Topics", "SNSAPI", "SQLiteStore", "Delivery", "AWSProtocol", "JSONText",
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "_CryptoExtras", package: "swift-crypto"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "CloudWatchMetricsTests", dependencies: ["CloudWatchMetrics", "CloudWatchAPI", "SQLiteStore", "AWSProtocol"]),
        .testTarget(name: "TracesTests", dependencies: [
            "Traces", "XRayAPI", "SQLiteStore", "AWSProtocol", "JSONText",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "StoreContractTests", dependencies: [
            "SQLiteStore", "PostgresStore", "Cluster", "Catalog", "Queues", "BlobStore", "FunctionLogs", "Identity", "HTTPAPIs", "CloudWatchLogs",
            "Delivery", "Events", "Schedules", "Topics", "CloudWatchMetrics", "Traces",
            .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "ServerTests", dependencies: ["Server", "Auth", "AWSProtocol", .product(name: "ZIPFoundation", package: "ZIPFoundation")]),
    ]
)
