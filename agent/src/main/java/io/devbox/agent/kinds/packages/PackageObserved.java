package io.devbox.agent.kinds.packages;

/**
 * What dpkg (and, for {@code latest}, apt's lists) say of one package. A record: its text is the plan's fingerprint
 * input, so a saved plan is refused when any of it moved.
 *
 * @param state     installed, absent (never installed, removed, or only its config files left) or broken
 * @param version   the installed version, null when absent
 * @param held      dpkg's selection is {@code hold} ({@code apt-mark hold})
 * @param status    dpkg's own words for the state, e.g. {@code install ok half-configured}
 * @param candidate the version apt would install, read only for {@code latest} (null otherwise, or when unknown)
 */
public record PackageObserved(State state, String version, boolean held, String status, String candidate) {

    public enum State { INSTALLED, ABSENT, BROKEN }

    public static PackageObserved absent() {
        return new PackageObserved(State.ABSENT, null, false, "not installed", null);
    }

    public PackageObserved withCandidate(String c) {
        return new PackageObserved(state, version, held, status, c);
    }
}
