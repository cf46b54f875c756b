package dev.batchmesh.bench.loadgen.proc;

/**
 * Parses what Linux says about a process: CPU time from {@code /proc/<pid>/stat} and memory from
 * {@code /proc/<pid>/status}.
 */
public final class ProcStats {

    private ProcStats() {
    }

    /**
     * utime + stime in clock ticks. The second field, the command name in parentheses, may itself
     * hold spaces and parentheses, so the fields are counted from the last {@code )}: utime and
     * stime are fields 14 and 15, the 12th and 13th after it.
     */
    public static long cpuTicks(String stat) {
        int close = stat.lastIndexOf(')');
        if (close < 0) {
            throw new IllegalArgumentException("not a /proc/<pid>/stat line: " + abbreviate(stat));
        }
        String[] fields = stat.substring(close + 1).trim().split("\\s+");
        if (fields.length < 13) {
            throw new IllegalArgumentException("too few fields in /proc/<pid>/stat: " + abbreviate(stat));
        }
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    /** A {@code kB} field of {@code /proc/<pid>/status} such as {@code VmHWM} or {@code VmRSS}, in bytes; -1 when absent (kernel threads, zombies). */
    public static long statusBytes(String status, String field) {
        String prefix = field + ":";
        for (String line : status.split("\n")) {
            if (line.startsWith(prefix)) {
                String[] parts = line.substring(prefix.length()).trim().split("\\s+");
                long value = Long.parseLong(parts[0]);
                if (parts.length > 1 && !parts[1].equalsIgnoreCase("kB")) {
                    throw new IllegalArgumentException("unexpected unit in '" + line + "'");
                }
                return value * 1024;
            }
        }
        return -1;
    }

    private static String abbreviate(String text) {
        return text.length() > 80 ? text.substring(0, 80) + "..." : text;
    }
}
