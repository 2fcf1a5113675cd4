package io.kubeward.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FieldLinesTest {

    /**
     * kind: List / items: - metadata: {name} spec: containers: - name, ports: - hostPort, and a
     * top-level key with a dot that spells the same path as a nested field.
     */
    private static FieldLines sample(Map<String, Integer> expected) {
        FieldLines.Builder b = FieldLines.builder();
        int kind = b.field(-1, "kind", 1);
        expected.put("kind", 1);
        int items = b.field(-1, "items", 2);
        expected.put("items", 2);
        int item0 = b.item(items, 0, 3);
        expected.put("items[0]", 3);
        int spec = b.field(item0, "spec", 3);
        expected.put("items[0].spec", 3);
        int containers = b.field(spec, "containers", 4);
        expected.put("items[0].spec.containers", 4);
        int c0 = b.item(containers, 0, 5);
        expected.put("items[0].spec.containers[0]", 5);
        b.field(c0, "name", 5);
        expected.put("items[0].spec.containers[0].name", 5);
        int c1 = b.item(containers, 1, 6);
        expected.put("items[0].spec.containers[1]", 6);
        int ports = b.field(c1, "ports", 7);
        expected.put("items[0].spec.containers[1].ports", 7);
        int p0 = b.item(ports, 0, 8);
        expected.put("items[0].spec.containers[1].ports[0]", 8);
        b.field(p0, "hostPort", 8);
        expected.put("items[0].spec.containers[1].ports[0].hostPort", 8);
        int item1 = b.item(items, 1, 9);
        expected.put("items[1]", 9);
        b.field(item1, "example.com/x", 10);
        expected.put("items[1].example.com/x", 10);
        // spells "items[0].spec" like the nested field: the later line counts, at the first one's place
        b.field(-1, "items[0].spec", 11);
        expected.put("items[0].spec", 11);
        assertEquals("items[0].spec.containers[1].ports[0].hostPort", b.pathOf(p0 + 1));
        assertEquals("kind", b.pathOf(kind));
        return b.build();
    }

    @Test
    void answersLikeAMapFilledInDocumentOrder() {
        Map<String, Integer> expected = new LinkedHashMap<>();
        FieldLines lines = sample(expected);
        expected.forEach((path, line) -> assertEquals(line, lines.get(path), path));
        assertEquals(List.copyOf(expected.entrySet()), List.copyOf(lines.entrySet()));
        assertEquals(expected, lines);
        assertEquals(expected.hashCode(), lines.hashCode());
        for (String missing : new String[] {"", "kin", "kindx", "items[2]", "items[0].spec.containers[01x]", "items[0]spec",
            ".kind", "items[0].spec.containers[1].ports[0].hostPort.x", "items[]", "items[a]", "example.com/x"}) {
            assertNull(lines.get(missing), missing);
        }
        assertFalse(lines.containsKey(42));
    }

    @Test
    void aListItemsFieldsRelativeToIt() {
        FieldLines lines = sample(new LinkedHashMap<>());
        Map<String, Integer> item0 = lines.under("items[0]");
        assertEquals(Map.of("spec", 3, "spec.containers", 4, "spec.containers[0]", 5, "spec.containers[0].name", 5,
                "spec.containers[1]", 6, "spec.containers[1].ports", 7, "spec.containers[1].ports[0]", 8,
                "spec.containers[1].ports[0].hostPort", 8), item0);
        assertEquals(8, item0.get("spec.containers[1].ports[0].hostPort"));
        assertNull(item0.get("[0]"));
        assertEquals(Map.of("example.com/x", 10), lines.under("items[1]"));
        assertTrue(lines.under("items[7]").isEmpty());
        // a list's items are not fields of the list
        assertTrue(lines.under("items").isEmpty());
    }

    @Test
    void sourcesKeepItWithoutCopying() {
        FieldLines lines = sample(new LinkedHashMap<>());
        Source s = new Source("f.yaml", 1, 1, lines);
        assertSame(lines, s.fieldLines());
        assertEquals(8, s.locate("items[0].spec.containers[1].ports[0].hostPort.x").line());
        assertThrows(UnsupportedOperationException.class, () -> lines.put("a", 1));
        assertThrows(UnsupportedOperationException.class, () -> lines.entrySet().clear());
    }

    @Test
    void refusesNodesItDoesNotHave() {
        FieldLines.Builder b = FieldLines.builder();
        assertThrows(IllegalArgumentException.class, () -> b.field(0, "a", 1));
        int a = b.field(-1, "a", 1);
        assertThrows(IllegalArgumentException.class, () -> b.item(a + 1, 0, 1));
        b.build();
        assertThrows(IllegalStateException.class, () -> b.field(-1, "b", 2));
    }
}
