package io.devbox.agent.host;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Random;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

class Base64RunsTest {
    private static final Predicate<String> HOLDS_SECRET = decoded -> decoded.contains("secret");

    @Test
    void replacesAnEncodedSecretWhereverTheRunStandsAndKeepsEverythingElse() {
        String encoded = Base64.getEncoder().encodeToString("user:my-secret-password-here".getBytes(StandardCharsets.UTF_8));
        assertThat(Base64Runs.replace(encoded, 32, HOLDS_SECRET, "***")).isEqualTo("***");
        assertThat(Base64Runs.replace("{\"auth\": \"" + encoded + "\"}", 32, HOLDS_SECRET, "***")).isEqualTo("{\"auth\": \"***\"}");
        assertThat(Base64Runs.replace("token=" + encoded + " rest", 32, HOLDS_SECRET, "***")).isEqualTo("token=*** rest");
        // letters before the value belong to its run: decoded at another alignment, and the whole run goes
        assertThat(Base64Runs.replace("Basic" + encoded + ".", 32, HOLDS_SECRET, "***")).isEqualTo("***.");
    }

    @Test
    void takesThePaddingWithTheRunAndLeavesShortRunsAlone() {
        String encoded = Base64.getEncoder().encodeToString("a secret that is long enough!".getBytes(StandardCharsets.UTF_8));
        assertThat(encoded).endsWith("=");
        assertThat(Base64Runs.replace("a " + encoded + " b", 32, HOLDS_SECRET, "***")).isEqualTo("a *** b");
        String shortRun = Base64.getEncoder().encodeToString("secret".getBytes(StandardCharsets.UTF_8));
        assertThat(Base64Runs.replace("a " + shortRun + " b", 32, HOLDS_SECRET, "***")).isEqualTo("a " + shortRun + " b");
    }

    /** The probing scan finds exactly the runs that a scan of every character finds (random texts, runs of all lengths). */
    @RepeatedTest(200)
    void findsTheSameRunsAsAScanOfEveryCharacter() {
        Random random = new Random();
        long seed = random.nextLong();
        random.setSeed(seed);
        StringBuilder text = new StringBuilder();
        String alphabet = "ABCxyz019+/-_=.: \"\n";
        int pieces = random.nextInt(40);
        for (int p = 0; p < pieces; p++) {
            switch (random.nextInt(4)) {
                case 0 -> text.append(Base64.getEncoder().encodeToString(("k secret " + p).repeat(1 + random.nextInt(4)).getBytes(StandardCharsets.UTF_8)));
                case 1 -> text.append(Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[random.nextInt(60)]));
                default -> {
                    for (int c = random.nextInt(50); c > 0; c--) text.append(alphabet.charAt(random.nextInt(alphabet.length())));
                }
            }
        }
        int minRun = 4 + random.nextInt(40);
        Predicate<String> anyRun = decoded -> decoded.contains("secret") || decoded.length() % 7 == 3;
        assertThat(Base64Runs.replace(text.toString(), minRun, anyRun, "<>"))
                .as("seed %d, minRun %d: %s", seed, minRun, text)
                .isEqualTo(everyCharacter(text.toString(), minRun, anyRun, "<>"));
    }

    /** The scan before the probing one: every character looked at (the reference for the test above). */
    private static String everyCharacter(String text, int minRun, Predicate<String> holdsSecret, String replacement) {
        StringBuilder out = new StringBuilder();
        int copied = 0;
        int i = 0;
        while (i < text.length()) {
            if (!base64(text.charAt(i))) {
                i++;
                continue;
            }
            int start = i;
            while (i < text.length() && base64(text.charAt(i))) i++;
            int end = i;
            while (i < text.length() && text.charAt(i) == '=' && i - end < 2) i++;
            if (end - start >= minRun && decodesToSecret(text.substring(start, end), holdsSecret)) {
                out.append(text, copied, start).append(replacement);
                copied = i;
            }
        }
        return out.append(text, copied, text.length()).toString();
    }

    private static boolean decodesToSecret(String run, Predicate<String> holdsSecret) {
        return Base64Runs.holdsSecret(run, holdsSecret);
    }

    private static boolean base64(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/' || c == '-' || c == '_';
    }
}
