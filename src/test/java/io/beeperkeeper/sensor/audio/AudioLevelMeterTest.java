package io.beeperkeeper.sensor.audio;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class AudioLevelMeterTest {

    private static byte[] sine(int rate, double seconds, double amplitude) {
        int n = (int) (rate * seconds);
        byte[] b = new byte[n * 2];
        for (int i = 0; i < n; i++) {
            short s = (short) Math.round(amplitude * 32767 * Math.sin(2 * Math.PI * 1000 * i / rate));
            b[2 * i] = (byte) s;
            b[2 * i + 1] = (byte) (s >> 8);
        }
        return b;
    }

    @Test
    void fullScaleAndHalfScaleSine() {
        List<AudioLevelMeter.Level> levels = new ArrayList<>();
        AudioLevelMeter m = new AudioLevelMeter(48000, 1, 1.0, levels::add);
        byte[] loud = sine(48000, 1.0, 1.0);
        m.feed(loud, 0, loud.length);
        byte[] half = sine(48000, 1.0, 0.5);
        m.feed(half, 0, half.length);
        assertThat(levels).hasSize(2);
        assertThat(levels.get(0).rmsDbfs()).isCloseTo(-3.01, within(0.02));
        assertThat(levels.get(0).peakDbfs()).isCloseTo(0.0, within(0.01));
        assertThat(levels.get(1).rmsDbfs()).isCloseTo(-9.03, within(0.02));
        assertThat(levels.get(1).peakDbfs()).isCloseTo(-6.02, within(0.01));
    }

    @Test
    void bytesSplitInsideSamplesGiveTheSameResult() {
        List<AudioLevelMeter.Level> whole = new ArrayList<>();
        List<AudioLevelMeter.Level> split = new ArrayList<>();
        byte[] pcm = sine(16000, 2.0, 0.25);
        new AudioLevelMeter(16000, 2, 0.5, whole::add).feed(pcm, 0, pcm.length);
        AudioLevelMeter m = new AudioLevelMeter(16000, 2, 0.5, split::add);
        for (int i = 0; i < pcm.length; i += 3) {
            m.feed(pcm, i, Math.min(3, pcm.length - i));
        }
        assertThat(split).isEqualTo(whole).hasSize(2); // 32000 samples, 16000 per window of 0.5 s stereo
    }

    @Test
    void silenceIsTheFloor() {
        List<AudioLevelMeter.Level> levels = new ArrayList<>();
        new AudioLevelMeter(8000, 1, 1.0, levels::add).feed(new byte[16000], 0, 16000);
        assertThat(levels.get(0).rmsDbfs()).isEqualTo(AudioLevelMeter.FLOOR_DB);
        assertThat(levels.get(0).peakDbfs()).isEqualTo(AudioLevelMeter.FLOOR_DB);
    }
}
