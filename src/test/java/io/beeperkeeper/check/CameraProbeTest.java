package io.beeperkeeper.check;

import io.beeperkeeper.config.BeeperConfig;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The camera probe on fake /dev and /sys trees, with fake rpicam-hello and v4l2-ctl on the search path. */
class CameraProbeTest {
    static final String IMX708 = """
            Available cameras
            -----------------
            0 : imx708_wide [4608x2592 10-bit RGGB] (/base/soc/i2c0mux/i2c@1/imx708@1a)
                Modes: 'SRGGB10_CSI2P' : 1536x864 [120.13 fps - (768, 432)/3072x1728 crop]
                                         2304x1296 [56.03 fps - (0, 0)/4608x2592 crop]
            """;
    static final String WEBCAM_FORMATS = """
            ioctl: VIDIOC_ENUM_FMT
            \tType: Video Capture

            \t[0]: 'YUYV' (YUYV 4:2:2)
            \t\tSize: Discrete 640x480
            \t\t\tInterval: Discrete 0.033s (30.000 fps)
            \t\tSize: Discrete 1280x720
            \t\t\tInterval: Discrete 0.100s (10.000 fps)
            \t[1]: 'MJPG' (Motion-JPEG, compressed)
            \t\tSize: Discrete 1920x1080
            \t\t\tInterval: Discrete 0.033s (30.000 fps)
            """;

    @TempDir
    Path dir;
    FakeMachine m;

    @BeforeEach
    void machine() {
        m = new FakeMachine(dir);
    }

    /** A Pi with its codec node, a USB webcam (video0 capture, video1 metadata) and an MJPG-only camera (video2). */
    private void webcams() {
        m.file("/dev/video0", "").file("/dev/video1", "").file("/dev/video2", "").file("/dev/video10", "")
                .file("/sys/class/video4linux/video0/name", "USB Camera: USB Camera\n")
                .file("/sys/class/video4linux/video1/name", "USB Camera: USB Camera\n")
                .file("/sys/class/video4linux/video2/name", "HD Webcam\n")
                .file("/sys/class/video4linux/video10/name", "bcm2835-codec-decode\n");
        m.command("v4l2-ctl", "case \"$2\" in\n"
                + "*/video0) cat <<'EOF'\n" + WEBCAM_FORMATS + "EOF\n;;\n"
                + "*/video1) printf 'ioctl: VIDIOC_ENUM_FMT\\n\\tType: Video Capture\\n\\n' ;;\n"
                + "*/video2) printf \"\\t[0]: 'MJPG' (Motion-JPEG, compressed)\\n\\t\\tSize: Discrete 1280x720\\n\" ;;\n"
                + "*) echo \"unexpected $*\" >&2; exit 1 ;;\nesac");
    }

    private Report probe(BeeperConfig config) {
        Host host = m.host();
        return FakeMachine.run(new CameraProbe(host, PiCameras.list(host), V4l2Devices.list(host), Alsa.read(host)), config);
    }

    @Test
    void listsThePiCameraThatRpicamHelloFindsAndRunUsesIt() {
        m.printing("rpicam-hello", IMX708, 0).printing("rpicam-vid", "", 0);
        Report r = probe(m.config("cameras:\n  csi:\n    source: rpicam\n"));
        assertThat(r.in(Area.CAMERA)).anySatisfy(f -> {
            assertThat(f.name()).isEqualTo("pi camera 0");
            assertThat(f.status()).isEqualTo(Status.OK);
            assertThat(f.detail()).contains("imx708_wide", "4608x2592");
        });
        assertThat(r.in(Area.CAMERA)).filteredOn(f -> f.name().equals("csi")).singleElement()
                .satisfies(f -> assertThat(f.status()).isEqualTo(Status.OK));
        assertThat(r.runWillUse()).anySatisfy(u -> assertThat(u).startsWith("camera csi: rpicam-vid (imx708_wide) 800x600@15"));
    }

    @Test
    void aRpicamCameraWithoutPiCameraOrRpicamVidSaysSoWithTheFix() {
        m.printing("rpicam-hello", "No cameras available!", 255);
        Report r = probe(m.config("cameras:\n  csi:\n    source: rpicam\n"));
        assertThat(r.in(Area.CAMERA)).filteredOn(f -> f.name().equals("pi camera")).singleElement().satisfies(f -> {
            assertThat(f.status()).isEqualTo(Status.MISSING);
            assertThat(f.detail()).contains("lists none", "No cameras available!");
        });
        assertThat(r.in(Area.CAMERA)).filteredOn(f -> f.name().equals("csi")).singleElement().satisfies(f -> {
            assertThat(f.status()).isEqualTo(Status.MISSING);
            assertThat(f.fix().lines()).containsExactly("sudo apt-get install -y rpicam-apps");
        });
        assertThat(r.blockers()).isZero();
        assertThat(r.runWillUse()).noneMatch(u -> u.startsWith("camera csi"));
    }

    @Test
    void webcamsWithTheirFormatsLeavingOutThePisOwnNodesAndMetadataNodes() {
        webcams();
        Report r = probe(m.config("node:\n  name: coop\n"));
        assertThat(r.in(Area.CAMERA)).filteredOn(f -> f.name().equals("/dev/video0")).singleElement().satisfies(f -> {
            assertThat(f.status()).isEqualTo(Status.OK);
            assertThat(f.detail()).contains("USB Camera", "YUYV 640x480, 1280x720", "MJPG 1920x1080");
        });
        assertThat(r.in(Area.CAMERA)).filteredOn(f -> f.name().equals("/dev/video2")).singleElement().satisfies(f -> {
            assertThat(f.status()).isEqualTo(Status.MISSING);
            assertThat(f.detail()).contains("no YUYV");
        });
        assertThat(r.in(Area.CAMERA)).extracting(Finding::name).doesNotContain("/dev/video1", "/dev/video10");
    }

    @Test
    void withNoCameraInTheSettingsTheFixIsTheCamerasSectionToPaste() {
        webcams();
        m.printing("rpicam-hello", IMX708, 0);
        m.file("/proc/asound/cards", " 1 [Device         ]: USB-Audio - USB PnP Sound Device\n                      C-Media\n")
                .file("/proc/asound/pcm", "01-00: USB Audio : USB Audio : capture 1\n");
        Report r = probe(m.config("node:\n  name: coop\n"));
        Finding cameras = r.in(Area.CAMERA).stream().filter(f -> f.name().equals("cameras")).findFirst().orElseThrow();
        assertThat(cameras.status()).isEqualTo(Status.MISSING);
        assertThat(cameras.fix().where()).isEqualTo("beeper.yaml");
        assertThat(cameras.fix().lines()).containsExactly("cameras:", "  csi:", "    source: rpicam", "  usb:", "    source: v4l2",
                "    device: /dev/video0", "    audio: opus", "    audioDevice: plughw:CARD=Device,DEV=0");
        // the lines load as settings
        BeeperConfig pasted = m.config(String.join("\n", cameras.fix().lines()) + "\n");
        assertThat(pasted.cameras().entries()).containsKeys("csi", "usb");
        assertThat(r.runWillUse()).contains("camera csi: ffmpeg test pattern 640x480@15");
    }

    @Test
    void aWebcamSizeItDoesNotOfferGetsTheNearestOneAsTheFix() {
        webcams();
        Report r = probe(m.config("cameras:\n  usb:\n    source: v4l2\n    device: /dev/video0\n    width: 800\n    height: 600\n    audio: none\n"));
        Finding usb = r.in(Area.CAMERA).stream().filter(f -> f.name().equals("usb")).findFirst().orElseThrow();
        assertThat(usb.status()).isEqualTo(Status.MISSING);
        assertThat(usb.fix().lines()).containsExactly("cameras:", "  usb:", "    width: 640", "    height: 480");
    }

    @Test
    void aWebcamThatIsThereIsWhatRunUses() {
        webcams();
        Report r = probe(m.config("cameras:\n  usb:\n    source: v4l2\n    device: /dev/video0\n    audio: none\n"));
        assertThat(r.in(Area.CAMERA)).filteredOn(f -> f.name().equals("usb")).singleElement()
                .satisfies(f -> assertThat(f.status()).isEqualTo(Status.OK));
        assertThat(r.runWillUse()).anySatisfy(u -> assertThat(u).startsWith("camera usb: /dev/video0 USB Camera: USB Camera YUYV 640x480@10"));
    }

    @Test
    void aMissingDeviceNamesTheOneThatIsThere() {
        webcams();
        Report r = probe(m.config("cameras:\n  usb:\n    source: v4l2\n    device: /dev/video4\n    audio: none\n"));
        Finding usb = r.in(Area.CAMERA).stream().filter(f -> f.name().equals("usb")).findFirst().orElseThrow();
        assertThat(usb.detail()).contains("/dev/video4 does not exist");
        assertThat(usb.fix().lines()).containsExactly("cameras:", "  usb:", "    device: /dev/video0");
    }

    @Test
    void withoutV4l2CtlTheWebcamIsFoundFromSysfsAndTheFixInstallsV4lUtils() {
        m.file("/dev/video0", "").file("/dev/video1", "")
                .file("/sys/class/video4linux/video0/name", "USB Camera\n").file("/sys/class/video4linux/video0/index", "0\n")
                .file("/sys/class/video4linux/video1/name", "USB Camera\n").file("/sys/class/video4linux/video1/index", "1\n");
        Report r = probe(m.config("node:\n  name: coop\n"));
        assertThat(r.in(Area.CAMERA)).filteredOn(f -> f.name().equals("v4l2-ctl")).singleElement()
                .satisfies(f -> assertThat(f.fix().lines()).containsExactly("sudo apt-get install -y v4l-utils"));
        assertThat(r.in(Area.CAMERA)).extracting(Finding::name).contains("/dev/video0").doesNotContain("/dev/video1");
    }
}
