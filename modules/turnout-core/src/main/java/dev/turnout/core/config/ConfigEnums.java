package dev.turnout.core.config;

import dev.turnout.core.config.spec.ConfigEnum;

final class ConfigEnums {

    private ConfigEnums() {
    }

    static <E extends Enum<E> & ConfigEnum> E fromValue(Class<E> type, String value) {
        for (E e : type.getEnumConstants()) {
            if (e.value().equals(value)) {
                return e;
            }
        }
        throw new IllegalArgumentException("unknown " + type.getSimpleName() + " '" + value + "'");
    }
}
