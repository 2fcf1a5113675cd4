package io.kubeward.admission;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * A key manager whose one certificate and key can be swapped while the server runs: handshakes
 * after {@link #use} present the new certificate, connections already open keep theirs. Each
 * generation has an alias of its own, so a handshake that chose its alias just before a swap still
 * gets a matching chain and key.
 */
final class ReloadingKeyManager extends X509ExtendedKeyManager {

    private record Generation(String alias, PemCredentials credentials) {
    }

    private volatile Generation current;
    private volatile Generation previous;
    private int count;

    ReloadingKeyManager(PemCredentials initial) {
        this.current = new Generation("kubeward-0", initial);
        this.previous = current;
    }

    synchronized void use(PemCredentials credentials) {
        previous = current;
        current = new Generation("kubeward-" + (++count), credentials);
    }

    PemCredentials current() {
        return current.credentials();
    }

    private PemCredentials byAlias(String alias) {
        Generation c = current;
        if (c.alias().equals(alias)) {
            return c.credentials();
        }
        Generation p = previous;
        return p.alias().equals(alias) ? p.credentials() : null;
    }

    private String aliasFor(String[] keyTypes) {
        Generation c = current;
        if (keyTypes == null) {
            return c.alias();
        }
        String algorithm = c.credentials().key().getAlgorithm();
        for (String t : keyTypes) {
            if (t.equalsIgnoreCase(algorithm) || (algorithm.equals("EC") && t.startsWith("EC"))) {
                return c.alias();
            }
        }
        return null;
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return aliasFor(new String[] {keyType});
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return aliasFor(new String[] {keyType});
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        String alias = aliasFor(new String[] {keyType});
        return alias == null ? null : new String[] {alias};
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        PemCredentials c = byAlias(alias);
        return c == null ? null : c.chain().toArray(new X509Certificate[0]);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        PemCredentials c = byAlias(alias);
        return c == null ? null : c.key();
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return null;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return null;
    }
}
