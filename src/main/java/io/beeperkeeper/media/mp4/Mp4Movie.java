package io.beeperkeeper.media.mp4;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A faststart MP4 that is never written to disk as one file: a header made by
 * {@link Mp4FileWriter#header()} (ftyp, moov, the mdat header; a few kB for a clip, tens of kB for a
 * day of time-lapse) followed by a file whose bytes are the movie's samples one after the other, read
 * as they are. The samples are written once, as the camera sends them, so a clip or a day's
 * time-lapse costs the SD card one forward stream and no copy, however often it is watched. A file
 * that is a whole MP4 already is this with an empty header.
 *
 * @param header        the bytes before the first sample
 * @param samples       the samples file
 * @param samplesLength how much of it belongs to the movie (a file that grows behind it, as today's
 *                      time-lapse does, has more)
 * @param tail          the movie's last bytes, which follow {@code samplesLength} and are not in the file
 *                      yet (today's time-lapse keeps its newest keyframe's last bytes in memory until
 *                      their page fills)
 */
public record Mp4Movie(byte[] header, Path samples, long samplesLength, byte[] tail) {
    public Mp4Movie {
        header = header.clone();
        tail = tail.clone();
    }

    /** A movie whose samples are all in the file. */
    public Mp4Movie(byte[] header, Path samples, long samplesLength) {
        this(header, samples, samplesLength, new byte[0]);
    }

    @Override
    public byte[] header() {
        return header.clone();
    }

    @Override
    public byte[] tail() {
        return tail.clone();
    }

    /** The movie's length in bytes. */
    public long size() {
        return header.length + samplesLength + tail.length;
    }

    /** The movie's bytes from the start; skipping (a Range request) costs no read. */
    public InputStream open() throws IOException {
        return new Bytes(header, FileChannel.open(samples, StandardOpenOption.READ), samplesLength, tail);
    }

    private static final class Bytes extends InputStream {
        private final byte[] header;
        private final FileChannel samples;
        private final long inFile;
        private final byte[] tail;
        private final long size;
        private long at;

        Bytes(byte[] header, FileChannel samples, long inFile, byte[] tail) {
            this.header = header;
            this.samples = samples;
            this.inFile = inFile;
            this.tail = tail;
            this.size = header.length + inFile + tail.length;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (at >= size) {
                return -1;
            }
            int n = (int) Math.min(len, size - at);
            if (at < header.length) {
                n = (int) Math.min(n, header.length - at);
                System.arraycopy(header, (int) at, b, off, n);
            } else if (at >= header.length + inFile) {
                System.arraycopy(tail, (int) (at - header.length - inFile), b, off, n);
            } else {
                n = (int) Math.min(n, header.length + inFile - at);
                n = samples.read(ByteBuffer.wrap(b, off, n), at - header.length);
                if (n < 0) {
                    throw new IOException(this.samples + " is shorter than its index says");
                }
            }
            at += n;
            return n;
        }

        @Override
        public long skip(long n) {
            long s = Math.max(0, Math.min(n, size - at));
            at += s;
            return s;
        }

        @Override
        public int available() {
            return (int) Math.min(Integer.MAX_VALUE, size - at);
        }

        @Override
        public void close() throws IOException {
            samples.close();
        }
    }
}
