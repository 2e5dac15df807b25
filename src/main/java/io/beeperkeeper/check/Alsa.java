package io.beeperkeeper.check;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The sound cards as ALSA lists them in /proc/asound ({@code cards}, {@code pcm}) and the devices
 * /etc/asound.conf defines (a dsnoop device shares one microphone among several programs).
 */
record Alsa(boolean present, List<Card> cards, List<Capture> captures, List<String> definedDevices, boolean defaultDefined) {
    private static final Pattern CARD = Pattern.compile("^\\s*(\\d+)\\s+\\[(\\S+)\\s*\\]:\\s*(.*)$");
    private static final Pattern PCM = Pattern.compile("^(\\d+)-(\\d+):\\s*(.*)$");
    private static final Pattern DEFINED = Pattern.compile("(?m)^\\s*pcm\\.!?(\\w+)");
    private static final Pattern DSNOOP = Pattern.compile("(?s)pcm\\.(\\w+)\\s*\\{[^{}]*?type\\s+dsnoop");

    /** A sound card: its number, its id (stable across reboots, as in hw:CARD=id) and description. */
    record Card(int index, String id, String description) {
    }

    /** A PCM device that records: card and device number. */
    record Capture(Card card, int device, String name) {
        /** The ALSA name a camera's audioDevice takes, by card id so it survives a change of card order. */
        String alsaName() {
            return "plughw:CARD=" + card.id() + ",DEV=" + device;
        }
    }

    static Alsa read(Host host) {
        Path asound = host.file("/proc/asound");
        List<Card> cards = new ArrayList<>();
        List<Capture> captures = new ArrayList<>();
        boolean present = Files.isDirectory(asound);
        for (String line : lines(asound.resolve("cards"))) {
            Matcher m = CARD.matcher(line);
            if (m.matches()) {
                String desc = m.group(3).contains(" - ") ? m.group(3).substring(m.group(3).indexOf(" - ") + 3) : m.group(3);
                cards.add(new Card(Integer.parseInt(m.group(1)), m.group(2), desc.trim()));
            }
        }
        for (String line : lines(asound.resolve("pcm"))) {
            Matcher m = PCM.matcher(line);
            if (m.matches() && m.group(3).contains("capture")) {
                int c = Integer.parseInt(m.group(1));
                String name = m.group(3).split(" : ")[0].trim();
                cards.stream().filter(k -> k.index() == c).findFirst()
                        .ifPresent(card -> captures.add(new Capture(card, Integer.parseInt(m.group(2)), name)));
            }
        }
        String conf = String.join("\n", lines(host.file("/etc/asound.conf")));
        List<String> defined = new ArrayList<>();
        Matcher d = DEFINED.matcher(conf);
        while (d.find()) {
            defined.add(d.group(1));
        }
        boolean defaultDefined = defined.contains("default") || conf.contains("defaults.pcm.card");
        return new Alsa(present, cards, captures, defined, defaultDefined);
    }

    /** The dsnoop devices /etc/asound.conf defines. */
    static List<String> dsnoops(Host host) {
        String conf = String.join("\n", lines(host.file("/etc/asound.conf")));
        List<String> out = new ArrayList<>();
        Matcher m = DSNOOP.matcher(conf);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    /**
     * The capture device an audioDevice setting opens: hw:N,M, plughw:N,M, hw:CARD=id,DEV=M or hw:id;
     * "default" is card 0 unless /etc/asound.conf sets another default. Empty for a name asound.conf
     * defines (dsnoop and such) or that names no recording device.
     */
    Optional<Capture> capture(String audioDevice) {
        String spec = audioDevice;
        if (spec.equals("default") || spec.equals("sysdefault")) {
            spec = "hw:0,0";
        }
        Matcher m = Pattern.compile("^(?:plug)?hw:(?:CARD=)?([^,]+)(?:,(?:DEV=)?(\\d+))?$").matcher(spec);
        if (!m.matches()) {
            return Optional.empty();
        }
        String card = m.group(1);
        int dev = m.group(2) == null ? 0 : Integer.parseInt(m.group(2));
        return captures.stream()
                .filter(c -> (c.card().id().equals(card) || String.valueOf(c.card().index()).equals(card)) && c.device() == dev)
                .findFirst();
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }
}
