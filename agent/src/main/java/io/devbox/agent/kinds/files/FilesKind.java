package io.devbox.agent.kinds.files;

import io.devbox.agent.engine.KindDescriptor;

/** The files kind: whole files, named blocks and INI keys of {@code spec.files}. */
public final class FilesKind {
    public static final KindDescriptor DESCRIPTOR = new KindDescriptor("file", "files",
            "/io/devbox/agent/kinds/files/schema.json",
            services -> new FilesReconciler());

    private FilesKind() {
    }
}
