package io.beeperkeeper.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the UTC time of day the test cameras draw on each frame ({@code HH:MM:SS.mmm}, top left) from
 * images of it, with tesseract (Debian's tesseract-ocr): one tesseract run for a whole list of images,
 * so reading hundreds of screenshots costs one process start.
 */
public final class DrawnClock {
    private static final Pattern CLOCK = Pattern.compile("(\\d{2}):(\\d{2}):(\\d{2})[.,:]?(\\d{3})");

    private DrawnClock() {
    }

    /**
     * @param images PNGs showing the clock alone (a crop of the frame's top left), one line of text each
     * @return per image, the milliseconds since midnight UTC it shows, or empty when unreadable
     */
    public static List<OptionalLong> read(List<Path> images) throws IOException, InterruptedException {
        if (images.isEmpty()) {
            return List.of();
        }
        Path list = Files.createTempFile("beeper-clock", ".txt");
        try {
            Files.write(list, images.stream().map(Path::toString).toList());
            Process p;
            try {
                p = new ProcessBuilder("tesseract", list.toString(), "stdout", "--psm", "7", "-c",
                        "tessedit_char_whitelist=0123456789:.").redirectError(ProcessBuilder.Redirect.DISCARD).start();
            } catch (IOException e) {
                throw new IOException("tesseract is not installed: sudo apt-get install tesseract-ocr", e);
            }
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IOException("tesseract did not finish");
            }
            String[] pages = text.split("\f", -1);
            List<OptionalLong> out = new ArrayList<>(images.size());
            for (int i = 0; i < images.size(); i++) {
                out.add(i < pages.length ? parse(pages[i]) : OptionalLong.empty());
            }
            return out;
        } finally {
            Files.deleteIfExists(list);
        }
    }

    /** Milliseconds since midnight in text such as {@code 03:17:43.408}, or empty. */
    static OptionalLong parse(String text) {
        Matcher m = CLOCK.matcher(text.replace(" ", "").replace("\n", ""));
        if (!m.find()) {
            return OptionalLong.empty();
        }
        int h = Integer.parseInt(m.group(1));
        int min = Integer.parseInt(m.group(2));
        int s = Integer.parseInt(m.group(3));
        if (h > 47 || min > 59 || s > 59) { // a clock past midnight reads 24:00:00+ until its camera restarts
            return OptionalLong.empty();
        }
        return OptionalLong.of(((h * 60L + min) * 60 + s) * 1000 + Integer.parseInt(m.group(4)));
    }
}
