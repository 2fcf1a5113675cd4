package io.kubeward.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Verdicts and ratios of the figures table, from figures made up for the purpose (no timing here). */
class FiguresTableTest {

    private static final String AREA = "Area";
    private static final List<Target> TARGETS = List.of(
            Target.atLeast(AREA, "rules", 100).comparedWith("plain", 3.0),
            Target.atMost(AREA, "wall", 1.5).comparedWith("jvm", null),
            Target.atMost(AREA, "errors", 0),
            Target.atMost(AREA, "never measured", 10));

    @Test
    void ratioIsTheReferenceCostMultipleForRatesAndTimesAlike() {
        FiguresTable table = FiguresTable.of(List.of(
                new Figure(AREA, "plain", 400, "pods/s"),
                new Figure(AREA, "rules", 100, "pods/s"),
                new Figure(AREA, "jvm", 0.5, "s"),
                new Figure(AREA, "wall", 1.25, "s"),
                new Figure(AREA, "errors", 0, "errors"),
                new Figure(AREA, "other", 42, "MiB")), TARGETS, true);
        List<FiguresTable.Row> rows = table.rows();
        assertEquals(List.of("rules", "wall", "errors", "other", "never measured"), rows.stream().map(FiguresTable.Row::measure).toList(),
                "references appear beside their figure, and a target without a figure last");
        FiguresTable.Row rules = rows.get(0);
        assertEquals("4.0x", rules.ratio());
        assertEquals("NOT met", rules.verdict(), "100 pods/s meets its bound, but at 4x plain Java not its ratio");
        assertEquals("plain: 400 pods/s", rules.reference());
        FiguresTable.Row wall = rows.get(1);
        assertEquals("2.5x", wall.ratio());
        assertEquals("met", wall.verdict(), "no ratio limit: the bound alone decides");
        assertEquals("met", rows.get(2).verdict());
        assertEquals("none", rows.get(2).target());
        assertEquals("", rows.get(3).verdict(), "a figure without a target has no verdict");
        assertEquals("not measured", rows.get(4).verdict());
        assertEquals("2 of 4 targets met", table.summary());
    }

    @Test
    void textTableAlignsColumnsAndNamesEachAreaOnce() {
        String text = FiguresTable.of(List.of(new Figure(AREA, "wall", 1.25, "s"), new Figure(AREA, "other", 1234.5, "MiB"),
                new Figure("Next", "x", 0.01234, "ms")), TARGETS, false).text();
        List<String> lines = text.lines().toList();
        assertTrue(lines.get(0).startsWith("area  measure  "), text);
        assertTrue(lines.get(1).startsWith("Area  wall   "), text);
        assertTrue(lines.get(2).startsWith("      other  "), text);
        assertTrue(lines.get(2).contains("1,235 MiB"), text);
        assertEquals("", lines.get(3), "a blank line between areas");
        assertTrue(lines.get(4).startsWith("Next  x      "), text);
        assertTrue(lines.get(4).contains("0.012 ms"), text);
    }

    @Test
    void figureLinesRoundTripAndBadOnesAreNamed() {
        Figure f = new Figure(AREA, "in process: p99", 0.256, "ms", "note");
        assertEquals(f, Figure.parse(f.line(), "x"));
        assertEquals(new Figure("Admission webhook", "errors", 0, "errors"), Figure.parse("Admission webhook\terrors\t0.000000\terrors", "x"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Figure.parse("a\tb\tmany\tms", "f.tsv line 3"));
        assertEquals("f.tsv line 3: the value of 'b' is not a number: 'many'", e.getMessage());
    }

    @Test
    void serverHeapComesFromTheCollectionsAfterTheGivenUptime() {
        EndToEnd.HeapUse heap = EndToEnd.HeapUse.parse(List.of(
                "[1.204s][info][gc] GC(0) Pause Young (Allocation Failure) 68M->150M(247M) 40.1ms",
                "[9.871s][info][gc] GC(7) Pause Young (Allocation Failure) 85M->31M(247M) 2.3ms",
                "[10.5s][info][gc] GC(8) Pause Full (System.gc()) 90112K->29M(247M) 30.0ms",
                "[11.0s][info][gc] Using Serial"), 5.0);
        assertEquals(2, heap.collections());
        assertEquals(88.0, heap.maxBeforeMiB(), 1e-9);
        assertEquals(31.0, heap.maxAfterMiB(), 1e-9);
    }
}
