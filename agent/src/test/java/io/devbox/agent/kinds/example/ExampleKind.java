package io.devbox.agent.kinds.example;

import io.devbox.agent.engine.KindDescriptor;

/**
 * A kind made for the tests, to show what adding a kind takes: this package (descriptor, parser, reconciler, schema
 * fragment beside it in the test resources) and one registration line; nothing in engine, cli, run or profile.
 * It keeps greeting files: {@code spec.example.greetings: {hello.txt: "text"}} becomes {@code /etc/example/hello.txt}.
 */
public final class ExampleKind {
    public static final KindDescriptor DESCRIPTOR = new KindDescriptor("greeting", "example",
            "/io/devbox/agent/kinds/example/schema.json",
            services -> new ExampleReconciler());

    private ExampleKind() {
    }
}
