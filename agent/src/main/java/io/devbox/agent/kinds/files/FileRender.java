package io.devbox.agent.kinds.files;

import io.devbox.agent.host.IniDocument;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Pure: the text a file should hold, from the text it holds ({@link FileText} form, null when absent) and what the
 * profiles manage in it. The whole content replaces everything; blocks and INI keys change only their own lines.
 */
final class FileRender {
    private FileRender() {
    }

    static String render(String current, FileResource d) throws Blocks.BlockProblem {
        if (d.whole()) return FileText.fromProfile(d.content());
        String text = current == null ? "" : current;
        if (!d.blocks().isEmpty()) {
            Map<String, String> wanted = new LinkedHashMap<>();
            d.blocks().forEach((name, body) -> wanted.put(name, body == null ? null : FileText.body(body)));
            text = Blocks.apply(text, d.commentPrefix(), wanted);
        }
        if (!d.ini().isEmpty()) {
            IniDocument doc = ini(text);
            for (Map.Entry<String, String> e : d.ini().entrySet()) {
                IniKey k = IniKey.parse(e.getKey());
                if (e.getValue() == null) doc.remove(k.section(), k.key());
                else doc.set(k.section(), k.key(), e.getValue());
            }
            text = FileText.of(doc.toBytes());
        }
        return text;
    }

    /** The file as an INI document; only UTF-8 text is edited that way (the document writes UTF-8). */
    static IniDocument ini(String text) throws Blocks.BlockProblem {
        byte[] bytes = FileText.bytes(text);
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
        } catch (CharacterCodingException e) {
            throw new Blocks.BlockProblem("the file is not UTF-8 text; its INI keys are not edited");
        }
        return IniDocument.parseGitConfig(bytes);
    }

    /** The value of a managed key in {@code text}, or empty. */
    static Optional<String> iniValue(IniDocument doc, String name) {
        IniKey k = IniKey.parse(name);
        return doc.get(k.section(), k.key());
    }
}
