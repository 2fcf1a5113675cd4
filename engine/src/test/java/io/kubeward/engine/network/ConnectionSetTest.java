package io.kubeward.engine.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ConnectionSetTest {

    @Test
    void portSetsMergeAdjacentAndOverlappingRanges() {
        PortSet s = PortSet.of(8080).union(PortSet.of(8081)).union(PortSet.range(9000, 9010)).union(PortSet.range(9005, 9020));
        assertEquals("8080-8081,9000-9020", s.toString());
        assertEquals("9000-9020", s.intersect(PortSet.range(8500, 65535)).toString());
        assertEquals("8080-8081,9000-9009,9012-9020", s.minus(PortSet.range(9010, 9011)).toString());
        assertEquals("1-8079,8082-8999,9021-65535", s.complement().toString());
        assertTrue(s.contains(9015));
        assertFalse(s.contains(8082));
        assertSame(PortSet.ALL, PortSet.range(1, 30000).union(PortSet.range(30001, 65535)));
        assertSame(PortSet.NONE, PortSet.range(10, 1));
        assertEquals(PortSet.range(1, 5), PortSet.of(1).union(PortSet.range(2, 5)), "equal sets, equal values");
    }

    @Test
    void connectionSetsPrintInConnlistFormat() {
        ConnectionSet c = ConnectionSet.of(Protocol.UDP, 9090)
                .union(ConnectionSet.of(Protocol.TCP, PortSet.range(8080, 8081)))
                .union(ConnectionSet.of(Protocol.SCTP, 7070));
        assertEquals("SCTP 7070,TCP 8080-8081,UDP 9090", c.toString());
        assertEquals("TCP 1-65535", ConnectionSet.allOf(Protocol.TCP).toString());
        assertEquals("All Connections", ConnectionSet.allOf(Protocol.TCP).union(ConnectionSet.allOf(Protocol.UDP))
                .union(ConnectionSet.allOf(Protocol.SCTP)).toString());
        assertSame(ConnectionSet.ALL, ConnectionSet.allOf(Protocol.TCP).union(ConnectionSet.allOf(Protocol.UDP))
                .union(ConnectionSet.allOf(Protocol.SCTP)));
        assertEquals("TCP 8080", c.intersect(ConnectionSet.of(Protocol.TCP, PortSet.range(1, 8080))).toString());
        assertEquals("SCTP 7070,TCP 8081,UDP 9090", c.minus(ConnectionSet.of(Protocol.TCP, 8080)).toString());
        assertTrue(c.allows(Protocol.SCTP, 7070));
        assertFalse(c.allows(Protocol.TCP, 7070));
        assertTrue(ConnectionSet.ALL.containsAll(c));
        assertFalse(c.containsAll(ConnectionSet.ALL));
        assertSame(ConnectionSet.NONE, c.intersect(ConnectionSet.of(Protocol.UDP, 53)));
    }

    @Test
    void protocolsDefaultToTcpAndAreCaseSensitiveInPolicies() {
        assertEquals(Protocol.TCP, Protocol.parse(null));
        assertEquals(Protocol.SCTP, Protocol.parse("SCTP"));
        assertThrows(IllegalArgumentException.class, () -> Protocol.parse("tcp"));
        assertEquals(Protocol.UDP, Protocol.parseLenient("udp"));
    }

    @Test
    void ipRangesParseCidrsAndPrintAsRanges() {
        assertEquals("10.0.0.0-10.255.255.255", IpRange.parseCidr("10.1.2.3/8").toString(), "host bits are ignored");
        assertEquals("0.0.0.0-255.255.255.255", IpRange.parseCidr("0.0.0.0/0").toString());
        assertEquals("169.254.169.254-169.254.169.254", IpRange.parseCidr("169.254.169.254/32").toString());
        assertEquals("fd00::-fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", IpRange.parseCidr("fd00::/8").toString());
        assertEquals("2001:db8::1-2001:db8::1", IpRange.parseAddress("2001:db8:0:0:0:0:0:1").toString());
        assertTrue(IpRange.parseCidr("::/0").isWholeFamily());
        assertTrue(IpRange.parseCidr("10.0.0.0/8").contains(IpRange.parseAddress("10.200.0.1")));
        assertFalse(IpRange.parseCidr("10.0.0.0/8").contains(IpRange.parseAddress("fd00::1")));
        assertEquals("[10.0.0.0-10.0.255.255, 10.2.0.0-10.255.255.255]",
                IpRange.parseCidr("10.0.0.0/8").minus(IpRange.parseCidr("10.1.0.0/16")).toString());
        for (String bad : new String[] {"A", "10.0.0.0", "10.0.0/8", "010.0.0.0/8", "10.0.0.0/-1", "example.com/8", "1::2::3/64"}) {
            assertThrows(IllegalArgumentException.class, () -> IpRange.parseCidr(bad), bad);
        }
    }
}
