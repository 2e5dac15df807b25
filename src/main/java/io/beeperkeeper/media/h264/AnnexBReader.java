package io.beeperkeeper.media.h264;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * Splits an H.264 Annex B byte stream (rpicam-vid or ffmpeg {@code -f h264} on a pipe) into access
 * units.
 *
 * <p>Latency detail: in Annex B a NAL unit ends only where the next start code begins, so a parser
 * that waits for the next start code is always one frame late (67 ms at 15 fps). Encoders write each
 * picture to the pipe in one go, so when the pipe falls idle right after a read (nothing more
 * within {@link #IDLE_MILLIS}) the buffered bytes are a whole picture and are emitted at once. The
 * start-code rule still splits pictures that arrive back to back.
 *
 * <p>Bad input (no start code, an oversized NAL, a malformed slice header) is skipped and counted,
 * never thrown: a camera process printing garbage must not take the hub down.
 */
public final class AnnexBReader {
    /** A NAL unit larger than this is garbage (an 8 MP intra picture is well under it). */
    static final int MAX_NAL_BYTES = 4 * 1024 * 1024;
    static final int IDLE_MILLIS = 2;

    private final Consumer<AccessUnit> sink;
    private final List<byte[]> current = new ArrayList<>();
    private boolean currentHasVcl;
    private boolean currentKey;
    private boolean currentB;
    private byte[] currentSps;
    private byte[] currentPps;
    // written by the reading thread only; volatile so health can read them while it runs
    private volatile long skippedBytes;
    private volatile long malformed;

    public AnnexBReader(Consumer<AccessUnit> sink) {
        this.sink = sink;
    }

    /** Reads until end of stream (the process exited) or an I/O error. */
    public void run(InputStream in) throws IOException {
        byte[] buf = new byte[256 * 1024];
        int len = 0;
        int scanFrom = 0;
        int nalStart = -1; // index after the start code of the NAL being collected
        byte[] chunk = new byte[64 * 1024];
        while (true) {
            int n = in.read(chunk);
            if (n < 0) {
                if (nalStart >= 0) {
                    nal(buf, nalStart, len);
                }
                endOfPicture();
                return;
            }
            if (len + n > buf.length) {
                int keepFrom = nalStart >= 0 ? nalStart - 3 : Math.max(0, len - 3);
                keepFrom = Math.max(0, keepFrom);
                int kept = len - keepFrom;
                if (kept + n > MAX_NAL_BYTES + 8) {
                    skippedBytes += len;
                    len = 0;
                    scanFrom = 0;
                    nalStart = -1;
                    malformed++;
                } else {
                    byte[] target = kept + n > buf.length ? new byte[Math.max(buf.length * 2, kept + n)] : buf;
                    System.arraycopy(buf, keepFrom, target, 0, kept);
                    buf = target;
                    if (nalStart >= 0) {
                        nalStart -= keepFrom;
                    }
                    scanFrom = Math.max(0, scanFrom - keepFrom);
                    len = kept;
                }
            }
            System.arraycopy(chunk, 0, buf, len, n);
            len += n;

            // Find start codes 00 00 01; each ends the NAL collected so far.
            int i = Math.max(scanFrom, 0);
            while (i + 2 < len) {
                if (buf[i + 2] > 1) {
                    i += 3;
                } else if (buf[i] == 0 && buf[i + 1] == 0 && buf[i + 2] == 1) {
                    if (nalStart >= 0) {
                        nal(buf, nalStart, i);
                    } else {
                        skippedBytes += i;
                    }
                    nalStart = i + 3;
                    i += 3;
                } else {
                    i++;
                }
            }
            scanFrom = i;
            if (nalStart < 0) {
                continue;
            }
            if (idle(in)) {
                nal(buf, nalStart, len);
                endOfPicture();
                len = 0;
                scanFrom = 0;
                nalStart = -1;
            } else if (nalStart > buf.length / 2) {
                // Compact so the buffer does not grow with the stream.
                System.arraycopy(buf, nalStart, buf, 0, len - nalStart);
                len -= nalStart;
                scanFrom -= nalStart;
                nalStart = 0;
            }
        }
    }

    private static boolean idle(InputStream in) throws IOException {
        if (in.available() > 0) {
            return false;
        }
        try {
            Thread.sleep(IDLE_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
        return in.available() == 0;
    }

    public long skippedBytes() {
        return skippedBytes;
    }

    public long malformedUnits() {
        return malformed;
    }

    /** The NAL unit in {@code buf[from, to)}, copied once. */
    private void nal(byte[] buf, int from, int to) {
        int end = to;
        while (end > from && buf[end - 1] == 0) {
            end--; // trailing_zero_8bits and the leading zero of a 4-byte start code
        }
        if (end == from) {
            return;
        }
        byte[] nal = Arrays.copyOfRange(buf, from, end);
        if ((nal[0] & 0x80) != 0) {
            malformed++; // forbidden_zero_bit set: not H.264
            return;
        }
        int type = Nal.type(nal);
        boolean vcl = Nal.isVcl(type);
        if (currentHasVcl && (type == Nal.AUD || type == Nal.SPS || type == Nal.PPS || type == Nal.SEI
                || (vcl && nal.length > 1 && (nal[1] & 0x80) != 0))) {
            endOfPicture(); // a new picture begins (first_mb_in_slice == 0 or a non-VCL prefix unit)
        }
        switch (type) {
            case Nal.AUD -> { }
            case Nal.SPS -> currentSps = nal;
            case Nal.PPS -> currentPps = nal;
            default -> {
                if (vcl) {
                    currentHasVcl = true;
                    currentKey |= type == Nal.IDR;
                    currentB |= isBSlice(nal);
                }
                current.add(nal);
            }
        }
    }

    private void endOfPicture() {
        if (currentHasVcl) {
            sink.accept(new AccessUnit(current, currentKey, currentSps, currentPps, currentB));
        }
        current.clear();
        currentHasVcl = false;
        currentKey = false;
        currentB = false;
        currentSps = null;
        currentPps = null;
    }

    private boolean isBSlice(byte[] nal) {
        try {
            BitReader r = new BitReader(Nal.unescape(Arrays.copyOf(nal, Math.min(nal.length, 16))), 1);
            r.ue(); // first_mb_in_slice
            return r.ue() % 5 == 1;
        } catch (IllegalArgumentException e) {
            malformed++;
            return false;
        }
    }

    /** Parses a complete Annex B buffer (files, tests). */
    public static List<AccessUnit> parseAll(byte[] annexB) {
        List<AccessUnit> out = new ArrayList<>();
        AnnexBReader reader = new AnnexBReader(out::add);
        try {
            reader.run(new java.io.ByteArrayInputStream(annexB) {
                @Override
                public synchronized int available() {
                    return 1; // never "idle": split by start codes only
                }
            });
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    /** Writes access units back as Annex B (4-byte start codes), SPS/PPS before keyframes. */
    public static byte[] toAnnexB(List<byte[]> nals) {
        int size = 0;
        for (byte[] nal : nals) {
            size += 4 + nal.length;
        }
        byte[] out = new byte[size];
        int at = 0;
        for (byte[] nal : nals) {
            out[at + 3] = 1; // 00 00 00 01
            System.arraycopy(nal, 0, out, at + 4, nal.length);
            at += 4 + nal.length;
        }
        return out;
    }
}
