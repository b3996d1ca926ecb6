package dev.turnout.transform.stream;

import dev.turnout.core.TopicNames;
import dev.turnout.core.config.TableId;
import dev.turnout.transform.TableMapping;

/**
 * One captured table as the topology routes it: its CDC topic, its mapping, and the sink of its apply topic. Immutable.
 *
 * @param topic     the CDC topic read
 * @param applyTopic the apply topic written
 * @param sink      the name of the topology's sink node for {@code applyTopic}
 * @param tracked   whether the target key a row was last emitted under is kept in the state store: when the key is not
 *                  a function of the source primary key (an update may move the row to another target key), or a
 *                  {@code where} filter may take the row out of the target's scope
 */
record SourceTable(TableMapping mapping, String topic, String applyTopic, String sink, RowReader rows, boolean tracked) {

    static SourceTable of(String pipeline, TableMapping mapping) {
        String applyTopic = TopicNames.apply(pipeline, mapping.target());
        return new SourceTable(mapping, TopicNames.cdc(pipeline, mapping.source()), applyTopic, "apply-" + mapping.target(),
            new RowReader(mapping.sourceColumns()), mapping.where().isPresent() || !mapping.keyFollowsSourceKey());
    }

    TableId id() {
        return mapping.source();
    }
}
