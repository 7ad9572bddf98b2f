"""Property: any sequence of commands, valid or not, leaves a store that reloads to the state
the commands produced in memory, and a rejected command never leaves an event."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.errors import DomainError
from tests.service.scenario import reported, reporting_line

ratings = st.sampled_from(["above", "meets", "below"])
dimensions = st.sampled_from(["results", "behaviour"])
reasons = st.sampled_from(["", "alasan yang jelas"])
commands = st.lists(st.one_of(
    st.tuples(st.just("comment"), st.sampled_from(["asn", "rater", "head"]), st.text(max_size=40)),
    st.tuples(st.just("rate"), dimensions, ratings, reasons),
    st.tuples(st.just("revise"), dimensions, ratings, reasons),
    st.tuples(st.just("finalise")),
    st.tuples(st.just("advance"), st.integers(0, 20)),
    st.tuples(st.just("file"), st.sampled_from(["asn", "rater"])),
    st.tuples(st.just("decide"), st.sampled_from(["rejected", "upheld"]), ratings, ratings,
              reasons),
), max_size=14)


def run(app, clock, line, evaluation_id, command):
    name, *args = command
    reviewer = line.actor("rater", "reviewer")
    if name == "comment":
        return app.comment(line.actor(args[0]), evaluation_id, args[1])
    if name == "rate":
        return app.record_rating(reviewer, evaluation_id, args[0], args[1], reason=args[2])
    if name == "revise":
        return app.revise_rating(reviewer, evaluation_id, args[0], args[1], reason=args[2])
    if name == "finalise":
        return app.finalise(reviewer, evaluation_id)
    if name == "advance":
        return clock.advance(days=args[0])
    if name == "file":
        return app.file_keberatan(line.actor(args[0]), evaluation_id, "keberatan")
    outcome, results, behaviour, reason = args
    return app.decide_keberatan(line.actor("head", "appeal_board"),
                                app.keberatan_on(evaluation_id).id, outcome, reason=reason,
                                results=results if outcome == "upheld" else None,
                                behaviour=behaviour if outcome == "upheld" else None)


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(sequence=commands)
def test_commands_reload_to_the_same_state_and_rejections_write_nothing(app, clock, sequence):
    line = reporting_line(app)
    evaluation_id = reported(app, clock, line).id
    in_memory = {}
    for command in sequence:
        before = app.recorder.max_notification_id()
        try:
            changed = run(app, clock, line, evaluation_id, command)
        except DomainError:
            assert app.recorder.max_notification_id() == before, command
            continue
        if changed is not None:
            in_memory[changed.id] = changed
        if command[0] == "decide":  # an upheld decision also corrects the evaluation, in the
            in_memory.pop(evaluation_id, None)  # same transaction: the copy held is stale
    for aggregate_id, state in in_memory.items():
        assert app.load(aggregate_id) == state
