package io.beeperkeeper.check;

import io.beeperkeeper.config.BeeperConfig;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The microphone probe on a fake /proc/asound and /etc/asound.conf. */
class MicrophoneProbeTest {
    /** A Pi's HDMI audio as card 0 (playback only) and a USB microphone as card 1. */
    static final String CARDS = """
             0 [vc4hdmi        ]: vc4-hdmi - vc4-hdmi
                                  vc4-hdmi
             1 [Device         ]: USB-Audio - USB PnP Sound Device
                                  C-Media Electronics Inc. USB PnP Sound Device at usb-3f980000.usb-1.3, full speed
            """;
    static final String PCM = """
            00-00: MAI PCM i2s-hifi-0 : MAI PCM i2s-hifi-0 : playback 1
            01-00: USB Audio : USB Audio : playback 1 : capture 1
            """;
    static final String WEBCAM = "    source: v4l2\n    device: /dev/video0\n    audio: opus\n";

    @TempDir
    Path dir;
    FakeMachine m;

    @BeforeEach
    void machine() {
        m = new FakeMachine(dir);
        m.file("/proc/asound/cards", CARDS).file("/proc/asound/pcm", PCM);
    }

    private Report probe(BeeperConfig config) {
        return FakeMachine.run(new MicrophoneProbe(m.host(), Alsa.read(m.host())), config);
    }

    @Test
    void listsTheCaptureDevicesByCardId() {
        Report r = probe(m.config("node:\n  name: coop\n"));
        assertThat(r.in(Area.MICROPHONE)).singleElement().satisfies(f -> {
            assertThat(f.status()).isEqualTo(Status.OK);
            assertThat(f.name()).isEqualTo("plughw:CARD=Device,DEV=0");
            assertThat(f.detail()).contains("USB PnP Sound Device");
        });
    }

    @Test
    void theDefaultDeviceOnAPiIsHdmiSoTheFixNamesTheUsbMicrophone() {
        Report r = probe(m.config("cameras:\n  usb:\n" + WEBCAM));
        Finding usb = r.in(Area.MICROPHONE).stream().filter(f -> f.name().equals("usb")).findFirst().orElseThrow();
        assertThat(usb.status()).isEqualTo(Status.MISSING);
        assertThat(usb.detail()).contains("card 0", "vc4-hdmi", "does not record");
        assertThat(usb.fix().lines()).containsExactly("cameras:", "  usb:", "    audioDevice: plughw:CARD=Device,DEV=0");
        assertThat(m.config("cameras:\n  usb:\n" + WEBCAM + "    audioDevice: plughw:CARD=Device,DEV=0\n").cameras().entries())
                .containsKey("usb");
    }

    @Test
    void aDeviceThatRecordsIsOkByNumberOrById() {
        for (String dev : new String[]{"hw:1,0", "plughw:CARD=Device,DEV=0", "hw:Device"}) {
            Report r = probe(m.config("cameras:\n  usb:\n" + WEBCAM + "    audioDevice: " + dev + "\n"));
            assertThat(r.in(Area.MICROPHONE)).filteredOn(f -> f.name().equals("usb")).singleElement()
                    .satisfies(f -> assertThat(f.status()).as(dev).isEqualTo(Status.OK));
        }
    }

    @Test
    void twoCamerasOnOneMicrophoneGetADsnoopDevice() {
        Report r = probe(m.config("cameras:\n  usb:\n" + WEBCAM + "    audioDevice: hw:1,0\n"
                + "  door:\n    source: v4l2\n    device: /dev/video2\n    audio: opus\n    audioDevice: plughw:CARD=Device,DEV=0\n"));
        Finding door = r.in(Area.MICROPHONE).stream().filter(f -> f.name().equals("door")).findFirst().orElseThrow();
        assertThat(door.status()).isEqualTo(Status.MISSING);
        assertThat(door.detail()).contains("usb and door record from the same microphone");
        assertThat(door.fix().where()).startsWith("/etc/asound.conf");
        assertThat(door.fix().lines()).contains("    type dsnoop", "    slave.pcm \"hw:CARD=Device,DEV=0\"");
    }

    @Test
    void aDsnoopDeviceFromAsoundConfIsListedAndUsable() {
        m.file("/etc/asound.conf", "pcm.coopmic {\n    type dsnoop\n    ipc_key 2606\n    slave.pcm \"hw:1,0\"\n}\n");
        Report r = probe(m.config("cameras:\n  usb:\n" + WEBCAM + "    audioDevice: coopmic\n"));
        assertThat(r.in(Area.MICROPHONE)).filteredOn(f -> f.name().equals("coopmic")).singleElement()
                .satisfies(f -> assertThat(f.detail()).contains("dsnoop"));
        assertThat(r.in(Area.MICROPHONE)).filteredOn(f -> f.name().equals("usb")).singleElement()
                .satisfies(f -> assertThat(f.status()).isEqualTo(Status.OK));
    }

    @Test
    void noRecordingCardAtAllSaysSo() {
        m.file("/proc/asound/cards", " 0 [vc4hdmi        ]: vc4-hdmi - vc4-hdmi\n").file("/proc/asound/pcm", "00-00: MAI : MAI : playback 1\n");
        Report r = probe(m.config("node:\n  name: coop\n"));
        assertThat(r.in(Area.MICROPHONE)).singleElement().satisfies(f -> {
            assertThat(f.status()).isEqualTo(Status.MISSING);
            assertThat(f.detail()).contains("1 sound card(s), none records");
        });
    }
}
