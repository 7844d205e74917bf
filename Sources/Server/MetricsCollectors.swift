import Catalog
import Foundation
import Invoker
import Logging
import PlatformMetrics
import Queues
import SQLiteStore

/// The state gauges of `/metrics`, computed when scraped rather than on every change: environments by state and
/// concurrency (the invoker's pools), asynchronous event backlogs and queue depths (read from the store).
enum MetricsCollectors {
    static func register(on metrics: PlatformMetrics, invoker: Invoker, store: any PlatformStore, queues: QueueBroker, logger: Logger) {
        metrics.addCollector { [weak invoker] in invoker?.publishStateMetrics() }

        let asyncEvents = metrics.stateGauge(MetricNames.asyncEvents, labelNames: ["function"])
        let asyncAge = metrics.stateGauge(MetricNames.asyncEventOldestAge, labelNames: ["function"])
        metrics.addCollector {
            do {
                let backlog = try await store.asyncBacklog()
                let now = queues.now
                var events: [[String]: Double] = [:], ages: [[String]: Double] = [:]
                for function in backlog {
                    events[[function.functionName]] = Double(function.events)
                    ages[[function.functionName]] = Double(max(0, now - function.oldestEnqueuedAt)) / 1000
                }
                asyncEvents.publish(events)
                asyncAge.publish(ages)
            } catch {
                logger.warning("reading the asynchronous backlog for /metrics failed", metadata: ["error": "\(error)"])
            }
        }

        let deliveriesPending = metrics.stateGauge(MetricNames.deliveriesPending, labelNames: [])
        metrics.addCollector {
            if let pending = try? await store.pendingDeliveryCount() { deliveriesPending.publish([[]: Double(pending)]) }
        }

        let queueMessages = metrics.stateGauge(MetricNames.queueMessages, labelNames: ["queue", "state"])
        metrics.addCollector {
            do {
                var values: [[String]: Double] = [:]
                let now = queues.now
                for queue in try await store.queues(prefix: nil) {
                    let counts = try await store.counts(of: queue.name, now: now)
                    values[[queue.name, "visible"]] = Double(counts.visible)
                    values[[queue.name, "in_flight"]] = Double(counts.inFlight)
                    values[[queue.name, "delayed"]] = Double(counts.delayed)
                }
                queueMessages.publish(values)
            } catch {
                logger.warning("reading queue depths for /metrics failed", metadata: ["error": "\(error)"])
            }
        }
    }
}
