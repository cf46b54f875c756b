package dev.batchmesh.bench.loadgen.proc;

/**
 * One reading of one process.
 *
 * @param cpuTicks  utime + stime so far, in clock ticks
 * @param rssBytes  resident set now (VmRSS)
 * @param hwmBytes  the resident set's peak over the process's life (VmHWM)
 */
public record ProcessReading(long cpuTicks, long rssBytes, long hwmBytes) {
}
