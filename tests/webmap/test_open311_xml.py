"""Open311's XML writer: the Spark convention read back by a standard XML parser gives the JSON it was written from."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

from webmap.open311_xml import ITEMS, to_xml

#: Element names of the GeoReport v2 and Service Discovery specifications, per document (root element).
SPEC_ELEMENTS: dict[str, set[str]] = {
    "services": {"services", "service", "service_code", "service_name", "description", "metadata", "type",
                 "keywords", "group"},
    "service_definition": {"service_definition", "service_code", "attributes", "attribute", "variable", "code",
                           "datatype", "required", "datatype_description", "order", "description", "values",
                           "value", "key", "name"},
    "service_requests": {"service_requests", "request", "service_request_id", "token", "service_notice",
                         "account_id", "status", "status_notes", "service_name", "service_code", "description",
                         "agency_responsible", "requested_datetime", "updated_datetime", "expected_datetime",
                         "address", "address_id", "zipcode", "lat", "long", "media_url"},
    "errors": {"errors", "error", "code", "description"},
    "discovery": {"discovery", "changeset", "contact", "key_service", "endpoints", "endpoint", "specification",
                  "url", "type", "formats", "format"},
}
#: The "Extended Attributes" extension of GeoReport v2 (only with ``extensions=true``).
EXTENSION_ELEMENTS = {"extended_attributes", "detailed_status", "severity", "expired", "duplicate_of"}


def spark(element: ET.Element) -> Any:
    """An XML element read by the Spark convention: collections → lists, elements with children → dicts,
    empty elements → None, text → text."""
    children = list(element)
    if element.tag in ITEMS:
        assert all(c.tag == ITEMS[element.tag] for c in children), element.tag
        return [spark(c) for c in children]
    if children:
        assert len({c.tag for c in children}) == len(children), f"repeated element in {element.tag}"
        return {c.tag: spark(c) for c in children}
    return element.text


def as_text(value: Any) -> Any:
    """JSON as XML holds it: every scalar a text, booleans their words, null and "" an empty element."""
    if isinstance(value, list):
        return [as_text(v) for v in value]
    if isinstance(value, dict):
        return {k: as_text(v) for k, v in value.items()}
    if isinstance(value, bool):
        return "true" if value else "false"
    return None if value is None or value == "" else str(value)


def parse(body: bytes, root: str, *, extensions: bool = False) -> ET.Element:
    """Parse an Open311 XML answer with the standard parser; check its declaration, root and element names."""
    assert body.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    tree = ET.fromstring(body)
    assert tree.tag == root
    names = {e.tag for e in tree.iter()}
    allowed = SPEC_ELEMENTS[root] | (EXTENSION_ELEMENTS if extensions else set())
    assert names <= allowed, names - allowed
    return tree


def test_lists_objects_and_scalars_follow_the_spark_convention() -> None:
    data = [{"service_code": "steps", "lat": 50.77, "description": None, "address": "",
             "extended_attributes": {"expired": False, "severity": 3}}]
    tree = parse(to_xml("service_requests", data), "service_requests", extensions=True)
    assert [e.tag for e in tree] == ["request"]
    assert tree.find("request/extended_attributes/expired").text == "false"
    assert tree.find("request/lat").text == "50.77"
    assert tree.find("request/description").text is None  # null → an empty element
    assert spark(tree) == as_text(data)
    assert spark(parse(to_xml("service_requests", []), "service_requests")) == []
    assert spark(parse(to_xml("discovery", {"endpoints": [{"formats": ["text/xml", "application/json"]}]}),
                       "discovery")) == {"endpoints": [{"formats": ["text/xml", "application/json"]}]}


def test_text_is_escaped_and_characters_xml_cannot_hold_are_replaced() -> None:
    text = 'Schody <b>&</b> "ano" — \x01\x0b\ud800 ok\tnewline\n'
    tree = parse(to_xml("errors", [{"code": 400, "description": text}]), "errors")
    assert tree.find("error/description").text == 'Schody <b>&</b> "ano" — \ufffd\ufffd\ufffd ok\tnewline\n'
