package io.kubeward.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's generated performance part: replaced between the markers only, the same way every time. */
class ReadmeSectionTest {

    private static final String README = """
            # kubeward

            ## Performance

            Hand-written words before the figures.

            <!-- performance:begin -->
            old figures
            | a | b |
            <!-- performance:end -->

            ## Layout

            Hand-written words after.
            """;

    private static String section(List<Figure> figures) {
        FiguresTable table = FiguresTable.of(figures, Target.ALL, false);
        return PerformanceSection.markdown(table, "2026-11-25 18:00 UTC, full run in 9 min 00 s", "2 cores, 23.5 GiB of memory",
                List.of(), false);
    }

    private static final List<Figure> FIGURES = List.of(
            new Figure(RulePacks.AREA, RulePacks.PLAIN_JAVA, 300_000, "pods/s"),
            new Figure(RulePacks.AREA, RulePacks.measure("pod-security"), 120_000, "pods/s", "a note"),
            new Figure(EndToEnd.SCAN_AREA, "10,000 manifests, bin/kubeward scan", 7.25, "s"));

    @Test
    void replacesOnlyTheTextBetweenTheMarkers() {
        String out = ReadmeSection.replace(README, section(FIGURES), "README.md");
        assertTrue(out.startsWith("# kubeward\n\n## Performance\n\nHand-written words before the figures.\n\n<!-- performance:begin -->\n"), out);
        assertTrue(out.endsWith("<!-- performance:end -->\n\n## Layout\n\nHand-written words after.\n"), out);
        assertFalse(out.contains("old figures"), out);
        assertTrue(out.contains("| **Rule evaluation** | pod-security pack, restricted | 120,000 pods/s | at least 100,000 pods/s,"
                + " ratio at most 3.0 | plain Java, the restricted controls: 300,000 pods/s | 2.5x | met | a note |"), out);
        assertTrue(out.contains("| **Manifest scan** | 10,000 manifests, bin/kubeward scan | 7.25 s | at most 5 s |  |  | NOT met |  |"), out);
        assertTrue(out.contains("1 of 2 targets met"), out);
    }

    @Test
    void writingTheSameFiguresTwiceChangesNothing(@TempDir Path dir) throws Exception {
        Path readme = dir.resolve("README.md");
        Files.writeString(readme, README);
        assertTrue(ReadmeSection.update(readme, section(FIGURES)));
        String once = Files.readString(readme);
        assertFalse(ReadmeSection.update(readme, section(FIGURES)), "the second update found something to change");
        assertEquals(once, Files.readString(readme));
        assertEquals(once, ReadmeSection.replace(once, section(FIGURES), "README.md"));
    }

    @Test
    void missingDoubledOrMisorderedMarkersAreNamed() {
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> ReadmeSection.replace(README.replace(ReadmeSection.END, ""), "x", "README.md"));
        assertEquals("README.md has no <!-- performance:end --> line: put <!-- performance:begin --> and <!-- performance:end -->"
                + " around the part of the performance section the suite writes", missing.getMessage());
        IllegalArgumentException doubled = assertThrows(IllegalArgumentException.class,
                () -> ReadmeSection.replace(README + ReadmeSection.BEGIN + "\n", "x", "README.md"));
        assertTrue(doubled.getMessage().contains("more than once"), doubled.getMessage());
        String swapped = "a\n" + ReadmeSection.END + "\nb\n" + ReadmeSection.BEGIN + "\n";
        IllegalArgumentException order = assertThrows(IllegalArgumentException.class, () -> ReadmeSection.replace(swapped, "x", "README.md"));
        assertTrue(order.getMessage().contains("comes before"), order.getMessage());
    }
}
