package io.kubeward.admission;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A serving certificate chain and its private key, read from PEM files: the certificate file holds
 * the server certificate first, then any intermediates; the key file a PKCS#8
 * ({@code BEGIN PRIVATE KEY}, RSA or EC) or PKCS#1 ({@code BEGIN RSA PRIVATE KEY}) key, unencrypted.
 * The key must belong to the certificate.
 */
public record PemCredentials(List<X509Certificate> chain, PrivateKey key) {

    private static final Pattern BLOCK = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);

    public PemCredentials {
        chain = List.copyOf(chain);
    }

    public X509Certificate certificate() {
        return chain.get(0);
    }

    /**
     * Reads and checks a certificate file and a key file.
     *
     * @throws IllegalArgumentException naming the file and what is wrong with it
     */
    public static PemCredentials load(Path certFile, Path keyFile) {
        return parse(read(certFile), certFile.toString(), read(keyFile), keyFile.toString());
    }

    static PemCredentials parse(String certPem, String certName, String keyPem, String keyName) {
        List<X509Certificate> chain = new ArrayList<>();
        try {
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            Matcher m = BLOCK.matcher(certPem);
            while (m.find()) {
                if (m.group(1).equals("CERTIFICATE")) {
                    chain.add((X509Certificate) cf.generateCertificate(new ByteArrayInputStream(der(m.group(2), certName))));
                }
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(certName + ": not a valid PEM certificate: " + e.getMessage(), e);
        }
        if (chain.isEmpty()) {
            throw new IllegalArgumentException(certName + ": no PEM certificate (-----BEGIN CERTIFICATE-----) in the file");
        }
        PrivateKey key = key(keyPem, keyName);
        if (!matches(chain.get(0), key)) {
            throw new IllegalArgumentException(keyName + ": the private key does not belong to the certificate in " + certName);
        }
        return new PemCredentials(chain, key);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot be read: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(file + ": not a PEM text file", e);
        }
    }

    private static byte[] der(String base64, String name) {
        try {
            return Base64.getMimeDecoder().decode(base64.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ": the PEM block is not valid base64");
        }
    }

    private static PrivateKey key(String pem, String name) {
        Matcher m = BLOCK.matcher(pem);
        while (m.find()) {
            String type = m.group(1);
            switch (type) {
                case "PRIVATE KEY" -> {
                    return pkcs8(der(m.group(2), name), name);
                }
                case "RSA PRIVATE KEY" -> {
                    if (m.group(2).contains("Proc-Type")) {
                        throw new IllegalArgumentException(name + ": the key is encrypted; give an unencrypted key");
                    }
                    return pkcs8(rsaPkcs1ToPkcs8(der(m.group(2), name)), name);
                }
                case "ENCRYPTED PRIVATE KEY" -> throw new IllegalArgumentException(name + ": the key is encrypted; give an unencrypted key");
                case "EC PRIVATE KEY" -> throw new IllegalArgumentException(name
                        + ": SEC1 EC keys are not read; convert with: openssl pkcs8 -topk8 -nocrypt -in KEY -out key.pem");
                default -> {
                    // e.g. EC PARAMETERS before the key: look further
                }
            }
        }
        throw new IllegalArgumentException(name + ": no private key (-----BEGIN PRIVATE KEY----- or -----BEGIN RSA PRIVATE KEY-----) in the file");
    }

    private static PrivateKey pkcs8(byte[] der, String name) {
        for (String algorithm : new String[] {"RSA", "EC", "Ed25519"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // try the next algorithm
            }
        }
        throw new IllegalArgumentException(name + ": not an RSA, EC or Ed25519 private key");
    }

    /** Wraps a PKCS#1 RSAPrivateKey in a PKCS#8 PrivateKeyInfo (version 0, rsaEncryption, the key). */
    static byte[] rsaPkcs1ToPkcs8(byte[] pkcs1) {
        byte[] algorithm = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};
        byte[] version = {0x02, 0x01, 0x00};
        byte[] octets = tlv(0x04, pkcs1);
        byte[] body = new byte[version.length + algorithm.length + octets.length];
        System.arraycopy(version, 0, body, 0, version.length);
        System.arraycopy(algorithm, 0, body, version.length, algorithm.length);
        System.arraycopy(octets, 0, body, version.length + algorithm.length, octets.length);
        return tlv(0x30, body);
    }

    /** Unwraps the PKCS#1 key of an RSA PKCS#8 key (for tests that need a PKCS#1 file). */
    static byte[] rsaPkcs8ToPkcs1(byte[] pkcs8) {
        int[] at = {0};
        readHeader(pkcs8, at, 0x30); // PrivateKeyInfo
        int version = readHeader(pkcs8, at, 0x02);
        at[0] += version;
        int algorithm = readHeader(pkcs8, at, 0x30);
        at[0] += algorithm;
        int len = readHeader(pkcs8, at, 0x04);
        byte[] out = new byte[len];
        System.arraycopy(pkcs8, at[0], out, 0, len);
        return out;
    }

    private static int readHeader(byte[] der, int[] at, int tag) {
        if ((der[at[0]] & 0xff) != tag) {
            throw new IllegalArgumentException("unexpected DER tag " + der[at[0]]);
        }
        at[0]++;
        int len = der[at[0]++] & 0xff;
        if (len > 0x80) {
            int n = len - 0x80;
            len = 0;
            for (int i = 0; i < n; i++) {
                len = (len << 8) | (der[at[0]++] & 0xff);
            }
        }
        return len;
    }

    private static byte[] tlv(int tag, byte[] value) {
        int n = value.length;
        byte[] len;
        if (n < 0x80) {
            len = new byte[] {(byte) n};
        } else if (n < 0x100) {
            len = new byte[] {(byte) 0x81, (byte) n};
        } else if (n < 0x10000) {
            len = new byte[] {(byte) 0x82, (byte) (n >> 8), (byte) n};
        } else {
            len = new byte[] {(byte) 0x83, (byte) (n >> 16), (byte) (n >> 8), (byte) n};
        }
        byte[] out = new byte[1 + len.length + n];
        out[0] = (byte) tag;
        System.arraycopy(len, 0, out, 1, len.length);
        System.arraycopy(value, 0, out, 1 + len.length, n);
        return out;
    }

    /** Signs a challenge with the key and checks it with the certificate's public key. */
    private static boolean matches(X509Certificate cert, PrivateKey key) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> key.getAlgorithm();
        };
        try {
            byte[] challenge = "kubeward serving key check".getBytes(StandardCharsets.US_ASCII);
            Signature s = Signature.getInstance(algorithm);
            s.initSign(key);
            s.update(challenge);
            byte[] sig = s.sign();
            Signature v = Signature.getInstance(algorithm);
            v.initVerify(cert.getPublicKey());
            v.update(challenge);
            return v.verify(sig);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
