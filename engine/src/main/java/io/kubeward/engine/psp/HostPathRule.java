package io.kubeward.engine.psp;

/**
 * One entry of {@code allowedHostPaths}: host paths under {@code pathPrefix} may be mounted,
 * read-only when {@code readOnly}. The prefix matches whole path segments: {@code /foo} allows
 * {@code /foo} and {@code /foo/bar}, not {@code /foobar}.
 */
public record HostPathRule(String pathPrefix, boolean readOnly) {

    public boolean matches(String path) {
        if (path == null) {
            return false;
        }
        String prefix = trimTrailingSlashes(pathPrefix);
        String p = trimTrailingSlashes(path);
        if (prefix.isEmpty()) {
            return true; // "/" allows every path
        }
        return p.equals(prefix) || p.startsWith(prefix + "/");
    }

    private static String trimTrailingSlashes(String s) {
        int end = s.length();
        while (end > 0 && s.charAt(end - 1) == '/') {
            end--;
        }
        return s.substring(0, end);
    }
}
