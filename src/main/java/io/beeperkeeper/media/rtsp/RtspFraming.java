package io.beeperkeeper.media.rtsp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.TooLongFrameException;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * Splits what a client sends on its RTSP connection into whole RTSP requests (handed on as bytes to
 * Netty's {@code RtspDecoder}) and interleaved binary packets ({@code $}, channel, 16-bit length:
 * RFC 2326 §10.12, the client's RTCP receiver reports when media runs over TCP). Netty's decoder
 * knows nothing of interleaving, so this one framing step is written here; it parses no more than
 * where a message ends (the blank line and a Content-Length). A header block or body over its cap
 * closes the connection instead of being buffered.
 */
final class RtspFraming extends ByteToMessageDecoder {
    static final int MAX_HEAD = 8 * 1024;
    static final int MAX_BODY = 64 * 1024;

    /** One interleaved packet from the client (its content is not kept). */
    record Interleaved(int channel, int length) {
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        while (in.isReadable()) {
            int start = in.readerIndex();
            if (in.getByte(start) == '$') {
                if (in.readableBytes() < 4) {
                    return;
                }
                int channel = in.getUnsignedByte(start + 1);
                int length = in.getUnsignedShort(start + 2);
                if (in.readableBytes() < 4 + length) {
                    return;
                }
                in.skipBytes(4 + length);
                out.add(new Interleaved(channel, length));
                continue;
            }
            int searchable = Math.min(in.readableBytes(), MAX_HEAD);
            int end = endOfHead(in, start, searchable);
            if (end < 0) {
                if (in.readableBytes() >= MAX_HEAD) {
                    in.skipBytes(in.readableBytes());
                    throw new TooLongFrameException("request headers longer than " + MAX_HEAD + " bytes");
                }
                return;
            }
            int head = end - start;
            int body = contentLength(in.toString(start, head, StandardCharsets.ISO_8859_1));
            if (body < 0 || body > MAX_BODY) {
                in.skipBytes(in.readableBytes());
                throw new TooLongFrameException("request body of " + body + " bytes (at most " + MAX_BODY + ")");
            }
            if (in.readableBytes() < head + body) {
                return;
            }
            out.add(in.readRetainedSlice(head + body));
        }
    }

    /** The index just after the blank line ending the header block, or -1. */
    private static int endOfHead(ByteBuf in, int start, int length) {
        for (int i = start; i + 3 < start + length; i++) {
            if (in.getByte(i) == '\r' && in.getByte(i + 1) == '\n' && in.getByte(i + 2) == '\r' && in.getByte(i + 3) == '\n') {
                return i + 4;
            }
        }
        return -1;
    }

    /** The Content-Length of a header block (0 when absent), -1 when it is not a number. */
    static int contentLength(String head) {
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals("content-length")) {
                try {
                    return Integer.parseInt(line.substring(colon + 1).trim());
                } catch (NumberFormatException e) {
                    return -1;
                }
            }
        }
        return 0;
    }
}
