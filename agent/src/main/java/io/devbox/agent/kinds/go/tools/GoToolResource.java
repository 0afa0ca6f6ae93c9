package io.devbox.agent.kinds.go.tools;

import io.devbox.agent.engine.DesiredResource;
import io.devbox.agent.engine.Presence;
import io.devbox.agent.kinds.go.GoLayout;
import io.devbox.agent.profile.Origin;

import java.util.Map;

/**
 * {@code gotool[gofumpt]}: a Go program built from {@code pkg@version} with the profile's default toolchain into
 * {@code <toolsDir>/bin/NAME}. The {@link Presence.Absent absent} form is a program that left the profiles: it goes if it
 * is still the one the agent built. No {@code dependsOn} on the toolchain's {@code go[VERSION]}: the go kind is
 * registered first, so its resources come first in every plan, and a missing toolchain is this resource's own error.
 *
 * @param pkg       the package path of the main package ({@code mvdan.cc/gofumpt}, {@code .../cmd/golangci-lint})
 * @param version   the module version ({@code v0.6.0})
 * @param goVersion the default toolchain's version ({@code 1.22.5}), found in {@code <installDir>/go<goVersion>}
 * @param env       what {@code go install} takes from the profile's {@code go.env} (proxy and checksum settings)
 */
public record GoToolResource(String name, String pkg, String version, String toolsDir, String installDir, String goVersion,
                             Map<String, String> env, Presence presence, Origin origin) implements DesiredResource {
    public GoToolResource {
        env = Map.copyOf(env);
    }

    @Override
    public String id() {
        return GoToolsKind.DESCRIPTOR.kind() + "[" + name + "]";
    }

    /** The box path of the program. */
    String binary() {
        return toolsDir + "/bin/" + name;
    }

    String goRoot() {
        return GoLayout.versionDir(installDir, goVersion);
    }

    /** {@code PACKAGE@VERSION}, as {@code go install} takes it and {@link BuildInfo#module()} shows it. */
    String module() {
        return pkg + "@" + version;
    }

    /** The toolchain as {@code go version -m} names it. */
    String toolchain() {
        return "go" + goVersion;
    }
}
