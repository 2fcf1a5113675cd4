package io.kubeward.features;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kubeward.engine.PolicyEngine;
import io.kubeward.engine.RuleDescriptor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every built-in rule is specified by at least one Gherkin scenario tagged with its id. */
class EveryRuleHasAScenarioTest {

    static final Path FEATURES = Path.of("src/test/resources/io/kubeward/features");
    static final Pattern TAG = Pattern.compile("(?<=^|\\s)@([a-z0-9][a-z0-9-]*)");

    @Test
    void everyBuiltInRuleHasATaggedScenario() throws IOException {
        Set<String> tags = new TreeSet<>();
        try (Stream<Path> files = Files.walk(FEATURES)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".feature")).toList()) {
                for (String line : Files.readAllLines(f)) {
                    if (line.strip().startsWith("@")) {
                        Matcher m = TAG.matcher(line);
                        while (m.find()) {
                            tags.add(m.group(1));
                        }
                    }
                }
            }
        }
        List<String> missing = PolicyEngine.builder().build().catalog().all().stream()
                .map(RuleDescriptor::id).filter(id -> !tags.contains(id)).toList();
        assertEquals(List.of(), missing, "rules without a Gherkin scenario tagged with their id in " + FEATURES);
    }
}
