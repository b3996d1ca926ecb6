package dev.turnout.rollout.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;

import dev.turnout.rollout.BasisPoints;
import dev.turnout.rollout.GateResult;
import dev.turnout.rollout.GateStatus;
import dev.turnout.rollout.GateVerdict;
import dev.turnout.rollout.RolloutChange;
import dev.turnout.rollout.RolloutState;
import dev.turnout.schemas.rollout.GateVerdictRecord;

/** {@link RolloutState} to and from its Avro form ({@code schemas/RolloutState.avsc}). Stateless. */
public final class StateCodec {

    private StateCodec() {
    }

    public static dev.turnout.schemas.rollout.RolloutState toAvro(RolloutState state) {
        List<GateVerdictRecord> gates = new ArrayList<>();
        for (GateVerdict v : state.gates()) {
            gates.add(GateVerdictRecord.newBuilder()
                .setGate(v.result().gate())
                .setStatus(v.result().status().name())
                .setDetail(v.result().detail())
                .setCheckedAt(v.checkedAt())
                .setFailingSince(v.failingSince().orElse(null))
                .build());
        }
        return dev.turnout.schemas.rollout.RolloutState.newBuilder()
            .setName(state.name())
            .setPipeline(state.pipeline().orElse(null))
            .setBasisPoints(state.share().value())
            .setAllow(state.sortedAllow())
            .setDeny(state.sortedDeny())
            .setLastChange(state.lastChange().map(StateCodec::toAvro).orElse(null))
            .setHold(state.hold().orElse(null))
            .setGates(gates)
            .build();
    }

    /**
     * The domain form of a record read from the topic under {@code key}. Throws {@link IllegalArgumentException} when
     * the record cannot be a valid state (a bad name, basis points out of range, an unknown action or status).
     */
    public static RolloutState fromAvro(String key, dev.turnout.schemas.rollout.RolloutState avro) {
        String name = avro.getName() == null || avro.getName().isEmpty() ? key : avro.getName();
        if (!name.equals(key)) {
            throw new IllegalArgumentException("record for key '" + key + "' names rollout '" + name + "'");
        }
        List<GateVerdict> gates = new ArrayList<>();
        for (GateVerdictRecord g : avro.getGates()) {
            GateResult result = new GateResult(g.getGate(), GateStatus.valueOf(g.getStatus()), g.getDetail());
            gates.add(new GateVerdict(result, g.getCheckedAt(), Optional.ofNullable(g.getFailingSince())));
        }
        return new RolloutState(name, Optional.ofNullable(avro.getPipeline()), new BasisPoints(avro.getBasisPoints()),
            new HashSet<>(avro.getAllow()), new HashSet<>(avro.getDeny()),
            Optional.ofNullable(avro.getLastChange()).map(StateCodec::fromAvro), Optional.ofNullable(avro.getHold()),
            gates);
    }

    private static dev.turnout.schemas.rollout.RolloutChange toAvro(RolloutChange change) {
        return dev.turnout.schemas.rollout.RolloutChange.newBuilder()
            .setAction(change.action().name())
            .setBy(change.by())
            .setAt(change.at())
            .setReason(change.reason())
            .setFromBasisPoints(change.from().value())
            .build();
    }

    private static RolloutChange fromAvro(dev.turnout.schemas.rollout.RolloutChange avro) {
        Instant at = avro.getAt();
        return new RolloutChange(RolloutChange.Action.valueOf(avro.getAction()), avro.getBy(), at, avro.getReason(),
            new BasisPoints(avro.getFromBasisPoints()));
    }
}
