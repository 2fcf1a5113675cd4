package io.kubeward.admission.benchmark;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A self-signed serving certificate for {@code localhost} and {@code 127.0.0.1}, made with the
 * JDK's {@code keytool} (no other tool needed) and written as PEM files, for the benchmark and the
 * tests. Not for clusters: the README shows how to make real webhook certificates.
 *
 * @param certFile the PEM certificate
 * @param keyFile  the PEM private key, PKCS#8
 */
public record LoopbackCertificate(Path certFile, Path keyFile, X509Certificate certificate, PrivateKey key) {

    private static final char[] PASSWORD = "kubeward-test".toCharArray();

    /**
     * Makes a key pair and certificate in a folder.
     *
     * @param algorithm {@code RSA} or {@code EC}
     * @param name      the file name stem ({@code name.crt}, {@code name.key})
     */
    public static LoopbackCertificate create(Path dir, String name, String algorithm) throws IOException {
        Path store = dir.resolve(name + ".p12");
        Files.deleteIfExists(store);
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "server", "-keyalg", algorithm));
        cmd.addAll(algorithm.equals("EC") ? List.of("-groupname", "secp256r1") : List.of("-keysize", "2048"));
        cmd.addAll(List.of("-validity", "2", "-dname", "CN=" + name + ".kubeward.svc",
                "-ext", "SAN=dns:localhost,ip:127.0.0.1,dns:" + name + ".kubeward.svc",
                "-keystore", store.toString(), "-storetype", "PKCS12",
                "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD)));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output;
        try (InputStream in = p.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("keytool failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while keytool ran", e);
        }
        try (InputStream in = Files.newInputStream(store)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, PASSWORD);
            PrivateKey key = (PrivateKey) ks.getKey("server", PASSWORD);
            X509Certificate cert = (X509Certificate) ks.getCertificate("server");
            Path certFile = dir.resolve(name + ".crt");
            Path keyFile = dir.resolve(name + ".key");
            Files.writeString(certFile, pem("CERTIFICATE", cert.getEncoded()));
            Files.writeString(keyFile, pem("PRIVATE KEY", key.getEncoded()));
            Files.delete(store);
            return new LoopbackCertificate(certFile, keyFile, cert, key);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot read the keystore keytool wrote: " + e.getMessage(), e);
        }
    }

    /** A PEM block with 64-character lines. */
    public static String pem(String type, byte[] der) {
        String base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + base64 + "\n-----END " + type + "-----\n";
    }

    /** A client TLS context that trusts exactly this certificate. */
    public SSLContext trustingContext() {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("server", certificate);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build a trusting TLS context: " + e.getMessage(), e);
        }
    }
}
