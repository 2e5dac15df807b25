package io.beeperkeeper.check;

import io.beeperkeeper.config.BeeperConfig;

import java.util.List;

/**
 * {@code beeper check}'s facade: runs every probe on a {@link Host} against the settings run would
 * load, and gives one {@link Report}.
 */
public final class Checker {
    private final Host host;
    private final ChipReader chips;

    /** @param chips the BME680 chip id read ({@link ChipReader#I2C_DEV} on a Pi) */
    public Checker(Host host, ChipReader chips) {
        this.host = host;
        this.chips = chips;
    }

    /**
     * @param config   the settings as run would load them (the defaults when they do not load)
     * @param settings the finding about the settings themselves: where they come from, or the error
     */
    public Report check(BeeperConfig config, Finding settings) {
        Findings out = new Findings();
        out.add(settings);
        Alsa alsa = Alsa.read(host);
        List<Probe> probes = List.of(
                new CameraProbe(host, PiCameras.list(host), V4l2Devices.list(host), alsa),
                new MicrophoneProbe(host, alsa),
                new SensorProbe(host, chips),
                new FfmpegProbe(host),
                new DiskProbe(),
                new PortProbe());
        for (Probe p : probes) {
            p.probe(config, out);
        }
        return out.report();
    }
}
