package io.devbox.agent.kinds.example;

import io.devbox.agent.engine.Change;
import io.devbox.agent.engine.DesiredContext;
import io.devbox.agent.engine.Operation;
import io.devbox.agent.engine.Reconciler;
import io.devbox.agent.engine.ResourceException;
import io.devbox.agent.host.AtomicFiles;
import io.devbox.agent.host.Host;
import io.devbox.agent.profile.Node;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/** Greeting files under {@code /etc/example}: probe reads the file, diff compares its text, apply writes it atomically. */
final class ExampleReconciler implements Reconciler<Greeting, ExampleReconciler.Observed> {
    static final String FIELD = "text";

    /** The file's text, or null when there is none. */
    record Observed(String text) {
    }

    @Override
    public String kind() {
        return "greeting";
    }

    @Override
    public String specKey() {
        return "example";
    }

    @Override
    public List<Greeting> desired(Node section, DesiredContext context) {
        return ExampleSpecParser.parse(section);
    }

    @Override
    public Observed probe(Greeting g, Host host) throws ResourceException {
        try {
            return new Observed(new String(AtomicFiles.readNoFollow(host.path(g.path()), 1 << 16), StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            return new Observed(null);
        } catch (IOException e) {
            throw new ResourceException("cannot read " + g.path() + ": " + e.getMessage());
        }
    }

    @Override
    public List<Change> diff(Greeting g, Observed o) {
        String want = g.text() + "\n";
        return want.equals(o.text()) ? List.of() : List.of(Change.of(g.id(), g.origin(), new ExampleOp.WriteText(o.text(), want)));
    }

    @Override
    public void apply(Greeting g, Change change, Host host) throws ResourceException {
        ExampleOp.WriteText write = Operation.of(change, ExampleOp.WriteText.class);
        Path file = host.path(g.path());
        try {
            Files.createDirectories(file.getParent());
            AtomicFiles.write(file, write.to().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ResourceException("cannot write " + g.path() + ": " + e.getMessage());
        }
    }
}
