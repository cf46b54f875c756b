package dev.batchmesh.bench.loadgen.proc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcStatsTest {

    // a real /proc/<pid>/stat line of a JVM, its command name changed to hold spaces and parentheses
    private static final String STAT = "4242 (java (x) y) S 1 4242 4242 0 -1 4194560 51234 0 12 0 "
            + "1530 270 0 0 20 0 45 0 98765 4023455744 61234 18446744073709551615 1 1 0 0 0 0 4 0 16800975 0 0 0 17 1 0 0 0 0 0";

    private static final String STATUS = """
            Name:\tjava
            Umask:\t0022
            State:\tS (sleeping)
            VmPeak:\t 4023456 kB
            VmSize:\t 3929156 kB
            VmHWM:\t  301244 kB
            VmRSS:\t  244936 kB
            Threads:\t45
            """;

    @Test
    void shouldAddUserAndSystemTicksCountingFieldsFromTheLastParenthesis() {
        assertThat(ProcStats.cpuTicks(STAT)).isEqualTo(1530 + 270);
    }

    @Test
    void shouldReadKilobyteFieldsOfStatusAsBytes() {
        assertThat(ProcStats.statusBytes(STATUS, "VmHWM")).isEqualTo(301244L * 1024);
        assertThat(ProcStats.statusBytes(STATUS, "VmRSS")).isEqualTo(244936L * 1024);
    }

    @Test
    void shouldSayAFieldIsAbsentRatherThanGuess() {
        assertThat(ProcStats.statusBytes("Name:\tkworker/0:1\nState:\tI (idle)\n", "VmHWM")).isEqualTo(-1);
    }

    @Test
    void shouldRejectALineThatIsNotAStatLine() {
        assertThatThrownBy(() -> ProcStats.cpuTicks("4242 java S 1")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldReportCpuSecondsUsedBetweenTheFirstAndLastReadingAndTheLifetimePeak(@TempDir Path proc) throws IOException {
        Path dir = Files.createDirectories(proc.resolve("4242"));
        Files.writeString(dir.resolve("stat"), STAT);
        Files.writeString(dir.resolve("status"), STATUS);
        ProcessSampler sampler = new ProcessSampler(proc, 100, Map.of("gateway", 4242L, "gone", 99999L));

        sampler.sample();
        Files.writeString(dir.resolve("stat"), STAT.replace(" 1530 270 ", " 1830 320 "));
        Files.writeString(dir.resolve("status"), STATUS.replace("244936", "290000"));
        sampler.sample();

        assertThat(sampler.usage()).singleElement().satisfies(usage -> {
            assertThat(usage.name()).isEqualTo("gateway");
            assertThat(usage.cpuSeconds()).isEqualTo(3.5);
            assertThat(usage.totalCpuSeconds()).isEqualTo(21.5);
            assertThat(usage.peakRssBytes()).isEqualTo(301244L * 1024);
            assertThat(usage.maxSampledRssBytes()).isEqualTo(290000L * 1024);
        });
        assertThat(sampler.unreadable()).containsExactly("gone");
    }

    @Test
    void shouldReadItsOwnProcessFromTheRealProcFileSystem() throws IOException {
        Path self = Path.of("/proc/self");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(self), "Linux /proc");

        assertThat(ProcStats.cpuTicks(Files.readString(self.resolve("stat")))).isPositive();
        assertThat(ProcStats.statusBytes(Files.readString(self.resolve("status")), "VmHWM")).isPositive();
    }
}
