package io.devbox.agent.engine;

/**
 * What one change does, as its kind defines it: each kind has a sealed interface of records extending this one
 * ({@code SysctlOp}, {@code UnitOp}, ...), {@code diff} returns them inside {@link Change}s and {@code apply} acts on
 * their type and values, never on the display text. The display text of plans, JSON and run records is derived here:
 * {@link #field()}, {@link #layer()}, {@link #from()}, {@link #to()} (null means absent), {@link #content()}.
 */
public interface Operation {
    /** The field as plans name it, e.g. {@code runtime}, {@code dropin:10-limits.conf}. */
    String field();

    Layer layer();

    /** The value before, as plans show it and drift compares it; null when absent. */
    String from();

    /** The value after; null when the change removes it. */
    String to();

    /** Whether making the change restarts or interrupts something. */
    default boolean disruptive() {
        return false;
    }

    /** The whole text of a file-like field before and after, when from/to only summarize it (plans show a diff). */
    default Change.Content content() {
        return null;
    }

    /**
     * The payload of {@code change} as the kind's operation type; a change of another kind is a programming error.
     */
    static <T extends Operation> T of(Change change, Class<T> type) {
        if (!type.isInstance(change.op())) {
            throw new IllegalArgumentException(change.resourceId() + ": " + change.op().getClass().getSimpleName()
                    + " is not a " + type.getSimpleName());
        }
        return type.cast(change.op());
    }
}
