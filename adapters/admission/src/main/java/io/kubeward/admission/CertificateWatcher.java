package io.kubeward.admission;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reloads the serving certificate when its files change. Polls the files' contents (not their
 * times: a Secret volume swaps a symlink, and cert-manager may rewrite a file within the same
 * second). A change that does not load (a half-written pair, a key of another certificate) is
 * reported once and the certificate in use stays; the next change is tried again.
 */
final class CertificateWatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CertificateWatcher.class);

    private final Path certFile;
    private final Path keyFile;
    private final ReloadingKeyManager keyManager;
    private final AdmissionMetrics metrics;
    private final ScheduledExecutorService timer;
    private byte[] loadedCert;
    private byte[] loadedKey;
    private int failedHash;

    CertificateWatcher(Path certFile, Path keyFile, ReloadingKeyManager keyManager, AdmissionMetrics metrics, Duration interval) {
        this.certFile = certFile;
        this.keyFile = keyFile;
        this.keyManager = keyManager;
        this.metrics = metrics;
        this.loadedCert = readOrNull(certFile);
        this.loadedKey = readOrNull(keyFile);
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "kubeward-certificate-watcher");
            t.setDaemon(true);
            return t;
        });
        long ms = Math.max(10, interval.toMillis());
        timer.scheduleWithFixedDelay(this::check, ms, ms, TimeUnit.MILLISECONDS);
    }

    private static byte[] readOrNull(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            return null;
        }
    }

    /** Loads the files when they differ from what is in use. */
    synchronized void check() {
        try {
            byte[] cert = readOrNull(certFile);
            byte[] key = readOrNull(keyFile);
            if (cert == null || key == null || (Arrays.equals(cert, loadedCert) && Arrays.equals(key, loadedKey))) {
                return;
            }
            int hash = 31 * Arrays.hashCode(cert) + Arrays.hashCode(key);
            try {
                PemCredentials next = PemCredentials.load(certFile, keyFile);
                keyManager.use(next);
                loadedCert = cert;
                loadedKey = key;
                failedHash = 0;
                metrics.certificateReloaded();
                LOG.info("serving certificate reloaded: {}, valid until {}", next.certificate().getSubjectX500Principal(),
                        next.certificate().getNotAfter().toInstant());
            } catch (IllegalArgumentException e) {
                if (hash != failedHash) {
                    failedHash = hash;
                    metrics.certificateReloadFailed();
                    LOG.warn("changed certificate files not loaded, the previous certificate stays in use: {}", e.getMessage());
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("certificate check failed: {}", e.toString());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
