package io.devbox.agent.source;

import org.bouncycastle.bcpg.ArmoredInputStream;
import org.bouncycastle.openpgp.PGPCompressedData;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPPublicKeyRingCollection;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.jcajce.JcaPGPObjectFactory;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentVerifierBuilderProvider;
import org.bouncycastle.openpgp.operator.jcajce.JcaKeyFingerprintCalculator;
import org.eclipse.jgit.lib.Config;
import org.eclipse.jgit.lib.ConfigConstants;
import io.devbox.agent.host.AtomicFiles;
import io.devbox.agent.host.TrustedPaths;
import org.eclipse.jgit.lib.GpgConfig;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.SignatureVerifier;
import org.eclipse.jgit.lib.SignatureVerifiers;
import org.eclipse.jgit.revwalk.RevCommit;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;

/**
 * Checks that a commit carries a valid signature by a trusted key, and that the key is trusted for the commit's
 * committer: SSH signatures against an allowed-signers file (git's {@code gpg.ssh.allowedSignersFile} format; a line
 * listing the key must have a principal pattern matching the committer's e-mail, as {@code ssh-keygen -Y verify -I}
 * checks), OpenPGP signatures against a file of armored public keys (a user id of the key must carry the committer's
 * e-mail). Trust comes only from these files, never from the repository or the user's keyrings; the files
 * themselves must be root's (see {@link TrustedPaths}): whoever can write them can sign for the fleet.
 */
public final class CommitVerifier {
    private final Path allowedSigners;
    private final Path gpgKeys;

    /** At least one of the two files must be given. */
    public CommitVerifier(Path allowedSigners, Path gpgKeys) {
        if (allowedSigners == null && gpgKeys == null) {
            throw new IllegalArgumentException("--verify-commits needs --allowed-signers FILE and/or --gpg-keys FILE");
        }
        this.allowedSigners = allowedSigners == null ? null : allowedSigners.toAbsolutePath();
        this.gpgKeys = gpgKeys == null ? null : gpgKeys.toAbsolutePath();
    }

    /** The verdict on one commit: the signer when trusted, else the reason it is not. */
    public record Result(boolean trusted, String signer, String reason) {
        static Result ok(String signer) {
            return new Result(true, signer, null);
        }

        static Result refused(String reason) {
            return new Result(false, null, reason);
        }
    }

    /** The largest trusted-keys file read: a team's keys are kilobytes. */
    static final long MAX_KEYS_BYTES = 4L << 20;

    public Result verify(Repository repo, RevCommit commit) throws IOException {
        byte[] sig = commit.getRawGpgSignature();
        String id = commit.abbreviate(7).name();
        if (sig == null) return Result.refused("commit " + id + " is not signed");
        byte[] data = unsigned(commit.getRawBuffer());
        PersonIdent committer = commit.getCommitterIdent();
        String email = committer == null ? "" : committer.getEmailAddress();
        Instant when = committer == null ? null : committer.getWhenAsInstant();
        String text = new String(sig, StandardCharsets.US_ASCII);
        if (text.startsWith("-----BEGIN SSH SIGNATURE-----")) return ssh(repo, id, data, sig, email, when);
        if (text.startsWith("-----BEGIN PGP SIGNATURE-----")) return gpg(id, data, sig, email);
        return Result.refused("commit " + id + " has a signature of an unsupported format (x509?)");
    }

    private Result ssh(Repository repo, String id, byte[] data, byte[] sig, String email, Instant when) throws IOException {
        if (allowedSigners == null) return Result.refused("commit " + id + " is SSH-signed but no --allowed-signers file is given");
        TrustedPaths.require(allowedSigners, "the allowed-signers file");
        if (!Files.isReadable(allowedSigners)) throw new IOException("cannot read the allowed-signers file " + allowedSigners);
        Config cfg = new Config();
        cfg.setString(ConfigConstants.CONFIG_GPG_SECTION, ConfigConstants.CONFIG_SSH_SUBSECTION,
                ConfigConstants.CONFIG_KEY_SSH_ALLOWED_SIGNERS_FILE, allowedSigners.toString());
        SignatureVerifier verifier = SignatureVerifiers.get(GpgConfig.GpgFormat.SSH);
        if (verifier == null) throw new IOException("no SSH signature verifier available (org.eclipse.jgit.ssh.apache missing)");
        try {
            SignatureVerifier.SignatureVerification v = verifier.verify(repo, new GpgConfig(cfg), data, sig);
            if (v != null && v.verified() && v.keyUser() != null) return sshPrincipal(id, v, email, when);
            String why = v == null ? "no verdict" : v.message() != null ? v.message() : "untrusted key";
            return Result.refused("commit " + id + ": SSH signature not trusted: " + why
                    + (v != null && v.keyFingerprint() != null ? " (key " + v.keyFingerprint() + ")" : ""));
        } finally {
            verifier.clear();
        }
    }

    /**
     * A signature JGit verified against a trusted key: trusted for this commit only when the committer's e-mail is a
     * principal the file grants that key (a plain key's line), or one of the principals JGit matched in a certificate.
     */
    private Result sshPrincipal(String id, SignatureVerifier.SignatureVerification v, String email, Instant when) throws IOException {
        String fingerprint = v.keyFingerprint();
        AllowedSignersFile file = AllowedSignersFile.parse(new String(AtomicFiles.readCapped(allowedSigners, MAX_KEYS_BYTES),
                StandardCharsets.UTF_8));
        boolean allowed = file.listsKey(fingerprint) ? file.allows(fingerprint, email, when)
                : List.of(v.keyUser().split(",")).contains(email);
        if (!email.isEmpty() && allowed) return Result.ok(email + " (ssh " + fingerprint + ")");
        List<String> granted = file.listsKey(fingerprint) ? file.principalsOf(fingerprint) : List.of(v.keyUser().split(","));
        return Result.refused("commit " + id + ": signed with SSH key " + fingerprint + ", which " + allowedSigners
                + " trusts for " + String.join(", ", granted) + ", not for the committer " + (email.isEmpty() ? "(no e-mail)" : email));
    }

    private Result gpg(String id, byte[] data, byte[] sigBytes, String email) throws IOException {
        if (gpgKeys == null) return Result.refused("commit " + id + " is GPG-signed but no --gpg-keys file is given");
        TrustedPaths.require(gpgKeys, "the GPG keys file");
        PGPPublicKeyRingCollection keys = readKeys(gpgKeys);
        PGPSignature sig;
        try {
            sig = parseSignature(sigBytes);
        } catch (IOException | PGPException e) {
            return Result.refused("commit " + id + ": unreadable OpenPGP signature: " + e.getMessage());
        }
        if (sig == null) return Result.refused("commit " + id + ": no OpenPGP signature found");
        List<PGPPublicKey> candidates = new ArrayList<>();
        if (sig.getKeyID() != 0) {
            PGPPublicKey k = keys.getPublicKey(sig.getKeyID());
            if (k != null) candidates.add(k);
        } else {
            for (PGPPublicKeyRing ring : keys) ring.getPublicKeys().forEachRemaining(candidates::add);
        }
        if (candidates.isEmpty()) {
            return Result.refused("commit " + id + ": signed by an untrusted OpenPGP key " + Long.toHexString(sig.getKeyID()).toUpperCase()
                    + " (not in " + gpgKeys + ")");
        }
        for (PGPPublicKey key : candidates) {
            try {
                sig.init(new BcPGPContentVerifierBuilderProvider(), key);
                sig.update(data);
                if (!sig.verify()) continue;
            } catch (PGPException e) {
                continue;
            }
            PGPPublicKeyRing ring = keys.getPublicKeyRing(key.getKeyID());
            PGPPublicKey primary = ring == null ? key : ring.getPublicKey();
            if (key.hasRevocation() || primary.hasRevocation()) {
                return Result.refused("commit " + id + ": signed by a revoked OpenPGP key " + fingerprint(key));
            }
            long valid = key.getValidSeconds();
            if (valid > 0 && sig.getCreationTime().getTime() > key.getCreationTime().getTime() + valid * 1000) {
                return Result.refused("commit " + id + ": signed by an expired OpenPGP key " + fingerprint(key));
            }
            List<String> uids = new ArrayList<>();
            primary.getUserIDs().forEachRemaining(uids::add);
            for (String uid : uids) {
                if (!revoked(primary, uid) && !email.isEmpty() && email.equalsIgnoreCase(emailOf(uid))) {
                    return Result.ok(uid + " (gpg " + fingerprint(primary) + ")");
                }
            }
            return Result.refused("commit " + id + ": signed with OpenPGP key " + fingerprint(primary) + ", whose user ids ("
                    + (uids.isEmpty() ? "none" : String.join("; ", uids)) + ") do not include the committer's address "
                    + (email.isEmpty() ? "(no e-mail)" : email));
        }
        return Result.refused("commit " + id + ": bad OpenPGP signature (the commit does not match it)");
    }

    /** The e-mail of a user id {@code Name (comment) <mail>}, or the whole id when it is a bare address. */
    static String emailOf(String uid) {
        int open = uid.lastIndexOf('<');
        int close = uid.lastIndexOf('>');
        if (open >= 0 && close > open) return uid.substring(open + 1, close).strip();
        return uid.contains("@") ? uid.strip() : "";
    }

    /** Whether the key's own revocation of {@code uid} is among its certifications. */
    private static boolean revoked(PGPPublicKey primary, String uid) {
        Iterator<PGPSignature> sigs = primary.getSignaturesForID(uid);
        while (sigs != null && sigs.hasNext()) {
            if (sigs.next().getSignatureType() == PGPSignature.CERTIFICATION_REVOCATION) return true;
        }
        return false;
    }

    private static PGPSignature parseSignature(byte[] bytes) throws IOException, PGPException {
        try (InputStream in = PGPUtil.getDecoderStream(new ByteArrayInputStream(bytes))) {
            JcaPGPObjectFactory f = new JcaPGPObjectFactory(in);
            Object o = f.nextObject();
            if (o instanceof PGPCompressedData c) o = new JcaPGPObjectFactory(c.getDataStream()).nextObject();
            if (o instanceof PGPSignatureList l && !l.isEmpty()) return l.get(0);
            return null;
        }
    }

    /** Every armored block in the file (several exports may be concatenated). */
    static PGPPublicKeyRingCollection readKeys(Path file) throws IOException {
        byte[] all;
        try {
            all = AtomicFiles.readCapped(file, MAX_KEYS_BYTES);
        } catch (IOException e) {
            throw new IOException("cannot read the GPG keys file " + file + ": " + e.getMessage(), e);
        }
        List<PGPPublicKeyRing> rings = new ArrayList<>();
        try (InputStream raw = new ByteArrayInputStream(all)) {
            while (raw.available() > 0) {
                InputStream in = PGPUtil.getDecoderStream(raw);
                if (!(in instanceof ArmoredInputStream)) {
                    for (PGPPublicKeyRing r : new PGPPublicKeyRingCollection(in, new JcaKeyFingerprintCalculator())) rings.add(r);
                    break;
                }
                byte[] block = in.readAllBytes();
                if (block.length == 0) break;
                for (PGPPublicKeyRing r : new PGPPublicKeyRingCollection(block, new JcaKeyFingerprintCalculator())) rings.add(r);
            }
        } catch (PGPException | RuntimeException e) {
            throw new IOException("the GPG keys file " + file + " is not a set of OpenPGP public keys: " + e.getMessage(), e);
        }
        if (rings.isEmpty()) throw new IOException("the GPG keys file " + file + " holds no public keys");
        return new PGPPublicKeyRingCollection(rings);
    }

    private static String fingerprint(PGPPublicKey key) {
        return HexFormat.of().withUpperCase().formatHex(key.getFingerprint());
    }

    /** The commit object as it was signed: the raw buffer without the {@code gpgsig} header and its continuation lines. */
    static byte[] unsigned(byte[] raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length);
        int i = 0;
        boolean inHeader = true;
        boolean skipping = false;
        while (i < raw.length) {
            int end = i;
            while (end < raw.length && raw[end] != '\n') end++;
            int next = Math.min(end + 1, raw.length);
            if (inHeader) {
                if (end == i) {
                    inHeader = false;
                    skipping = false;
                } else if (skipping && raw[i] == ' ') {
                    i = next;
                    continue;
                } else {
                    skipping = startsWith(raw, i, "gpgsig ") || startsWith(raw, i, "gpgsig-sha256 ");
                    if (skipping) {
                        i = next;
                        continue;
                    }
                }
            }
            out.write(raw, i, next - i);
            i = next;
        }
        return out.toByteArray();
    }

    private static boolean startsWith(byte[] raw, int at, String prefix) {
        byte[] p = prefix.getBytes(StandardCharsets.US_ASCII);
        if (at + p.length > raw.length) return false;
        for (int k = 0; k < p.length; k++) if (raw[at + k] != p[k]) return false;
        return true;
    }
}
