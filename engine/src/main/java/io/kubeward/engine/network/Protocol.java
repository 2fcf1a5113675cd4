package io.kubeward.engine.network;

import java.util.Locale;

/** The protocols a NetworkPolicy port may name, in the order the connection text lists them. */
public enum Protocol {
    SCTP, TCP, UDP;

    /**
     * The protocol of a policy or container port: TCP when unset, as the API server defaults it.
     *
     * @throws IllegalArgumentException for anything but TCP, UDP or SCTP (upper case, as the API requires)
     */
    public static Protocol parse(String text) {
        if (text == null || text.isEmpty()) {
            return TCP;
        }
        return switch (text) {
            case "TCP" -> TCP;
            case "UDP" -> UDP;
            case "SCTP" -> SCTP;
            default -> throw new IllegalArgumentException("protocol must be TCP, UDP or SCTP, found \"" + text + "\"");
        };
    }

    /** As {@link #parse}, but case-insensitive, for user input such as {@code 5432/tcp}. */
    public static Protocol parseLenient(String text) {
        return parse(text == null ? null : text.toUpperCase(Locale.ROOT));
    }
}
