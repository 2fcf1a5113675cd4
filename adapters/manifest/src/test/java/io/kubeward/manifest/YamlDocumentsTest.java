package io.kubeward.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The stretch-wise cut of a stream agrees with the line-by-line one on every stream it takes. */
class YamlDocumentsTest {

    private static final String[] LINES = {"---", "--- ", "--- a: 1", "---x", "--- # c", "a: 1", "", "  ", "# comment", "  b: [1, 2]",
        "%YAML 1.2", "...", "... x", "....", "c: |", "   text", "-- -", "key: ---", "\t"};

    @Test
    void cutsAsLineByLine() {
        Random random = new Random(7);
        int documents = 0;
        for (int round = 0; round < 20_000; round++) {
            StringBuilder sb = new StringBuilder();
            int lines = random.nextInt(12);
            boolean crlf = random.nextInt(10) == 0;
            for (int i = 0; i < lines; i++) {
                String line = LINES[random.nextInt(LINES.length)];
                if (!crlf && (line.startsWith("..."))) {
                    line = random.nextBoolean() ? line : "a: 2";
                }
                sb.append(line);
                if (i < lines - 1 || random.nextBoolean()) {
                    sb.append(crlf && random.nextBoolean() ? "\r\n" : "\n");
                }
            }
            String stream = sb.toString();
            List<YamlDocuments.Chunk> expected = YamlDocuments.splitByLines(stream);
            assertEquals(expected, YamlDocuments.split(stream), () -> "stream: " + stream.replace("\n", "\\n").replace("\r", "\\r"));
            documents += expected.size();
        }
        assertEquals(true, documents > 10_000, "the streams hold documents: " + documents);
    }

    @Test
    void numbersDocumentsAndLines() {
        List<YamlDocuments.Chunk> chunks = YamlDocuments.split("# head\n---\na: 1\n---\n\n--- b: 2\nc: 3\n");
        assertEquals(List.of(new YamlDocuments.Chunk("\na: 1\n", 2), new YamlDocuments.Chunk(" b: 2\nc: 3\n\n", 6)), chunks);
    }
}
