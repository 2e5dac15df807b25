package io.beeperkeeper.media.webrtc;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A parsed SDP (RFC 8866) as far as WHEP needs it: session-level attributes and the media sections
 * with their formats and attributes, in order. Parsing is strict about the shape of lines and bounded
 * in size, lenient about attributes it does not know (they are kept and ignored).
 */
record SessionDescription(List<Attribute> attributes, List<Media> media) {
    static final int MAX_BYTES = 64 * 1024;
    static final int MAX_MEDIA = 16;

    /** {@code a=name:value} ({@code value} is empty for flags such as {@code a=rtcp-mux}). */
    public record Attribute(String name, String value) {
    }

    /** One {@code m=} section. */
    public record Media(String kind, int port, String protocol, List<String> formats, List<Attribute> attributes) {
        public Optional<String> attribute(String name) {
            return attributes.stream().filter(a -> a.name().equals(name)).map(Attribute::value).findFirst();
        }

        public List<String> attributes(String name) {
            return attributes.stream().filter(a -> a.name().equals(name)).map(Attribute::value).toList();
        }

        public boolean has(String name) {
            return attributes.stream().anyMatch(a -> a.name().equals(name));
        }

        /** sendrecv, sendonly, recvonly or inactive (sendrecv when absent, RFC 8866). */
        public String direction() {
            for (Attribute a : attributes) {
                switch (a.name()) {
                    case "sendrecv", "sendonly", "recvonly", "inactive" -> {
                        return a.name();
                    }
                    default -> { }
                }
            }
            return "sendrecv";
        }
    }

    public Optional<String> attribute(String name) {
        return attributes.stream().filter(a -> a.name().equals(name)).map(Attribute::value).findFirst();
    }

    /** A media-level attribute, falling back to the session level (ice-ufrag, fingerprint, setup may be at either). */
    public Optional<String> attribute(Media m, String name) {
        return m.attribute(name).or(() -> attribute(name));
    }

    /** Parses an SDP; throws {@link IllegalArgumentException} with a reason a client developer can act on. */
    public static SessionDescription parse(String sdp) {
        if (sdp == null || sdp.isBlank()) {
            throw new IllegalArgumentException("empty SDP offer");
        }
        if (sdp.length() > MAX_BYTES) {
            throw new IllegalArgumentException("SDP offer larger than " + MAX_BYTES + " bytes");
        }
        List<Attribute> session = new ArrayList<>();
        List<Media> media = new ArrayList<>();
        List<Attribute> current = session;
        boolean sawVersion = false;
        int lineNo = 0;
        for (String raw : sdp.split("\r?\n")) {
            lineNo++;
            String line = raw.strip();
            if (line.isEmpty()) {
                continue;
            }
            if (!sawVersion && !line.startsWith("v=")) {
                throw new IllegalArgumentException("SDP must start with v=0");
            }
            if (line.length() < 2 || line.charAt(1) != '=') {
                throw new IllegalArgumentException("SDP line " + lineNo + " is not of the form x=value: " + abbreviate(line));
            }
            char type = line.charAt(0);
            String value = line.substring(2);
            switch (type) {
                case 'v' -> sawVersion = true;
                case 'm' -> {
                    if (media.size() >= MAX_MEDIA) {
                        throw new IllegalArgumentException("SDP has more than " + MAX_MEDIA + " media sections");
                    }
                    String[] parts = value.split(" +");
                    if (parts.length < 3) {
                        throw new IllegalArgumentException("SDP line " + lineNo + ": m= needs kind, port, protocol and formats");
                    }
                    int port;
                    try {
                        port = Integer.parseInt(parts[1].split("/")[0]);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("SDP line " + lineNo + ": bad port " + abbreviate(parts[1]));
                    }
                    current = new ArrayList<>();
                    media.add(new Media(parts[0], port, parts[2], List.of(parts).subList(3, parts.length), current));
                }
                case 'a' -> {
                    int colon = value.indexOf(':');
                    current.add(colon < 0 ? new Attribute(value, "") : new Attribute(value.substring(0, colon), value.substring(colon + 1)));
                }
                default -> { } // o, s, t, c, b, ...: nothing WHEP needs
            }
        }
        if (!sawVersion) {
            throw new IllegalArgumentException("SDP must start with v=0");
        }
        List<Media> frozen = media.stream()
                .map(m -> new Media(m.kind(), m.port(), m.protocol(), List.copyOf(m.formats()), List.copyOf(m.attributes())))
                .toList();
        return new SessionDescription(List.copyOf(session), frozen);
    }

    private static String abbreviate(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }
}
