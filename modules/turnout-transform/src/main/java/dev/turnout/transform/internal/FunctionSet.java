package dev.turnout.transform.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.cel.common.CelFunctionDecl;
import dev.cel.common.CelOverloadDecl;
import dev.cel.common.types.CelType;
import dev.cel.runtime.CelFunctionBinding;
import dev.cel.runtime.CelFunctionOverload;

/**
 * Collects function declarations (what the type checker sees) and their bindings (what the runtime calls) side by side,
 * so a function cannot be declared without an implementation or the other way round. Not thread-safe; used while the
 * library is assembled, once.
 *
 * <p>Each overload is bound to the Java classes of its arguments; the runtime picks among a call's candidate overloads
 * by those classes, so two overloads of one function must not be bound to overlapping classes.
 */
final class FunctionSet {

    private final Map<String, List<CelOverloadDecl>> overloads = new LinkedHashMap<>();
    private final List<CelFunctionBinding> bindings = new ArrayList<>();

    /**
     * Adds one global overload.
     *
     * @param id     unique overload id, {@code <function>_<argument types>} by convention
     * @param params the parameter types the checker sees, paired with {@code classes} the runtime dispatches on
     */
    FunctionSet add(String function, String id, CelType result, List<CelType> params, List<Class<?>> classes,
                    CelFunctionOverload impl) {
        if (params.size() != classes.size()) {
            throw new IllegalArgumentException(id + ": " + params.size() + " parameters but " + classes.size()
                + " classes");
        }
        overloads.computeIfAbsent(function, f -> new ArrayList<>())
            .add(CelOverloadDecl.newGlobalOverload(id, result, params));
        bindings.add(CelFunctionBinding.from(id, classes, args -> {
            try {
                return impl.apply(args);
            } catch (IllegalArgumentException | ArithmeticException | java.time.DateTimeException e) {
                // CEL would report "Function '<overload id>' failed with arg(s) '<values>'": name the function instead.
                throw new FunctionFailure(function, e.getMessage(), e);
            }
        }));
        return this;
    }

    List<CelFunctionDecl> declarations() {
        List<CelFunctionDecl> decls = new ArrayList<>();
        overloads.forEach((name, list) -> decls.add(CelFunctionDecl.newFunctionDeclaration(name, list)));
        return decls;
    }

    List<CelFunctionBinding> bindings() {
        return List.copyOf(bindings);
    }
}
