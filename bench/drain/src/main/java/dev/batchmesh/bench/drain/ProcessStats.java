package dev.batchmesh.bench.drain;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time and peak resident memory of a process, from Linux's {@code /proc}: {@code utime + stime}
 * of {@code /proc/PID/stat} (clock ticks) and {@code VmHWM} of {@code /proc/PID/status}, the
 * lifetime peak of the resident set.
 */
record ProcessStats(double cpuSeconds, long peakRssKiB) {

    static ProcessStats of(long pid, int clockTicks) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // the command name (field 2) may hold spaces and parentheses: count fields after its closing one
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
            // fields[0] is the state (field 3), so utime (field 14) and stime (field 15) are at 11 and 12
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            long hwm = -1;
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    hwm = Long.parseLong(line.substring(6).trim().split("\\s+")[0]);
                }
            }
            return new ProcessStats((double) ticks / clockTicks, hwm);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read /proc of process " + pid + " (has it exited?)", e);
        }
    }
}
