package dev.batchmesh.bench.loadgen.proc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CPU seconds and memory of the suite's processes over a run: a reading at the start, one every
 * sample, one at the end. CPU seconds are the difference of utime + stime between the first and last
 * reading; the peak RSS is VmHWM at the end, the process's lifetime peak, beside the largest RSS
 * seen during the run.
 */
public final class ProcessSampler {

    private final Path proc;
    private final long ticksPerSecond;
    private final Map<String, Long> pids;
    private final Map<String, ProcessReading> first = new LinkedHashMap<>();
    private final Map<String, ProcessReading> last = new LinkedHashMap<>();
    private final Map<String, Long> maxRss = new LinkedHashMap<>();
    private final List<String> unreadable = new ArrayList<>();

    public ProcessSampler(Path proc, long ticksPerSecond, Map<String, Long> pids) {
        this.proc = proc;
        this.ticksPerSecond = ticksPerSecond;
        this.pids = new LinkedHashMap<>(pids);
    }

    /** Reads every process; one that has gone (or cannot be read) keeps its earlier readings. */
    public synchronized void sample() {
        pids.forEach((name, pid) -> {
            try {
                ProcessReading reading = read(pid);
                first.putIfAbsent(name, reading);
                last.put(name, reading);
                maxRss.merge(name, reading.rssBytes(), Math::max);
            } catch (IOException | RuntimeException e) {
                if (!unreadable.contains(name)) {
                    unreadable.add(name);
                }
            }
        });
    }

    ProcessReading read(long pid) throws IOException {
        Path dir = proc.resolve(Long.toString(pid));
        String stat = Files.readString(dir.resolve("stat"));
        String status = Files.readString(dir.resolve("status"));
        return new ProcessReading(ProcStats.cpuTicks(stat), ProcStats.statusBytes(status, "VmRSS"),
                ProcStats.statusBytes(status, "VmHWM"));
    }

    /** CPU seconds and memory of each process that was read at least once. */
    public synchronized List<ProcessUsage> usage() {
        List<ProcessUsage> out = new ArrayList<>();
        last.forEach((name, end) -> {
            ProcessReading start = first.get(name);
            out.add(new ProcessUsage(name, pids.get(name), (end.cpuTicks() - start.cpuTicks()) / (double) ticksPerSecond,
                    end.cpuTicks() / (double) ticksPerSecond, end.hwmBytes(), maxRss.get(name)));
        });
        return out;
    }

    public synchronized List<String> unreadable() {
        return List.copyOf(unreadable);
    }

    /** The kernel's clock ticks per second ({@code getconf CLK_TCK}); 100, the value on every common Linux, if it cannot be asked. */
    public static long clockTicksPerSecond() {
        try {
            Process process = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes()).trim();
            if (process.waitFor() == 0) {
                return Long.parseLong(out);
            }
        } catch (IOException | NumberFormatException e) {
            // fall through to the common value
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 100;
    }
}
