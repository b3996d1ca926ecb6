package dev.turnout.core.config;

/**
 * One problem found in a config file, located to the character.
 *
 * @param file   the file name as the user gave it
 * @param line   1-based line, 0 when the problem concerns the whole file
 * @param column 1-based column, 0 when the problem concerns the whole file
 * @param path   the key path, e.g. {@code source.tables[1]}; empty for the document itself
 * @param message what is wrong and what was expected; never contains a secret
 */
public record ConfigProblem(String file, int line, int column, String path, String message) {

    /** {@code file:line:column: path: message}, the form every Turnout config error takes. */
    @Override
    public String toString() {
        String where = line > 0 ? file + ":" + line + ":" + column : file;
        return path.isEmpty() ? where + ": " + message : where + ": " + path + ": " + message;
    }
}
