package io.kubeward.engine.network;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An inclusive, contiguous range of IPv4 or IPv6 addresses. Printed as {@code first-last} in
 * dotted quads (IPv4) or compressed hex (IPv6), never as a CIDR, as the connlist names external peers.
 */
public final class IpRange implements Comparable<IpRange> {

    private static final Pattern IPV4 = Pattern.compile("(0|[1-9][0-9]{0,2})(\\.(0|[1-9][0-9]{0,2})){3}");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]+");
    private static final BigInteger V4_MAX = BigInteger.ONE.shiftLeft(32).subtract(BigInteger.ONE);
    private static final BigInteger V6_MAX = BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE);

    public static final IpRange ALL_V4 = new IpRange(4, BigInteger.ZERO, V4_MAX);
    public static final IpRange ALL_V6 = new IpRange(6, BigInteger.ZERO, V6_MAX);

    private final int family;
    private final BigInteger first;
    private final BigInteger last;

    private IpRange(int family, BigInteger first, BigInteger last) {
        this.family = family;
        this.first = first;
        this.last = last;
    }

    static IpRange of(int family, BigInteger first, BigInteger last) {
        return new IpRange(family, first, last);
    }

    /**
     * A CIDR such as {@code 10.0.0.0/8} or {@code fd00::/8}; host bits below the prefix are
     * ignored, as the API server does.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static IpRange parseCidr(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("the CIDR is empty");
        }
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("\"" + text + "\" is not a CIDR: expected an address and a prefix length, such as 10.0.0.0/8");
        }
        IpRange address;
        try {
            address = parseAddress(text.substring(0, slash));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("\"" + text + "\" is not a valid CIDR: " + e.getMessage());
        }
        String p = text.substring(slash + 1);
        int bits = address.family == 4 ? 32 : 128;
        int prefix;
        if (!p.matches("0|[1-9][0-9]{0,2}") || (prefix = Integer.parseInt(p)) > bits) {
            throw new IllegalArgumentException("\"" + text + "\" is not a valid CIDR: the prefix length must be 0 to " + bits);
        }
        BigInteger hostMask = BigInteger.ONE.shiftLeft(bits - prefix).subtract(BigInteger.ONE);
        BigInteger start = address.first.andNot(hostMask);
        return new IpRange(address.family, start, start.or(hostMask));
    }

    /**
     * One IPv4 or IPv6 address, as a range of one.
     *
     * @throws IllegalArgumentException when it is not an address literal
     */
    public static IpRange parseAddress(String text) {
        if (text != null && IPV4.matcher(text).matches()) {
            long v = 0;
            for (String part : text.split("\\.")) {
                int octet = Integer.parseInt(part);
                if (octet > 255) {
                    throw new IllegalArgumentException("\"" + text + "\" is not an IP address (octet " + octet + " over 255)");
                }
                v = (v << 8) | octet;
            }
            BigInteger b = BigInteger.valueOf(v);
            return new IpRange(4, b, b);
        }
        // only hex digits, colons and dots reach InetAddress, so it never resolves a host name
        if (text != null && text.indexOf(':') >= 0 && IPV6_CHARS.matcher(text).matches()) {
            try {
                byte[] bytes = InetAddress.getByName(text).getAddress();
                if (bytes.length == 16) {
                    BigInteger b = new BigInteger(1, bytes);
                    return new IpRange(6, b, b);
                }
            } catch (UnknownHostException e) {
                // falls through to the error below
            }
        }
        throw new IllegalArgumentException("\"" + text + "\" is not an IPv4 or IPv6 address");
    }

    /** The whole address space of a family (4 or 6). */
    public static IpRange all(int family) {
        return family == 4 ? ALL_V4 : ALL_V6;
    }

    public int family() {
        return family;
    }

    public BigInteger first() {
        return first;
    }

    public BigInteger last() {
        return last;
    }

    public boolean contains(IpRange other) {
        return family == other.family && first.compareTo(other.first) <= 0 && last.compareTo(other.last) >= 0;
    }

    public boolean overlaps(IpRange other) {
        return family == other.family && first.compareTo(other.last) <= 0 && other.first.compareTo(last) <= 0;
    }

    public boolean isWholeFamily() {
        return first.signum() == 0 && last.equals(family == 4 ? V4_MAX : V6_MAX);
    }

    /** This range without {@code cut}: zero, one or two ranges. */
    public List<IpRange> minus(IpRange cut) {
        if (!overlaps(cut)) {
            return List.of(this);
        }
        List<IpRange> out = new ArrayList<>(2);
        if (first.compareTo(cut.first) < 0) {
            out.add(new IpRange(family, first, cut.first.subtract(BigInteger.ONE)));
        }
        if (last.compareTo(cut.last) > 0) {
            out.add(new IpRange(family, cut.last.add(BigInteger.ONE), last));
        }
        return out;
    }

    /** {@code 10.0.0.0-10.255.255.255}. */
    @Override
    public String toString() {
        return format(first) + "-" + format(last);
    }

    private String format(BigInteger v) {
        if (family == 4) {
            long l = v.longValue();
            return ((l >> 24) & 255) + "." + ((l >> 16) & 255) + "." + ((l >> 8) & 255) + "." + (l & 255);
        }
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = v.shiftRight(16 * (7 - i)).intValue() & 0xffff;
        }
        // RFC 5952: the longest run of two or more zero groups becomes "::"
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(groups[i]));
        }
        return sb.toString();
    }

    @Override
    public int compareTo(IpRange o) {
        int c = Integer.compare(family, o.family);
        if (c != 0) {
            return c;
        }
        c = first.compareTo(o.first);
        return c != 0 ? c : last.compareTo(o.last);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IpRange r && r.family == family && r.first.equals(first) && r.last.equals(last);
    }

    @Override
    public int hashCode() {
        return Objects.hash(family, first, last);
    }
}
