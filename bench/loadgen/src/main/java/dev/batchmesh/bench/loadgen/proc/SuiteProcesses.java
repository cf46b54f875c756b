package dev.batchmesh.bench.loadgen.proc;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Finds the processes of the suite: by name, the operating-system process id of each. */
@FunctionalInterface
public interface SuiteProcesses {

    String MARKER = "-Dbatchmesh.suite=";
    List<String> SUITE_NAMES = List.of("kafka", "gateway", "batcher", "processor", "aggregator");

    Map<String, Long> find();

    /** Processes of this user whose command line carries {@code -Dbatchmesh.suite=<name>}, as {@code bin/suite} starts them. */
    static SuiteProcesses byMarker(List<String> names) {
        return () -> {
            Map<String, Long> found = new LinkedHashMap<>();
            ProcessHandle.allProcesses().forEach(process -> {
                Optional<String[]> arguments = process.info().arguments();
                if (arguments.isEmpty()) {
                    return;
                }
                for (String argument : arguments.get()) {
                    if (argument.startsWith(MARKER)) {
                        String name = argument.substring(MARKER.length());
                        if (names.contains(name)) {
                            found.put(name, process.pid());
                        }
                    }
                }
            });
            Map<String, Long> ordered = new LinkedHashMap<>();
            names.stream().filter(found::containsKey).forEach(n -> ordered.put(n, found.get(n)));
            return ordered;
        };
    }

    /** Processes known by id, e.g. started by a test harness. */
    static SuiteProcesses of(Map<String, Long> pids) {
        Map<String, Long> copy = new LinkedHashMap<>(pids);
        return () -> copy;
    }
}
