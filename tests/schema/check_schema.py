"""The published JSON Schema accepts every built-in survey and the good fixtures, and rejects
the broken fixture.

Editors use public/survey.schema.json for autocompletion and checking, so it must agree with
what the widget itself accepts.
"""
import json
import pathlib
import sys

import jsonschema

ROOT = pathlib.Path(__file__).resolve().parents[2]
schema = json.loads((ROOT / "public" / "survey.schema.json").read_text())
jsonschema.Draft202012Validator.check_schema(schema)
validator = jsonschema.Draft202012Validator(schema)

passed = failed = 0


def expect(validator, document, valid, what):
    """Counts one check: `document` is valid under `validator` or not, as `valid` says."""
    global passed, failed
    rejected = bool(list(validator.iter_errors(document)))
    if rejected != valid:
        passed += 1
        print(f"ok   {what} is {'valid' if valid else 'rejected'}")
    else:
        failed += 1
        print(f"FAIL {what} is {'rejected' if valid else 'accepted'}")


fixtures = [ROOT / "tests" / "fixtures" / f"{name}.json" for name in ("short-survey", "scales-survey", "long-words", "rtl-survey")]
for path in sorted((ROOT / "public" / "surveys").glob("*.json")) + fixtures:
    errors = list(validator.iter_errors(json.loads(path.read_text())))
    if errors:
        failed += 1
        print(f"FAIL {path.name}: {errors[0].json_path}: {errors[0].message}")
    else:
        passed += 1
        print(f"ok   {path.name} is valid")

broken = json.loads((ROOT / "tests" / "fixtures" / "broken-survey.json").read_text())
found = {e.json_path for e in validator.iter_errors(broken)}
for expected in ["$", "$.pages[0].questions[0].choices", "$.pages[1].questions[0].title"]:
    if any(p == expected or p.startswith(expected + ".") or p.startswith(expected + "[") for p in found):
        passed += 1
        print(f"ok   broken fixture rejected at {expected}")
    else:
        failed += 1
        print(f"FAIL broken fixture not rejected at {expected}: {sorted(found)}")

# The sync protocol (issue #4): the documented example body, which a native test checks is
# exactly what the widget sends, is valid; a body missing its id is not.
response_schema = json.loads((ROOT / "public" / "response.schema.json").read_text())
jsonschema.Draft202012Validator.check_schema(response_schema)
response_validator = jsonschema.Draft202012Validator(response_schema, format_checker=jsonschema.FormatChecker())
example = json.loads((ROOT / "tests" / "fixtures" / "response-example.json").read_text())
errors = list(response_validator.iter_errors(example))
if errors:
    failed += 1
    print(f"FAIL response example: {errors[0].json_path}: {errors[0].message}")
else:
    passed += 1
    print("ok   response example is valid")
# Issue #10: event mode's optional context is accepted, and checked when present.
event = dict(example, context={"mode": "event", "event": "Carers' café, Penrith library",
                               "eventId": "0123456789abcdef", "device": "device-K7QM", "incomplete": True})
expect(response_validator, event, True, "a response with an event context")
expect(response_validator, dict(example, context={"event": 5}), False, "a context with a non-string event")
del example["responseId"]
expect(response_validator, example, False, "a response without responseId")

# Issue #12: the outcomes feed. The fixture is exactly what the collector's feed says (a
# collector test compares them), so the feed the widget reads is checked against its schema.
outcomes_schema = json.loads((ROOT / "public" / "outcomes.schema.json").read_text())
jsonschema.Draft202012Validator.check_schema(outcomes_schema)
outcomes_validator = jsonschema.Draft202012Validator(outcomes_schema)
feed = json.loads((ROOT / "tests" / "fixtures" / "outcomes-feed.json").read_text())
errors = list(outcomes_validator.iter_errors(feed))
if errors:
    failed += 1
    print(f"FAIL outcomes feed: {errors[0].json_path}: {errors[0].message}")
else:
    passed += 1
    print("ok   the collector's outcomes feed is valid")
# Issue #23: a theme and an action in English and Welsh are valid.
welsh = dict(feed, youSaid=[{"theme": {"en": "Evenings are better", "cy": "Mae gyda’r nos yn well"}, "count": 12}],
             weDid=[{"action": {"en": "Evening forums", "cy": "Fforymau gyda’r nos"}, "owner": {"en": "Engagement team", "cy": "Tîm ymgysylltu"}, "status": "done"}])
expect(outcomes_validator, welsh, True, "an outcomes feed in English and Welsh")
for name, broken in [
    ("an unknown status", dict(feed, status="done")),
    ("an action not being done without a reason", dict(feed, weDid=[{"action": "a", "owner": "o", "status": "not-doing"}])),
    ("an evidence link that is not http(s)", dict(feed, weDid=[{"action": "a", "owner": "o", "status": "done", "evidence": "javascript:alert(1)"}])),
]:
    expect(outcomes_validator, broken, False, f"outcomes feed with {name}")

print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
