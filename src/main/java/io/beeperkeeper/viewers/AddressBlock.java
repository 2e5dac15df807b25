package io.beeperkeeper.viewers;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * An IP address or CIDR block (10.0.0.0/8, ::1). Written here because it is a few lines and the
 * alternatives (Jetty's InetAddressSet, commons-net) would tie the domain to a transport library.
 * Parsing never touches DNS: only IP literals are accepted.
 */
public record AddressBlock(byte[] network, int prefixLength) {

    public static AddressBlock parse(String text) {
        String s = text.trim();
        int slash = s.indexOf('/');
        InetAddress addr = parseLiteral(slash < 0 ? s : s.substring(0, slash))
                .orElseThrow(() -> new IllegalArgumentException("not an IP address or CIDR block: " + text));
        int bits = addr.getAddress().length * 8;
        int prefix = slash < 0 ? bits : Integer.parseInt(s.substring(slash + 1));
        if (prefix < 0 || prefix > bits) {
            throw new IllegalArgumentException("prefix length out of range in " + text);
        }
        return new AddressBlock(addr.getAddress(), prefix);
    }

    /** An IP literal (v4 or v6) as an address; empty for anything else, including host names. */
    public static Optional<InetAddress> parseLiteral(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String s = text.trim();
        if (s.startsWith("[") && s.endsWith("]")) {
            s = s.substring(1, s.length() - 1);
        }
        boolean v4 = s.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        boolean v6 = s.contains(":") && s.matches("[0-9A-Fa-f:.]{2,45}");
        if (!v4 && !v6) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByName(s)); // a literal: no lookup happens
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    public boolean contains(InetAddress address) {
        byte[] a = address.getAddress();
        if (a.length != network.length) {
            return false;
        }
        int full = prefixLength / 8;
        for (int i = 0; i < full; i++) {
            if (a[i] != network[i]) {
                return false;
            }
        }
        int rest = prefixLength % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff << (8 - rest)) & 0xff;
        return (a[full] & mask) == (network[full] & mask);
    }
}
