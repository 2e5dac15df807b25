package io.beeperkeeper.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * `beeper bench NAME`: a benchmark a keeper runs on their own hub's machine (a Pi's SD card and CPU) to
 * see what the hub will cost there; it prints figures and fails nothing.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Run a benchmark on this machine and print its figures.",
                "history: the history store holding a year of readings (ingest rate, file size, bytes written"
                        + " per day, query latency over HTTP).",
                "glass: glass-to-glass latency of each test camera over WebRTC, MSE and LL-HLS in headless"
                        + " Chromium (the hub started as ./beeper run starts it, or --url), with stalls and dropped frames."})
public final class BenchCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "NAME", description = "Which benchmark: history, glass.")
    String name;

    @Option(names = "--dir", paramLabel = "DIR",
            description = "Scratch folder for the benchmark's files (default: bench-out/NAME).")
    String dir;

    @Option(names = "--url", paramLabel = "URL",
            description = "glass: measure the hub running at URL instead of starting one (its test cameras).")
    String url;

    @Option(names = "--shots", paramLabel = "N", defaultValue = "100",
            description = "glass: screenshots per camera and protocol (default: ${DEFAULT-VALUE}).")
    int shots;

    @Option(names = "--protocols", paramLabel = "LIST", split = ",", defaultValue = "webrtc,mse,hls",
            description = "glass: which of webrtc, mse, hls (default: ${DEFAULT-VALUE}).")
    List<String> protocols;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        switch (name) {
            case "history" -> HistoryBench.main(new String[] {dir == null ? "bench-out/history" : dir});
            case "glass" -> {
                return glass();
            }
            default -> {
                spec.commandLine().getErr().println("beeper bench: no benchmark named '" + name + "'; known: history, glass");
                spec.commandLine().getErr().flush();
                return 2;
            }
        }
        return 0;
    }

    private int glass() throws Exception {
        List<GlassBench.Protocol> chosen = new ArrayList<>();
        for (String p : protocols) {
            try {
                chosen.add(GlassBench.Protocol.valueOf(p.trim().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                spec.commandLine().getErr().println("beeper bench glass: unknown protocol '" + p + "'; known: webrtc, mse, hls");
                spec.commandLine().getErr().flush();
                return 2;
            }
        }
        if (shots < 1) {
            spec.commandLine().getErr().println("beeper bench glass: --shots must be at least 1");
            spec.commandLine().getErr().flush();
            return 2;
        }
        return new GlassBench(new GlassBench.Options(url, shots, Path.of(dir == null ? "bench-out/glass" : dir), chosen,
                "/usr/bin/chromedriver"), System.out).run();
    }
}
