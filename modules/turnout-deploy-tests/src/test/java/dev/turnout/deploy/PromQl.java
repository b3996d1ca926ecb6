package dev.turnout.deploy;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict checker for the PromQL the alert rules use. No PromQL parser is published on Maven Central (Prometheus's own
 * is Go; the Java ports found are not there), so this test-only checker tokenizes an expression and parses it with
 * PromQL's grammar (selectors and label matchers, range and offset, function calls, aggregations with by/without before
 * or after, binary operators with bool, on/ignoring and group_left/right) and checks argument types the way Prometheus
 * does (a range vector where {@code rate} needs one, an instant vector for {@code and}). It rejects anything outside
 * that grammar, including functions it does not know, rather than guessing. It is not Prometheus's parser: exotic
 * syntax (subquery steps, @ modifiers, native-histogram functions) is refused, not accepted.
 *
 * <p>Result: the metric names and label names the expression refers to, for cross-checks.
 */
final class PromQl {

    /** What an expression refers to. */
    record References(Set<String> metrics, Set<String> labels) {
    }

    /** A malformed expression; the message names the position and what was expected. */
    static final class PromQlException extends RuntimeException {
        PromQlException(String message) {
            super(message);
        }
    }

    private enum Type { SCALAR, STRING, INSTANT, RANGE }

    private enum Kind { IDENT, NUMBER, STRING, DURATION, OP, LPAREN, RPAREN, LBRACE, RBRACE, LBRACKET, RBRACKET, COMMA,
        COLON, EOF }

    private record Token(Kind kind, String text, int at) {
    }

    private static final Set<String> AGGREGATIONS = Set.of("sum", "min", "max", "avg", "group", "stddev", "stdvar",
        "count", "count_values", "bottomk", "topk", "quantile", "limitk", "limit_ratio");
    private static final Set<String> PARAMETER_AGGREGATIONS = Set.of("count_values", "bottomk", "topk", "quantile",
        "limitk", "limit_ratio");
    private static final Set<String> SET_OPERATORS = Set.of("and", "or", "unless");
    private static final Set<String> ARITHMETIC_OR_COMPARISON = Set.of("+", "-", "*", "/", "%", "^", "==", "!=", ">",
        "<", ">=", "<=");
    private static final Set<String> COMPARISONS = Set.of("==", "!=", ">", "<", ">=", "<=");
    private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right",
        "bool", "offset", "and", "or", "unless", "atan2");

    private static final List<Type> RANGE_ARG = List.of(Type.RANGE);
    private static final List<Type> INSTANT_ARG = List.of(Type.INSTANT);
    /** Function name to its parameter types; a trailing null marks optional parameters after it. */
    private static final Map<String, List<Type>> FUNCTIONS = Map.ofEntries(
        Map.entry("rate", RANGE_ARG), Map.entry("irate", RANGE_ARG), Map.entry("increase", RANGE_ARG),
        Map.entry("delta", RANGE_ARG), Map.entry("idelta", RANGE_ARG), Map.entry("deriv", RANGE_ARG),
        Map.entry("resets", RANGE_ARG), Map.entry("changes", RANGE_ARG),
        Map.entry("avg_over_time", RANGE_ARG), Map.entry("min_over_time", RANGE_ARG),
        Map.entry("max_over_time", RANGE_ARG), Map.entry("sum_over_time", RANGE_ARG),
        Map.entry("count_over_time", RANGE_ARG), Map.entry("last_over_time", RANGE_ARG),
        Map.entry("present_over_time", RANGE_ARG), Map.entry("absent_over_time", RANGE_ARG),
        Map.entry("predict_linear", List.of(Type.RANGE, Type.SCALAR)),
        Map.entry("quantile_over_time", List.of(Type.SCALAR, Type.RANGE)),
        Map.entry("histogram_quantile", List.of(Type.SCALAR, Type.INSTANT)),
        Map.entry("absent", INSTANT_ARG), Map.entry("abs", INSTANT_ARG), Map.entry("ceil", INSTANT_ARG),
        Map.entry("floor", INSTANT_ARG), Map.entry("round", List.of(Type.INSTANT, Type.SCALAR)),
        Map.entry("clamp_min", List.of(Type.INSTANT, Type.SCALAR)),
        Map.entry("clamp_max", List.of(Type.INSTANT, Type.SCALAR)),
        Map.entry("timestamp", INSTANT_ARG), Map.entry("scalar", INSTANT_ARG), Map.entry("vector", List.of(Type.SCALAR)),
        Map.entry("time", List.of()),
        Map.entry("label_replace", List.of(Type.INSTANT, Type.STRING, Type.STRING, Type.STRING, Type.STRING)));

    private static final Pattern TOKEN = Pattern.compile(
        "(?<comment>#[^\\n]*)"
            + "|(?<duration>(?:\\d+(?:ms|s|m|h|d|w|y))+)(?![a-zA-Z0-9_])"
            + "|(?<number>(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][+-]?\\d+)?|0x[0-9a-fA-F]+|[Ii]nf|NaN)(?![a-zA-Z0-9_:])"
            + "|(?<ident>[a-zA-Z_:][a-zA-Z0-9_:]*)"
            + "|(?<string>\"(?:[^\"\\\\\\n]|\\\\.)*\"|'(?:[^'\\\\\\n]|\\\\.)*'|`[^`]*`)"
            + "|(?<op>==|!=|>=|<=|=~|!~|[-+*/%^<>=])"
            + "|(?<punct>[(){}\\[\\],:])");

    private final String source;
    private final List<Token> tokens;
    private int next;
    private final Set<String> metrics = new LinkedHashSet<>();
    private final Set<String> labels = new LinkedHashSet<>();

    private PromQl(String source) {
        this.source = source;
        this.tokens = tokenize(source);
    }

    /** Parses and type-checks {@code expr} as an alerting expression (an instant vector); throws on any problem. */
    static References check(String expr) {
        PromQl parser = new PromQl(expr);
        Type type = parser.expression();
        parser.expect(Kind.EOF, "end of expression");
        if (type != Type.INSTANT) {
            throw new PromQlException("an alerting expression must be an instant vector, this one is a " + type);
        }
        return new References(Set.copyOf(parser.metrics), Set.copyOf(parser.labels));
    }

    private static List<Token> tokenize(String source) {
        List<Token> tokens = new ArrayList<>();
        Matcher m = TOKEN.matcher(source);
        int at = 0;
        while (true) {
            while (at < source.length() && Character.isWhitespace(source.charAt(at))) {
                at++;
            }
            if (at == source.length()) {
                break;
            }
            m.region(at, source.length());
            if (!m.lookingAt()) {
                throw new PromQlException("unexpected character at " + at + " of '" + source.strip() + "': '"
                    + source.charAt(at) + "'");
            }
            if (m.group("comment") == null) {
                tokens.add(token(m, at));
            }
            at = m.end();
        }
        tokens.add(new Token(Kind.EOF, "", source.length()));
        return tokens;
    }

    private static Token token(Matcher m, int at) {
        if (m.group("duration") != null) {
            return new Token(Kind.DURATION, m.group("duration"), at);
        }
        if (m.group("number") != null) {
            return new Token(Kind.NUMBER, m.group("number"), at);
        }
        if (m.group("ident") != null) {
            return new Token(Kind.IDENT, m.group("ident"), at);
        }
        if (m.group("string") != null) {
            return new Token(Kind.STRING, m.group("string"), at);
        }
        if (m.group("op") != null) {
            return new Token(Kind.OP, m.group("op"), at);
        }
        String p = m.group("punct");
        Kind kind = switch (p) {
            case "(" -> Kind.LPAREN;
            case ")" -> Kind.RPAREN;
            case "{" -> Kind.LBRACE;
            case "}" -> Kind.RBRACE;
            case "[" -> Kind.LBRACKET;
            case "]" -> Kind.RBRACKET;
            case "," -> Kind.COMMA;
            default -> Kind.COLON;
        };
        return new Token(kind, p, at);
    }

    /** PromQL's binary operator precedence, lowest first; {@code ^} is right-associative. */
    private static int precedence(Token op) {
        return switch (op.text()) {
            case "or" -> 1;
            case "and", "unless" -> 2;
            case "==", "!=", ">", "<", ">=", "<=" -> 3;
            case "+", "-" -> 4;
            case "*", "/", "%", "atan2" -> 5;
            case "^" -> 6;
            default -> throw new IllegalArgumentException(op.text());
        };
    }

    private Type expression() {
        return expression(1);
    }

    // Precedence climbing: operand (binop modifiers operand)*, binding tighter operators first.
    private Type expression(int minPrecedence) {
        Type left = unary();
        while (isBinaryOperator(peek()) && precedence(peek()) >= minPrecedence) {
            Token op = take();
            int p = precedence(op);
            boolean bool = modifiers(op);
            Type right = expression("^".equals(op.text()) ? p : p + 1);
            if (left == Type.SCALAR && right == Type.SCALAR && COMPARISONS.contains(op.text()) && !bool) {
                throw error(op, "comparisons between scalars must use the bool modifier");
            }
            left = binaryResult(op, left, right);
        }
        return left;
    }

    // bool, on(...)/ignoring(...), group_left/group_right(...); true when bool was given
    private boolean modifiers(Token op) {
        boolean bool = false;
        if (peekIdent("bool")) {
            if (!COMPARISONS.contains(op.text())) {
                throw error(peek(), "bool only modifies comparison operators");
            }
            take();
            bool = true;
        }
        boolean matching = false;
        if (peekIdent("on") || peekIdent("ignoring")) {
            take();
            labelList();
            matching = true;
        }
        if (peekIdent("group_left") || peekIdent("group_right")) {
            if (!matching) {
                throw error(peek(), "group_left/group_right need on(...) or ignoring(...) before them");
            }
            take();
            if (peek().kind() == Kind.LPAREN) {
                labelList();
            }
        }
        return bool;
    }

    private Type binaryResult(Token op, Type left, Type right) {
        if (left == Type.STRING || right == Type.STRING || left == Type.RANGE || right == Type.RANGE) {
            throw error(op, "operator " + op.text() + " applies to scalars and instant vectors, not " + left + " and "
                + right);
        }
        if (SET_OPERATORS.contains(op.text())) {
            if (left != Type.INSTANT || right != Type.INSTANT) {
                throw error(op, "'" + op.text() + "' needs instant vectors on both sides");
            }
            return Type.INSTANT;
        }
        return left == Type.SCALAR && right == Type.SCALAR ? Type.SCALAR : Type.INSTANT;
    }

    private boolean isBinaryOperator(Token t) {
        return t.kind() == Kind.OP && ARITHMETIC_OR_COMPARISON.contains(t.text())
            || t.kind() == Kind.IDENT && (SET_OPERATORS.contains(t.text()) || "atan2".equals(t.text()));
    }

    // unary := ('-' | '+')? postfix
    private Type unary() {
        if (peek().kind() == Kind.OP && ("-".equals(peek().text()) || "+".equals(peek().text()))) {
            Token sign = take();
            Type operand = postfix();
            if (operand != Type.SCALAR && operand != Type.INSTANT) {
                throw error(sign, "a sign applies to scalars and instant vectors");
            }
            return operand;
        }
        return postfix();
    }

    // postfix := primary ('[' duration ']' | '[' duration ':' duration? ']')? ('offset' '-'? duration)?
    private Type postfix() {
        Token start = peek();
        Type type = primary();
        if (peek().kind() == Kind.LBRACKET) {
            take();
            expect(Kind.DURATION, "a duration such as 5m");
            if (peek().kind() == Kind.COLON) {
                take();
                if (peek().kind() == Kind.DURATION) {
                    take();
                }
                if (type != Type.INSTANT) {
                    throw error(start, "a subquery needs an instant vector");
                }
            } else if (type != Type.INSTANT || !isSelector(start)) {
                throw error(start, "a range [..] applies to a series selector; use a subquery [range:] on expressions");
            }
            expect(Kind.RBRACKET, "]");
            type = Type.RANGE;
        }
        if (peekIdent("offset")) {
            Token offset = take();
            if (type != Type.INSTANT && type != Type.RANGE || !isSelector(start)) {
                throw error(offset, "offset applies to a series selector");
            }
            if (peek().kind() == Kind.OP && "-".equals(peek().text())) {
                take();
            }
            expect(Kind.DURATION, "a duration after offset");
        }
        return type;
    }

    private boolean isSelector(Token start) {
        return start.kind() == Kind.LBRACE || start.kind() == Kind.IDENT && !FUNCTIONS.containsKey(start.text())
            && !AGGREGATIONS.contains(start.text());
    }

    private Type primary() {
        Token t = peek();
        switch (t.kind()) {
            case NUMBER -> {
                take();
                return Type.SCALAR;
            }
            case STRING -> {
                take();
                return Type.STRING;
            }
            case LPAREN -> {
                take();
                Type inner = expression();
                expect(Kind.RPAREN, ")");
                return inner;
            }
            case LBRACE -> {
                matchers();
                return Type.INSTANT;
            }
            case IDENT -> {
                if (AGGREGATIONS.contains(t.text())) {
                    return aggregation();
                }
                if (peekAt(1).kind() == Kind.LPAREN) {
                    return function();
                }
                if (KEYWORDS.contains(t.text())) {
                    throw error(t, "keyword '" + t.text() + "' where an expression was expected");
                }
                take();
                metrics.add(t.text());
                if (peek().kind() == Kind.LBRACE) {
                    matchers();
                }
                return Type.INSTANT;
            }
            default -> throw error(t, "expected an expression");
        }
    }

    // aggregation := op grouping? '(' (param ',')? expr ')' grouping?
    private Type aggregation() {
        Token op = take();
        boolean grouped = false;
        if (peekIdent("by") || peekIdent("without")) {
            take();
            labelList();
            grouped = true;
        }
        expect(Kind.LPAREN, "( after " + op.text());
        if (PARAMETER_AGGREGATIONS.contains(op.text())) {
            Type parameter = expression();
            if (parameter != ("count_values".equals(op.text()) ? Type.STRING : Type.SCALAR)) {
                throw error(op, op.text() + " takes a " + ("count_values".equals(op.text()) ? "string" : "scalar")
                    + " parameter first");
            }
            expect(Kind.COMMA, ", after the parameter of " + op.text());
        }
        Type operand = expression();
        if (operand != Type.INSTANT) {
            throw error(op, op.text() + " aggregates an instant vector, not a " + operand);
        }
        expect(Kind.RPAREN, ") closing " + op.text());
        if (!grouped && (peekIdent("by") || peekIdent("without"))) {
            take();
            labelList();
        }
        return Type.INSTANT;
    }

    private Type function() {
        Token name = take();
        List<Type> parameters = FUNCTIONS.get(name.text());
        if (parameters == null) {
            throw error(name, "unknown function '" + name.text() + "'");
        }
        expect(Kind.LPAREN, "(");
        List<Type> arguments = new ArrayList<>();
        if (peek().kind() != Kind.RPAREN) {
            arguments.add(expression());
            while (peek().kind() == Kind.COMMA) {
                take();
                arguments.add(expression());
            }
        }
        expect(Kind.RPAREN, ") closing " + name.text());
        if (!arguments.equals(parameters)) {
            throw error(name, name.text() + " takes " + parameters + ", got " + arguments);
        }
        return switch (name.text()) {
            case "time", "scalar" -> Type.SCALAR;
            default -> Type.INSTANT;
        };
    }

    // '{' (label op string (',' label op string)* ','?)? '}'
    private void matchers() {
        expect(Kind.LBRACE, "{");
        while (peek().kind() != Kind.RBRACE) {
            Token label = expect(Kind.IDENT, "a label name");
            labels.add(label.text());
            Token op = expect(Kind.OP, "=, !=, =~ or !~");
            if (!Set.of("=", "!=", "=~", "!~").contains(op.text())) {
                throw error(op, "expected a label matcher operator (=, !=, =~, !~)");
            }
            Token value = expect(Kind.STRING, "a quoted label value");
            if (op.text().endsWith("~")) {
                try {
                    Pattern.compile(unquote(value.text()));
                } catch (RuntimeException e) {
                    throw error(value, "invalid regular expression: " + e.getMessage());
                }
            }
            if (peek().kind() == Kind.COMMA) {
                take();
            } else {
                break;
            }
        }
        expect(Kind.RBRACE, "}");
    }

    private void labelList() {
        expect(Kind.LPAREN, "( and a list of label names");
        while (peek().kind() != Kind.RPAREN) {
            Token label = expect(Kind.IDENT, "a label name");
            labels.add(label.text());
            if (peek().kind() == Kind.COMMA) {
                take();
            } else {
                break;
            }
        }
        expect(Kind.RPAREN, ") closing the label list");
    }

    private static String unquote(String quoted) {
        return quoted.substring(1, quoted.length() - 1).replace("\\\\", "\\");
    }

    private Token peek() {
        return tokens.get(next);
    }

    private Token peekAt(int ahead) {
        return tokens.get(Math.min(next + ahead, tokens.size() - 1));
    }

    private boolean peekIdent(String word) {
        return peek().kind() == Kind.IDENT && peek().text().equals(word);
    }

    private Token take() {
        return tokens.get(next++);
    }

    private Token expect(Kind kind, String what) {
        Token t = peek();
        if (t.kind() != kind) {
            throw error(t, "expected " + what);
        }
        return take();
    }

    private PromQlException error(Token at, String problem) {
        String found = at.kind() == Kind.EOF ? "the end" : "'" + at.text() + "'";
        return new PromQlException("at character " + at.at() + " of '" + source.strip() + "': " + problem + " (at "
            + found + ")");
    }
}
