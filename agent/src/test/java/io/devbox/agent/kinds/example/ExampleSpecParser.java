package io.devbox.agent.kinds.example;

import io.devbox.agent.profile.Node;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads the composed {@code example} section. The schema fragment has checked its shape (a mapping of NAME.txt to
 * one-line text, {@code greetings} required of the composition), so this only reads.
 */
final class ExampleSpecParser {
    private ExampleSpecParser() {
    }

    static List<Greeting> parse(Node section) {
        Node.Mapping greetings = (Node.Mapping) ((Node.Mapping) section).get("greetings");
        List<Greeting> out = new ArrayList<>();
        greetings.entries().forEach((name, text) -> out.add(new Greeting(name, ((Node.Scalar) text).text(), greetings.keyOrigin(name))));
        return out;
    }
}
