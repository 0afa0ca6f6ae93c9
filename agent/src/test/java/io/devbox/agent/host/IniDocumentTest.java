package io.devbox.agent.host;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** Round trips of tricky real-world wsl.conf and .wslconfig files: untouched lines stay byte for byte. */
class IniDocumentTest {

    static final String WSL_CONF = """
            # /etc/wsl.conf -- written by hand, do not lose my notes
            [automount]
            enabled = true
            root = /mnt/
            options = "metadata,umask=22,fmask=11"   # quoted, with an inline comment
            mountFsTab = false

            [network]
            hostname = DevBox-42
            generateResolvConf=false
            generateResolvConf = true
            ; this is not a comment in wsl.conf
            myCustomThing = keep me

            [Boot]
            Command = "service docker start; mount --make-rshared /"
            [interop]
            appendWindowsPath = false
            """;

    static String s(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    @Test
    void readsValuesLikeWslDoes() {
        IniDocument d = IniDocument.parse(WSL_CONF);
        assertThat(d.get("automount", "options")).contains("metadata,umask=22,fmask=11");
        assertThat(d.get("AUTOMOUNT", "MountFsTab")).contains("false");
        assertThat(d.get("network", "generateResolvConf")).as("first occurrence wins").contains("false");
        assertThat(d.get("boot", "command")).contains("service docker start; mount --make-rshared /");
        assertThat(d.get("network", "myCustomThing")).contains("keep me");
        assertThat(d.get("boot", "systemd")).isEmpty();
        assertThat(d.duplicates()).containsExactly(
                "line 11: duplicate key network.generateResolvConf is ignored; the value on line 10 wins");
    }

    @Test
    void untouchedDocumentIsByteIdentical() {
        assertThat(s(IniDocument.parse(WSL_CONF).toBytes())).isEqualTo(WSL_CONF);
        String noFinalNewline = "[wsl2]\nmemory=4GB";
        assertThat(s(IniDocument.parse(noFinalNewline).toBytes())).isEqualTo(noFinalNewline);
        assertThat(s(IniDocument.parse("").toBytes())).isEmpty();
    }

    @Test
    void editsOnlyTheValueSpanOfTheFirstOccurrence() {
        IniDocument d = IniDocument.parse(WSL_CONF);
        assertThat(d.set("NETWORK", "generateresolvconf", "true")).isTrue();
        assertThat(d.set("automount", "options", "metadata")).isTrue();
        assertThat(d.set("boot", "command", "service docker start; mount --make-rshared /")).as("same value: no change").isFalse();
        String out = s(d.toBytes());
        assertThat(out).isEqualTo(WSL_CONF
                .replace("generateResolvConf=false", "generateResolvConf=true")
                .replace("options = \"metadata,umask=22,fmask=11\"   # quoted", "options = metadata   # quoted"));
    }

    @Test
    void addsMissingKeysToTheExistingSectionAndNewSectionsAtTheEnd() {
        IniDocument d = IniDocument.parse(WSL_CONF);
        d.set("boot", "systemd", "true");
        d.set("user", "default", "dev");
        String out = s(d.toBytes());
        assertThat(out).isEqualTo(WSL_CONF
                .replace("Command = \"service docker start; mount --make-rshared /\"\n",
                        "Command = \"service docker start; mount --make-rshared /\"\nsystemd = true\n")
                + "\n[user]\ndefault = dev\n");
        assertThat(IniDocument.parse(out).get("boot", "systemd")).contains("true");
    }

    @Test
    void crlfInputIsReadAndWrittenBackWithLf() {
        String crlf = "[wsl2]\r\nmemory=4GB # half my RAM\r\nprocessors=2\r\n\r\n[experimental]\r\nsparseVhd=true\r\n";
        IniDocument d = IniDocument.parse(crlf);
        assertThat(d.get("wsl2", "memory")).contains("4GB");
        d.set("wsl2", "memory", "8GB");
        assertThat(s(d.toBytes())).isEqualTo("[wsl2]\nmemory=8GB # half my RAM\nprocessors=2\n\n[experimental]\nsparseVhd=true\n");
    }

    @Test
    void windowsPathsEscapesAndQuotesRoundTrip() {
        String wslconfig = """
                \uFEFF# .wslconfig from Notepad (with a BOM)
                [wsl2]
                kernel=C:\\\\temp\\\\myCustomKernel
                swapFile = "C:\\\\Users\\\\dev\\\\swap file.vhdx"
                kernelCommandLine = sysctl.vm.max_map_count=262144
                [experimental]
                autoMemoryReclaim=gradual
                """;
        IniDocument d = IniDocument.parse(wslconfig);
        assertThat(d.get("wsl2", "kernel")).contains("C:\\temp\\myCustomKernel");
        assertThat(d.get("wsl2", "swapfile")).contains("C:\\Users\\dev\\swap file.vhdx");
        assertThat(s(d.toBytes())).isEqualTo(wslconfig);

        d.set("wsl2", "kernelCommandLine", "  vsyscall=emulate # keep ");
        d.set("wsl2", "networkingMode", "mirrored");
        d.set("wsl2", "swapFile", "D:\\swap \"big\".vhdx");
        String out = s(d.toBytes());
        assertThat(out).startsWith("\uFEFF# .wslconfig from Notepad (with a BOM)\n[wsl2]\nkernel=C:\\\\temp\\\\myCustomKernel\n");
        assertThat(out).contains("kernelCommandLine = \"  vsyscall=emulate # keep \"\n");
        assertThat(out).contains("swapFile = D:\\\\swap \\\"big\\\".vhdx\n");
        assertThat(out).contains("kernelCommandLine = \"  vsyscall=emulate # keep \"\nnetworkingMode=mirrored\n[experimental]\n");
        IniDocument back = IniDocument.parse(out);
        assertThat(back.get("wsl2", "kernelCommandLine")).contains("  vsyscall=emulate # keep ");
        assertThat(back.get("wsl2", "swapFile")).contains("D:\\swap \"big\".vhdx");
        assertThat(back.get("wsl2", "networkingmode")).contains("mirrored");
    }

    @Test
    void emptyValueAndKeysBeforeAnySectionAreKept() {
        String text = "stray = value\n[boot]\ncommand =\n";
        IniDocument d = IniDocument.parse(text);
        assertThat(d.get("boot", "command")).contains("");
        d.set("boot", "command", "sysctl --system");
        assertThat(s(d.toBytes())).isEqualTo("stray = value\n[boot]\ncommand = sysctl --system\n");
    }

    @Test
    void encodeParsesBack() {
        for (String v : new String[]{"plain", "with space inside", "two  spaces", " lead", "trail ", "a#b", "back\\slash", "q\"uote", "tab\there", ""}) {
            IniDocument d = IniDocument.parse("[s]\nk = " + IniDocument.encode(v) + "\n");
            assertThat(d.get("s", "k")).as(v).contains(v);
        }
    }

    @Test
    void inGitConfigASemicolonStartsACommentAndIsQuotedInValues() {
        String text = "; git's other comment\n[alias]\n\tst = status ; short\n";
        IniDocument d = IniDocument.parseGitConfig(text.getBytes(StandardCharsets.UTF_8));
        assertThat(d.get("alias", "st")).contains("status");
        d.set("alias", "lg", "log; echo done");
        assertThat(s(d.toBytes())).isEqualTo(text + "lg = \"log; echo done\"\n");
        assertThat(IniDocument.parseGitConfig(d.toBytes()).get("alias", "lg")).contains("log; echo done");
        // wsl.conf keeps reading ';' as part of a value
        assertThat(IniDocument.parse("[boot]\ncommand = a; b\n").get("boot", "command")).contains("a; b");
    }
}
