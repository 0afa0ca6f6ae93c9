package io.devbox.agent.profile;

/**
 * One parsed and validated profile.
 *
 * @param name        {@code metadata.name}
 * @param description {@code metadata.description}, or "" when absent
 * @param file        the file, relative to the repository root
 * @param selector    which boxes it applies to ({@link Selector#ANY} when absent)
 * @param priority    {@code priority}, default 0
 * @param spec        the {@code spec} mapping, variables not yet expanded
 * @param origin      where the profile starts (the file's root mapping)
 */
public record Profile(String name, String description, String file, Selector selector, int priority, Node.Mapping spec,
                      Origin origin) {
}
