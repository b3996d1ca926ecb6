package dev.turnout.transform.internal;

import static dev.turnout.transform.internal.CelValues.NULL;
import static dev.turnout.transform.internal.CelValues.isNull;

import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import dev.cel.common.types.CelType;
import dev.cel.common.types.SimpleType;
import dev.cel.common.types.TypeParamType;
import dev.cel.common.values.CelByteString;

/** {@code coalesce}, {@code nullIf}, {@code isEmpty}, {@code isBlank}: the functions that look at null rather than fail on it. */
final class NullFunctions {

    /** CEL has no variadic functions, so {@code coalesce} is declared for 2 to this many arguments. */
    static final int MAX_COALESCE = 8;

    private NullFunctions() {
    }

    static void register(FunctionSet fs) {
        CelType t = TypeParamType.create("T");
        for (int n = 2; n <= MAX_COALESCE; n++) {
            fs.add("coalesce", "turnout_coalesce_" + n, t, Collections.nCopies(n, t), Collections.nCopies(n, Object.class),
                args -> {
                    for (Object a : args) {
                        if (!isNull(a)) {
                            return a;
                        }
                    }
                    return NULL;
                });
        }
        fs.add("nullIf", "turnout_nullIf", t, List.of(t, t), List.of(Object.class, Object.class),
            args -> isNull(args[0]) || Objects.equals(args[0], args[1]) ? NULL : args[0]);
        fs.add("isEmpty", "turnout_isEmpty_dyn", SimpleType.BOOL, List.of(SimpleType.DYN), List.of(Object.class),
            args -> isEmpty(args[0]));
        fs.add("isBlank", "turnout_isBlank_string", SimpleType.BOOL, List.of(SimpleType.STRING), List.of(Object.class),
            args -> isNull(args[0]) || ((String) args[0]).isBlank());
    }

    private static boolean isEmpty(Object value) {
        if (isNull(value)) {
            return true;
        }
        if (value instanceof String s) {
            return s.isEmpty();
        }
        if (value instanceof CelByteString b) {
            return b.isEmpty();
        }
        if (value instanceof Collection<?> c) {
            return c.isEmpty();
        }
        if (value instanceof Map<?, ?> m) {
            return m.isEmpty();
        }
        return false;
    }
}
