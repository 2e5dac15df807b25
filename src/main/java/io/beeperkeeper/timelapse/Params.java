package io.beeperkeeper.timelapse;

import io.beeperkeeper.media.VideoTrack;
import io.beeperkeeper.media.h264.Sps;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;

/**
 * The SPS and PPS every keyframe of a part decodes with. Two keyframes go into the same part only
 * when these are byte for byte the same, so a part's pictures all have one size and one profile.
 * On disk: each NAL unit as a 2-byte length and its bytes (the same layout as in an MP4's avcC).
 */
record Params(byte[] sps, byte[] pps) {
    Params {
        sps = sps.clone();
        pps = pps.clone();
        Sps.parse(sps); // refuses what is not an SPS
    }

    static Params of(VideoTrack v) {
        return new Params(v.sps(), v.pps());
    }

    @Override
    public byte[] sps() {
        return sps.clone();
    }

    @Override
    public byte[] pps() {
        return pps.clone();
    }

    Sps parsed() {
        return Sps.parse(sps);
    }

    boolean sameAs(Params o) {
        return Arrays.equals(sps, o.sps) && Arrays.equals(pps, o.pps);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Params p && sameAs(p);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(sps) * 31 + Arrays.hashCode(pps);
    }

    /** Writes the file whole or not at all (a temporary file moved into place). */
    void write(Path file) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] nal : new byte[][] {sps, pps}) {
            out.write(nal.length >>> 8);
            out.write(nal.length);
            out.write(nal);
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(tmp, out.toByteArray());
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    static Params read(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file));
        try {
            byte[] sps = new byte[b.getShort() & 0xFFFF];
            b.get(sps);
            byte[] pps = new byte[b.getShort() & 0xFFFF];
            b.get(pps);
            return new Params(sps, pps);
        } catch (RuntimeException e) {
            throw new IOException(file + " is not a time-lapse parameter file: " + e.getMessage(), e);
        }
    }
}
