package io.devbox.agent.run;

import io.devbox.agent.engine.DesiredContext;
import io.devbox.agent.engine.Planner;
import io.devbox.agent.host.Host;
import io.devbox.agent.profile.ComposedSpec;
import io.devbox.agent.profile.HostIdentity;
import io.devbox.agent.profile.ProfileException;
import io.devbox.agent.profile.ProfileLoader;
import io.devbox.agent.report.RunInfo;
import io.devbox.agent.source.ProfileSource;
import io.devbox.agent.source.RemoteGitSource;
import io.devbox.agent.source.Snapshot;
import io.devbox.agent.source.SourceException;
import io.devbox.agent.source.SourceState;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A session's profile source: pins a revision (local repository, directory or remote with its last good commit),
 * reads every profile file and composes them for this box. Remembers the source it pinned last, for the record of a
 * run whose profiles are refused.
 */
final class SourceReader {
    private final AgentOptions options;
    private final GitOptions git;
    private final Path stateDir;
    private final Host host;
    private final HostIdentity identity;
    private final Supplier<ProfileLoader> loader;
    private final Supplier<Planner> checker;
    private final Supplier<RemoteGitSource> remote;
    private RunInfo.SourceInfo pinned;

    /** @param checker a planner for the kinds' own checks (nothing applied, no overrides) */
    SourceReader(AgentOptions options, GitOptions git, Path stateDir, Host host, HostIdentity identity,
                 Supplier<ProfileLoader> loader, Supplier<Planner> checker, Supplier<RemoteGitSource> remote) {
        this.options = options;
        this.git = git;
        this.stateDir = stateDir;
        this.host = host;
        this.identity = identity;
        this.loader = loader;
        this.checker = checker;
        this.remote = remote;
    }

    /** The source's current revision, unread, and the note about uncommitted profile files (for validate --all-boxes). */
    record Head(Snapshot snapshot, String signature, List<String> notes) {
    }

    Head head() throws SourceException {
        if (Sources.isRemote(options)) return new Head(remote.get().head(), null, List.of());
        ProfileSource source = Sources.open(options, Optional.empty());
        Snapshot snap = source.snapshot();
        String signature = Sources.verifyLocal(options, git, snap);
        String note = Sources.uncommittedNote(options, source, snap);
        return new Head(snap, signature, note == null ? List.of() : List.of(note));
    }

    /** The source last pinned, or null before any. */
    RunInfo.SourceInfo pinned() {
        return pinned;
    }

    Session.Loaded load(Optional<String> pinnedCommit) throws SourceException, ProfileException, IOException {
        if (Sources.isRemote(options)) return loadRemote(pinnedCommit);
        ProfileSource source = Sources.open(options, pinnedCommit);
        Snapshot snap = source.snapshot();
        String note = pinnedCommit.isPresent() ? null : Sources.uncommittedNote(options, source, snap);
        List<String> notes = note == null ? List.of() : List.of(note);
        pinned = new RunInfo.SourceInfo(snap.repo(), snap.ref(), snap.commit(), null, null, null, null, List.of(), notes);
        String signature = Sources.verifyLocal(options, git, snap);
        pinned = new RunInfo.SourceInfo(snap.repo(), snap.ref(), snap.commit(), signature, null, null, null, List.of(), notes);
        ProfileLoader profiles = loader.get();
        ProfileLoader.Profiles read = profiles.read(snap.profiles());
        try {
            ComposedSpec spec = profiles.compose(read, identity, snap.files());
            return new Session.Loaded(snap, spec, Digests.profiles(snap.profiles()), pinned, List.of(), read);
        } catch (ProfileException e) {
            throw e.withNotes(notes);
        }
    }

    private Session.Loaded loadRemote(Optional<String> pinnedCommit) throws SourceException, ProfileException, IOException {
        RemoteGitSource source = remote.get();
        if (pinnedCommit.isPresent()) {
            Snapshot snap = source.at(pinnedCommit.get());
            var st = SourceState.read(stateDir);
            pinned = new RunInfo.SourceInfo(snap.repo(), snap.ref(), snap.commit(),
                    pinnedCommit.get().equals(st.commit()) ? st.signature() : null, st.fetchedAt(), null, null, List.of(), List.of());
            ProfileLoader.Profiles read = loader.get().read(snap.profiles());
            ComposedSpec spec = loader.get().compose(read, identity, snap.files());
            return new Session.Loaded(snap, spec, Digests.profiles(snap.profiles()), pinned, List.of(), read);
        }
        RemoteGitSource.Resolved<Checked> r = source.resolve(this::checkAll);
        Snapshot snap = r.snapshot();
        var st = r.state();
        RunInfo.SourceInfo info = new RunInfo.SourceInfo(snap.repo(), snap.ref(), snap.commit(), r.signature(), st.fetchedAt(),
                r.problems().isEmpty() ? null : st.error(), r.problems().isEmpty() ? null : st.badCommit(),
                r.problems().isEmpty() ? List.of() : st.badCommitErrors(), r.notes());
        pinned = info;
        return new Session.Loaded(snap, r.value().spec(), Digests.profiles(snap.profiles()), info, r.problems(), r.value().profiles());
    }

    /** A revision's profiles, every file checked, and their composition for this box. */
    private record Checked(ProfileLoader.Profiles profiles, ComposedSpec spec) {
    }

    /** Every profile file parsed and validated (selected for this box or not), composed for this box, checked by kinds. */
    private Checked checkAll(Snapshot snap) throws ProfileException, IOException {
        ProfileLoader profiles = loader.get();
        ProfileLoader.Profiles read = profiles.read(snap.profiles());
        ComposedSpec spec = profiles.compose(read, identity, snap.files());
        checker.get().check(new DesiredContext(identity, spec, host));
        return new Checked(read, spec);
    }

    /** Parses and validates every profile file (selected for this box or not), then composes for this box. */
    Session.Loaded validate() throws SourceException, ProfileException, IOException {
        Head head = head();
        Snapshot snap = head.snapshot();
        try {
            Checked checked = checkAll(snap);
            return new Session.Loaded(snap, checked.spec(), Digests.profiles(snap.profiles()), new RunInfo.SourceInfo(snap.repo(),
                    snap.ref(), snap.commit(), head.signature(), null, null, null, List.of(), head.notes()), List.of(), checked.profiles());
        } catch (ProfileException e) {
            throw e.withNotes(head.notes());
        }
    }
}
