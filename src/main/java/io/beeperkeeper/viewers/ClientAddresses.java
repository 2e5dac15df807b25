package io.beeperkeeper.viewers;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds the client's IP address: the socket's peer, unless that peer is one of the configured
 * trusted proxies, in which case {@code CF-Connecting-IP} or the nearest untrusted hop of
 * {@code X-Forwarded-For} is believed. Headers from anyone else are ignored, so a LAN client cannot
 * claim another address.
 */
public final class ClientAddresses {
    private final List<AddressBlock> trusted;

    public ClientAddresses(List<AddressBlock> trusted) {
        this.trusted = List.copyOf(trusted);
    }

    /** From the config value: comma-separated addresses or CIDR blocks, may be empty. */
    public static ClientAddresses parse(String commaSeparated) {
        List<AddressBlock> blocks = new ArrayList<>();
        for (String p : commaSeparated.split(",")) {
            if (!p.isBlank()) {
                blocks.add(AddressBlock.parse(p));
            }
        }
        return new ClientAddresses(blocks);
    }

    public boolean isTrustedProxy(String socketAddress) {
        return AddressBlock.parseLiteral(socketAddress).map(this::isTrusted).orElse(false);
    }

    private boolean isTrusted(InetAddress a) {
        for (AddressBlock b : trusted) {
            if (b.contains(a)) {
                return true;
            }
        }
        return false;
    }

    /** The client's address as text (an IP literal). */
    public String clientAddress(IncomingRequest request) {
        String socket = normalise(request.socketAddress());
        if (!isTrustedProxy(socket)) {
            return socket;
        }
        Optional<InetAddress> cf = AddressBlock.parseLiteral(request.header("CF-Connecting-IP"));
        if (cf.isPresent()) {
            return cf.get().getHostAddress();
        }
        String xff = request.header("X-Forwarded-For");
        if (xff != null) {
            String[] hops = xff.split(",");
            // Walk from the nearest hop: the first address that is not one of our proxies is the client.
            for (int i = hops.length - 1; i >= 0; i--) {
                Optional<InetAddress> hop = AddressBlock.parseLiteral(hops[i]);
                if (hop.isEmpty()) {
                    break;
                }
                if (!isTrusted(hop.get()) || i == 0) {
                    return hop.get().getHostAddress();
                }
            }
        }
        return socket;
    }

    public static boolean isLoopback(String address) {
        return AddressBlock.parseLiteral(address).map(InetAddress::isLoopbackAddress).orElse(false);
    }

    private static String normalise(String address) {
        return AddressBlock.parseLiteral(address).map(InetAddress::getHostAddress).orElse(String.valueOf(address));
    }
}
