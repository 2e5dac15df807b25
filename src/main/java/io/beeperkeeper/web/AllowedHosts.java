package io.beeperkeeper.web;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The names the hub answers to in the {@code Host} header, against DNS rebinding: a foreign page
 * whose own name an attacker re-points at the hub's address would otherwise talk to the hub as its
 * own origin (and pass the same-origin check, which compares Origin with Host).
 *
 * <p>Allowed: {@code localhost}, this machine's host name and its {@code .local} (mDNS) name, every
 * IP address literal, and the names in {@code web.allowedHosts} (a tunnel's or reverse proxy's
 * public host name); {@code *} there turns the check off. Any IP literal is allowed because a
 * rebinding attack needs a name the attacker controls: a page opened at an address has that address
 * as its origin, so this also keeps working when DHCP or Docker's port mapping changes the address
 * the hub is reached at.
 */
final class AllowedHosts {
    private final Set<String> configured;
    private final boolean any;
    private volatile Set<String> machine;

    private AllowedHosts(Set<String> configured, boolean any) {
        this.configured = Set.copyOf(configured);
        this.any = any;
    }

    /** From {@code web.allowedHosts}: comma-separated host names, or {@code *}; empty for the machine's own. */
    static AllowedHosts parse(String commaSeparated) {
        Set<String> names = new HashSet<>();
        boolean any = false;
        for (String p : commaSeparated.split(",")) {
            String n = normalise(p);
            if (n.equals("*")) {
                any = true;
            } else if (!n.isEmpty()) {
                names.add(n);
            }
        }
        return new AllowedHosts(names, any);
    }

    /** Looks up this machine's names once (at server start, not at construction). */
    void resolveMachineNames() {
        Set<String> names = new HashSet<>();
        names.add("localhost");
        readHostName().ifPresent(h -> {
            names.add(h);
            names.add(h + ".local");
            int dot = h.indexOf('.');
            if (dot > 0) {
                names.add(h.substring(0, dot));
                names.add(h.substring(0, dot) + ".local");
            }
        });
        try {
            String h = normalise(InetAddress.getLocalHost().getHostName());
            names.add(h);
            names.add(h + ".local");
        } catch (IOException e) {
            // no resolvable host name: localhost, addresses and web.allowedHosts remain
        }
        machine = Set.copyOf(names);
    }

    /** The names accepted besides IP literals, for the log and error answers. */
    Set<String> names() {
        Set<String> all = new HashSet<>(configured);
        all.addAll(machineNames());
        return all;
    }

    boolean allows(String hostHeader) {
        if (any || hostHeader == null) {
            // HTTP/1.0 clients may send no Host; a browser always sends one
            return true;
        }
        String host = hostOnly(hostHeader);
        if (host.isEmpty()) {
            return false;
        }
        if (isIpLiteral(host)) {
            return true;
        }
        return configured.contains(host) || machineNames().contains(host);
    }

    private Set<String> machineNames() {
        Set<String> m = machine;
        if (m == null) {
            resolveMachineNames();
            m = machine;
        }
        return m;
    }

    /** The host part of a Host header, lower case, without port, brackets or a trailing dot. */
    static String hostOnly(String hostHeader) {
        String h = hostHeader.trim();
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            return end < 0 ? "" : h.substring(0, end + 1).toLowerCase(Locale.ROOT);
        }
        int colon = h.indexOf(':');
        if (colon >= 0) {
            if (h.indexOf(':', colon + 1) >= 0) {
                return ""; // an IPv6 address must be bracketed in a Host header
            }
            h = h.substring(0, colon);
        }
        return normalise(h);
    }

    private static String normalise(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }

    private static boolean isIpLiteral(String host) {
        if (host.startsWith("[") && host.endsWith("]")) {
            return host.length() > 2 && host.substring(1, host.length() - 1).matches("[0-9a-f:.]+(%[0-9a-z_.-]+)?");
        }
        if (!host.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            return false;
        }
        for (String part : host.split("\\.")) {
            if (Integer.parseInt(part) > 255) {
                return false;
            }
        }
        return true;
    }

    private static Optional<String> readHostName() {
        try {
            String h = normalise(Files.readString(Path.of("/proc/sys/kernel/hostname")));
            return h.isEmpty() ? Optional.empty() : Optional.of(h);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
