package io.beeperkeeper.check;

import io.beeperkeeper.config.BeeperConfig;
import io.beeperkeeper.config.CameraConfig;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Microphones: the ALSA capture devices, the dsnoop devices /etc/asound.conf defines, and for each v4l2
 * camera with audio whether its audioDevice opens one. Two cameras on one microphone need a dsnoop
 * device (a second program cannot open a card ALSA already records from); the hub itself opens its
 * microphone once for the stream and the sound level.
 */
final class MicrophoneProbe implements Probe {
    private final Host host;
    private final Alsa alsa;

    MicrophoneProbe(Host host, Alsa alsa) {
        this.host = host;
        this.alsa = alsa;
    }

    @Override
    public void probe(BeeperConfig config, Findings out) {
        if (!alsa.present()) {
            out.add(Finding.missing(Area.MICROPHONE, "alsa", "no /proc/asound: this system has no ALSA sound support",
                    Fix.todo("use a kernel with ALSA (every Raspberry Pi OS has it)")));
            return;
        }
        for (Alsa.Capture c : alsa.captures()) {
            out.add(Finding.ok(Area.MICROPHONE, c.alsaName(), "card " + c.card().index() + " " + c.card().description()
                    + ", device " + c.device() + (c.name().isEmpty() ? "" : " (" + c.name() + ")")));
        }
        List<String> dsnoops = Alsa.dsnoops(host);
        for (String d : dsnoops) {
            out.add(Finding.ok(Area.MICROPHONE, d, "dsnoop device from /etc/asound.conf (one microphone shared by several programs)"));
        }
        if (alsa.captures().isEmpty()) {
            out.add(Finding.missing(Area.MICROPHONE, "microphone", "no ALSA capture device ("
                    + (alsa.cards().isEmpty() ? "no sound card" : alsa.cards().size() + " sound card(s), none records") + ")",
                    Fix.todo("plug in a USB microphone or a webcam with one")));
        }
        Map<String, String> usedBy = new LinkedHashMap<>();
        boolean anyAudio = false;
        for (Map.Entry<String, CameraConfig> e : config.cameras().effective().entrySet()) {
            CameraConfig c = e.getValue();
            anyAudio |= c.hasAudio();
            if (!"v4l2".equals(c.source()) || !c.hasAudio()) {
                continue;
            }
            camera(e.getKey(), c, dsnoops, usedBy, out);
        }
        if (!config.sensors().simulated()) {
            out.uses(anyAudio ? "sound level: from the first camera with audio" : "sound level: none (no camera has audio)");
        }
    }

    private void camera(String name, CameraConfig c, List<String> dsnoops, Map<String, String> usedBy, Findings out) {
        String dev = c.audioDevice();
        if (dsnoops.contains(dev) || !dev.equals("default") && alsa.definedDevices().contains(dev)) {
            out.add(Finding.ok(Area.MICROPHONE, name, "audioDevice " + dev + " (defined in /etc/asound.conf)"));
            return;
        }
        if (dev.equals("default") && alsa.defaultDefined()) {
            out.add(Finding.ok(Area.MICROPHONE, name, "audioDevice default, as /etc/asound.conf sets it"));
            return;
        }
        Optional<Alsa.Capture> capture = alsa.capture(dev);
        if (capture.isEmpty()) {
            Optional<Alsa.Capture> first = alsa.captures().stream().findFirst();
            out.add(Finding.missing(Area.MICROPHONE, name, "audioDevice " + dev + " opens no microphone"
                    + (dev.equals("default") ? " (ALSA's default is card 0" + alsa.cards().stream().filter(k -> k.index() == 0)
                    .map(k -> ", " + k.description()).findFirst().orElse("") + ", which does not record)" : "")
                    + ": the camera streams without sound", first.isPresent()
                    ? Fix.config(List.of("cameras:", "  " + name + ":", "    audioDevice: " + first.get().alsaName()))
                    : Fix.todo("plug in a USB microphone, or set cameras." + name + ".audio: none")));
            return;
        }
        String key = capture.get().card().id() + "," + capture.get().device();
        String other = usedBy.putIfAbsent(key, name);
        if (other != null) {
            String hw = "hw:CARD=" + capture.get().card().id() + ",DEV=" + capture.get().device();
            out.add(Finding.missing(Area.MICROPHONE, name, "cameras " + other + " and " + name + " record from the same microphone ("
                    + hw + "): the second one cannot open it", Fix.paste("/etc/asound.conf, then audioDevice: coopmic on both cameras", List.of(
                    "pcm.coopmic_snoop {",
                    "    type dsnoop",
                    "    ipc_key 2606",
                    "    slave.pcm \"" + hw + "\"",
                    "}",
                    "pcm.coopmic {",
                    "    type plug",
                    "    slave.pcm \"coopmic_snoop\"",
                    "}"))));
            return;
        }
        out.add(Finding.ok(Area.MICROPHONE, name, "audioDevice " + dev + ": " + capture.get().card().description()));
    }
}
