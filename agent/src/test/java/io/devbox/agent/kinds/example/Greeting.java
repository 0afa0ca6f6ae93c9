package io.devbox.agent.kinds.example;

import io.devbox.agent.engine.DesiredResource;
import io.devbox.agent.profile.Origin;

/** One greeting file the profiles ask for: {@code greeting[hello.txt]}. */
record Greeting(String name, String text, Origin origin) implements DesiredResource {
    @Override
    public String id() {
        return "greeting[" + name + "]";
    }

    /** The file on the box (under --root). */
    String path() {
        return "/etc/example/" + name;
    }
}
