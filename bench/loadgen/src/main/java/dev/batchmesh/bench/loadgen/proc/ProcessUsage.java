package dev.batchmesh.bench.loadgen.proc;

/**
 * What one process of the suite used.
 *
 * @param cpuSeconds       CPU time (user + system) during the run
 * @param totalCpuSeconds  CPU time since the process started, start-up included
 * @param peakRssBytes     VmHWM: the largest resident set over the process's life
 * @param maxSampledRssBytes the largest VmRSS read during the run
 */
public record ProcessUsage(String name, long pid, double cpuSeconds, double totalCpuSeconds, long peakRssBytes,
                           long maxSampledRssBytes) {
}
