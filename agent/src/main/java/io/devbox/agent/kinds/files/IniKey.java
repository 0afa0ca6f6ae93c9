package io.devbox.agent.kinds.files;

import java.util.regex.Pattern;

/**
 * A key of a git-config-like INI file as profiles name it: {@code SECTION.KEY}, or {@code SECTION.SUBSECTION.KEY} for
 * git's {@code [section "subsection"]} (the subsection is everything between the first and the last dot).
 */
record IniKey(String section, String key) {
    static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9-]{0,63}(\\.[^\"\\\\\\n\\r\\x00\\]]{1,200})?\\.[A-Za-z][A-Za-z0-9-]{0,63}");

    static IniKey parse(String name) {
        if (!NAME.matcher(name).matches()) throw new IllegalArgumentException("not a SECTION.KEY name: " + name);
        int first = name.indexOf('.');
        int last = name.lastIndexOf('.');
        String section = first == last ? name.substring(0, first)
                : name.substring(0, first) + " \"" + name.substring(first + 1, last) + "\"";
        return new IniKey(section, name.substring(last + 1));
    }
}
