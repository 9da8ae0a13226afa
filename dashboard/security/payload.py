"""Shape check of every callback request before Dash runs it: a forged request gets a French 400.

Every callback is a public endpoint (POST /_dash-update-component). Dash itself trusts the payload's shape;
a wrong one ends in a KeyError or TypeError deep inside, answered 500. Here the request must name a
registered callback, and its outputs, inputs and states must be exactly the components and properties that
callback declares (the wildcard part of a pattern-matching id must be a short scalar, a list of matches
must stay short). The values themselves are checked by each callback's own allow-lists (filters.py, the
upload page, data/validation.py).
"""

from __future__ import annotations

import json
from typing import Any

from dash import Dash

MAX_MATCHES = 100  # a page holds a dozen charts and the navigation a few dozen links at most
MAX_CHANGED = 100
MAX_WILDCARD_TEXT = 200
_WILDCARDS = (["ALL"], ["MATCH"], ["ALLSMALLER"])


class PayloadError(ValueError):
    """The request does not match the callback it names; the message is French."""


def _declared_id(raw: Any) -> str | dict[str, Any]:
    if isinstance(raw, dict):
        return raw
    text = str(raw)
    return json.loads(text) if text.startswith("{") else text


def _is_many(declared: str | dict[str, Any]) -> bool:
    return isinstance(declared, dict) and any(v in (["ALL"], ["ALLSMALLER"]) for v in declared.values())


def _same_id(declared: str | dict[str, Any], sent: Any) -> bool:
    if isinstance(declared, str):
        return sent == declared
    if not isinstance(sent, dict) or set(sent) != set(declared):
        return False
    for key, expected in declared.items():
        value = sent[key]
        if expected in _WILDCARDS:
            if isinstance(value, dict | list) or value is None:
                return False
            if isinstance(value, str) and len(value) > MAX_WILDCARD_TEXT:
                return False
        elif value != expected:
            return False
    return True


def _check_one(declared: str | dict[str, Any], prop: str, sent: Any) -> None:
    # "value" may be absent: the renderer leaves it out for a property that was never set.
    if not isinstance(sent, dict) or not _same_id(declared, sent.get("id")):
        raise PayloadError("composant inattendu pour ce callback")
    if str(sent.get("property", "")).split("@")[0] != prop.split("@")[0]:
        raise PayloadError("propriété inattendue pour ce callback")


def _check_item(declared_raw: Any, prop: str, sent: Any) -> int:
    """Check one declared dependency against what was sent; return how many components it matched."""
    declared = _declared_id(declared_raw)
    if _is_many(declared):
        if not isinstance(sent, list) or len(sent) > MAX_MATCHES:
            raise PayloadError("liste de composants invalide ou trop longue")
        for element in sent:
            _check_one(declared, prop, element)
        return len(sent)
    _check_one(declared, prop, sent)
    return 1


def check_callback_request(app: Dash, body: Any) -> None:
    """Raise PayloadError unless ``body`` is a well-formed call of one of the app's callbacks."""
    if not isinstance(body, dict):
        raise PayloadError("contenu JSON attendu")
    output = body.get("output")
    if not isinstance(output, str) or output not in app.callback_map:
        raise PayloadError("callback inconnu")
    spec = app.callback_map[output]
    inputs, state = body.get("inputs"), body.get("state", [])
    if not isinstance(inputs, list) or not isinstance(state, list):
        raise PayloadError("entrées invalides")
    if len(inputs) != len(spec["inputs"]) or len(state) != len(spec["state"]):
        raise PayloadError("nombre d'entrées inattendu")
    for declared, sent in zip([*spec["inputs"], *spec["state"]], [*inputs, *state], strict=True):
        _check_item(declared["id"], declared["property"], sent)
    declared_outputs = spec["output"] if isinstance(spec["output"], list) else [spec["output"]]
    sent_outputs = body.get("outputs")
    if not isinstance(spec["output"], list):
        sent_outputs = [sent_outputs]
    if not isinstance(sent_outputs, list) or len(sent_outputs) != len(declared_outputs):
        raise PayloadError("sorties inattendues")
    for declared_output, sent in zip(declared_outputs, sent_outputs, strict=True):
        _check_item(declared_output.component_id_str(), declared_output.component_property, sent)
    changed = body.get("changedPropIds", [])
    if (
        not isinstance(changed, list)
        or len(changed) > MAX_CHANGED
        or not all(isinstance(c, str) and len(c) < 2000 for c in changed)
    ):
        raise PayloadError("liste des propriétés modifiées invalide")
