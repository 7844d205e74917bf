import CloudWatchLogs

extension ServerConfiguration {
    /// The retention periods `--log-retention-days` accepts besides 0 (CloudWatch Logs' own set).
    public static var logRetentionPeriods: Set<Int> { LogNaming.retentionDays }
}
