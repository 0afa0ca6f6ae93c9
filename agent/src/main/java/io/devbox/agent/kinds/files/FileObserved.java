package io.devbox.agent.kinds.files;

import java.util.Map;

/**
 * What a file holds of what the profiles manage. A record: its text is the plan's fingerprint input (the digest covers
 * every byte of the file).
 *
 * @param exists     a regular file is there
 * @param digest     sha256 of the whole file, null when absent
 * @param content    the whole text ({@link FileText} form) when the profile manages it whole, else null
 * @param blocks     per managed block name, its body ({@link FileText} form); absent names are not in the map
 * @param prefixes   per block found, the comment prefix its markers have
 * @param ini        per managed key, its value; absent keys are not in the map
 * @param mode       four octal digits, null when absent
 * @param owner      the owner in the form the profile gives it (name or number), read only when the profile sets one
 * @param group      the group likewise
 * @param emptyAfter the file would hold nothing but blank lines once the agent's edits are made
 * @param kept       for a file leaving the profiles that the agent replaced whole: the copy taken before, or null
 * @param iniBefore  for a file leaving the profiles: per key the agent set, what it held before (when known)
 * @param modeBefore for a file leaving the profiles: its mode before the agent changed it, or null
 */
public record FileObserved(boolean exists, String digest, String content, Map<String, String> blocks, Map<String, String> prefixes,
                           Map<String, String> ini, String mode, String owner, String group, boolean emptyAfter,
                           KeptFiles.Copy kept, Map<String, KeptFiles.Was> iniBefore, String modeBefore) {
    public FileObserved {
        blocks = Map.copyOf(blocks);
        prefixes = Map.copyOf(prefixes);
        ini = Map.copyOf(ini);
        iniBefore = Map.copyOf(iniBefore);
    }

    static FileObserved absent() {
        return new FileObserved(false, null, null, Map.of(), Map.of(), Map.of(), null, null, null, true, null, Map.of(), null);
    }
}
