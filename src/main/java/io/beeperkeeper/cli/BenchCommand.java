package io.beeperkeeper.cli;

import io.beeperkeeper.config.ConfigLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * `beeper bench NAME`: a benchmark a keeper runs on their own hub's machine (a Pi's SD card and CPU) to
 * see what the hub will cost there; it prints figures and fails nothing.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Run a benchmark on this machine and print its figures.",
                "history: the history store holding a year of readings (ingest rate, file size, bytes written"
                        + " per day, query latency over HTTP).",
                "relay: what MSE-over-WebSocket viewers cost the whole hub (CPU %% of one core per viewer-stream, RSS), against"
                        + " the hub at --url or one it starts as ./beeper run would.",
                "glass: glass-to-glass latency of each test camera over WebRTC, MSE and LL-HLS in headless"
                        + " Chromium (the hub started as ./beeper run starts it, or --url), with stalls and dropped frames.",
                "alerts: the time from a reading crossing a threshold to the webhook POST and the e-mail (STARTTLS) arriving,"
                        + " on local receivers, against a hub started as ./beeper run starts it (median and p95 of --rounds).",
                "sdcard: what a running hub writes to its disk (write_bytes, wchar, syscw of /proc/PID/io) over --minutes, scaled"
                        + " to a day, with the files that changed; the hub at --pid or --url, or one started as ./beeper run starts it."})
final class BenchCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "NAME", description = "Which benchmark: history, relay, glass, alerts, sdcard.")
    String name;

    @Option(names = "--dir", paramLabel = "DIR",
            description = "Scratch folder for the benchmark's files (default: bench-out/NAME).")
    String dir;

    @Option(names = "--url", paramLabel = "URL", description = "relay: the hub to measure (default http://127.0.0.1:8080;"
            + " when nothing answers there, the benchmark starts its own hub). glass: measure the hub at URL (its test"
            + " cameras) instead of starting one. sdcard: the hub listening at URL on this machine (default: start one).")
    String url;

    @Option(names = "--pid", paramLabel = "PID", description = "relay: the hub's process id, when it cannot be found from the port."
            + " sdcard: the hub to measure.")
    Long pid;

    @Option(names = "--start", description = "relay: always start a fresh hub as ./beeper run would, on free ports.")
    boolean start;

    @Option(names = "--viewers", paramLabel = "N,N...", split = ",", defaultValue = "1,10,50",
            description = "relay: WebSocket viewers of each camera, one step each after the no-viewer step (default 1,10,50).")
    List<Integer> viewers;

    @Option(names = "--seconds", paramLabel = "S", description = "relay: measuring window per step (default 30)."
            + " sdcard: the window in seconds, instead of --minutes.")
    Integer seconds;

    @Option(names = "--minutes", paramLabel = "N", defaultValue = "10",
            description = "sdcard: the measuring window in minutes, fractions allowed (default: ${DEFAULT-VALUE}).")
    double minutes;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "sdcard: a setting of the hub it starts, as in beeper.yaml"
            + " (repeatable), such as --set timelapse.enabled=false or --set history.flushSeconds=60.")
    Map<String, String> set = new LinkedHashMap<>();

    @Option(names = "--data", paramLabel = "DIR", description = "sdcard: the data folder of the hub at --pid or --url"
            + " (default: the folder of the beeper.db it has open).")
    Path data;

    @Option(names = "--settle", paramLabel = "S", defaultValue = "10", description = "relay: wait after each change of viewers (default 10)."
            + " sdcard: wait after the started hub's cameras are live.")
    int settle;

    @Option(names = "--warmup", paramLabel = "S", defaultValue = "60", description = "relay: before the no-viewer step, wait"
            + " until the hub is this old and its compiler has been quiet for 20 s (default 60; 0: no wait).")
    int warmup;

    @Option(names = "--threads", description = "relay: also print the busiest threads of the hub per step.")
    boolean threads;

    @Option(names = "--no-deflate", description = "relay: viewers that offer no permessage-deflate (browsers offer it).")
    boolean noDeflate;

    @Option(names = "--shots", paramLabel = "N", defaultValue = "100",
            description = "glass: screenshots per camera and protocol (default: ${DEFAULT-VALUE}).")
    int shots;

    @Option(names = "--protocols", paramLabel = "LIST", split = ",", defaultValue = "webrtc,mse,hls,cdn",
            description = "glass: which of webrtc, mse, mse1 (MSE with the sound in the picture's SourceBuffer), hls, cdn"
                    + " (LL-HLS through a caching nginx the bench starts) "
                    + "(default: ${DEFAULT-VALUE}).")
    List<String> protocols;

    @Option(names = "--soak", paramLabel = "S", defaultValue = "0",
            description = "glass: seconds each protocol plays before its screenshots, its waiting events and dropped "
                    + "frames counted over them too (600: ten minutes; default: ${DEFAULT-VALUE}).")
    int soak;

    @Option(names = "--rounds", paramLabel = "N", defaultValue = "20",
            description = "alerts: readings that cross the threshold, one notification each (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        switch (name) {
            case "history" -> HistoryBench.main(new String[] {dir == null ? "bench-out/history" : dir});
            case "relay" -> {
                PrintWriter out = spec.commandLine().getOut();
                return new RelayBench(new RelayBench.Settings(url, pid, start, viewers, seconds == null ? 30 : seconds, settle, threads, !noDeflate, warmup), out).run();
            }
            case "glass" -> {
                return glass();
            }
            case "alerts" -> {
                if (rounds < 1) {
                    spec.commandLine().getErr().println("beeper bench alerts: --rounds must be at least 1");
                    spec.commandLine().getErr().flush();
                    return 2;
                }
                return new AlertsBench(new AlertsBench.Settings(rounds, Path.of(dir == null ? "bench-out/alerts" : dir)),
                        spec.commandLine().getOut()).run();
            }
            case "sdcard" -> {
                double window = seconds != null ? seconds : minutes * 60;
                if (window <= 0) {
                    spec.commandLine().getErr().println("beeper bench sdcard: the window (--minutes or --seconds) must be above 0");
                    spec.commandLine().getErr().flush();
                    return 2;
                }
                Map<String, String> env = new LinkedHashMap<>();
                set.forEach((k, v) -> env.put(ConfigLoader.envName(k), v));
                return new SdCardBench(new SdCardBench.Settings(pid, url, data, window, settle,
                        Path.of(dir == null ? "bench-out/sdcard" : dir), env), spec.commandLine().getOut()).run();
            }
            default -> {
                spec.commandLine().getErr().println("beeper bench: no benchmark named '" + name + "'; known: history, relay, glass, alerts, sdcard");
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
                spec.commandLine().getErr().println("beeper bench glass: unknown protocol '" + p + "'; known: webrtc, mse, mse1, hls, cdn");
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
                "/usr/bin/chromedriver", soak), System.out).run();
    }
}
