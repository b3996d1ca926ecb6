package dev.turnout.transform.internal;

import java.util.List;

import dev.cel.common.CelFunctionDecl;
import dev.cel.runtime.CelFunctionBinding;

/**
 * Every function Turnout adds to CEL's standard ones, declared for the checker and bound for the runtime. Built once;
 * immutable and shared by every table's environment.
 */
public final class FunctionLibrary {

    private static final FunctionLibrary INSTANCE = build();

    private final List<CelFunctionDecl> declarations;
    private final List<CelFunctionBinding> bindings;

    private FunctionLibrary(List<CelFunctionDecl> declarations, List<CelFunctionBinding> bindings) {
        this.declarations = List.copyOf(declarations);
        this.bindings = List.copyOf(bindings);
    }

    public static FunctionLibrary instance() {
        return INSTANCE;
    }

    private static FunctionLibrary build() {
        FunctionSet fs = new FunctionSet();
        NullFunctions.register(fs);
        StringFunctions.register(fs);
        DecimalFunctions.register(fs);
        TimeFunctions.register(fs);
        JsonFunctions.register(fs);
        return new FunctionLibrary(fs.declarations(), fs.bindings());
    }

    public List<CelFunctionDecl> declarations() {
        return declarations;
    }

    public List<CelFunctionBinding> bindings() {
        return bindings;
    }
}
