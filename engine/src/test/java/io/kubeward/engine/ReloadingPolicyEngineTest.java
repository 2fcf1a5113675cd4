package io.kubeward.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReloadingPolicyEngineTest {

    @Test
    void aChangedFolderIsSwappedInAndABrokenOneKeepsTheOldRules(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("a.drl"), PolicyEngineTest.HOST_NETWORK);
        ReloadingPolicyEngine engines = new ReloadingPolicyEngine(
                () -> PolicyEngine.builder().withoutBuiltinRules().addRuleDirectory(dir).build());
        PolicyEngine first = engines.current();
        assertEquals(1, first.evaluate(PolicyEngineTest.pod("p", true)).findings().size());

        Files.writeString(dir.resolve("b.drl"), PolicyEngineTest.HOST_NETWORK.replace("package test.rules", "package test.more")
                .replace("test-host-network", "test-host-network-again"));
        ReloadingPolicyEngine.Outcome ok = engines.reload();
        assertTrue(ok.swapped());
        assertEquals(2, ok.rules());
        assertNull(engines.lastError());
        assertEquals(2, engines.current().evaluate(PolicyEngineTest.pod("p", true)).findings().size());

        PolicyEngine good = engines.current();
        Files.writeString(dir.resolve("c.drl"), "package broken\nrule \"x\" when then");
        ReloadingPolicyEngine.Outcome broken = engines.reload();
        assertFalse(broken.swapped());
        assertSame(good, engines.current(), "a broken change keeps the running rules");
        assertTrue(engines.lastError().contains("c.drl"), engines.lastError());
        assertEquals(1, engines.failedReloads());
        assertEquals(1, engines.successfulReloads());
    }

    @Test
    void theFirstRuleSetMustCompile(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("c.drl"), "package broken\nrule \"x\" when then");
        assertThrows(RuleCompilationException.class,
                () -> new ReloadingPolicyEngine(() -> PolicyEngine.builder().withoutBuiltinRules().addRuleDirectory(dir).build()));
    }
}
