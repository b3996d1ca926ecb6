package dev.turnout.transform.internal;

import java.util.stream.Collectors;

import dev.cel.common.types.CelType;
import dev.cel.common.types.NullableType;

/** CEL types as the README and messages name them ({@code timestamp}, not {@code google.protobuf.Timestamp}). */
public final class CelTypeNames {

    private CelTypeNames() {
    }

    public static String of(CelType type) {
        if (type instanceof NullableType nullable) {
            return of(nullable.targetType());
        }
        switch (type.kind()) {
            case TIMESTAMP:
                return "timestamp";
            case DURATION:
                return "duration";
            case LIST:
            case MAP:
                return type.name() + type.parameters().stream().map(CelTypeNames::of)
                    .collect(Collectors.joining(", ", "(", ")"));
            default:
                return type.name();
        }
    }
}
