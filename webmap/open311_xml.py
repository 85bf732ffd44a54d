"""Open311's XML: the same data as its JSON, written by the Spark convention the standard maps the two with.

GeoReport v2 defines XML (required) and derives JSON from it (the Spark convention): a list is an element
named for the collection holding one element per item (``<services><service>…``), an object is an element
per key, ``null`` an empty element, ``true`` / ``false`` their words. :func:`to_xml` writes a JSON answer back
as that XML, so both formats always carry the same data. Characters XML 1.0 cannot hold (control
characters, lone surrogates) become U+FFFD; nothing else is changed.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Any

#: The element of each item of a list, by the name of the list (GeoReport v2 and Service Discovery).
ITEMS: dict[str, str] = {
    "services": "service",
    "service_requests": "request",
    "attributes": "attribute",
    "values": "value",
    "errors": "error",
    "endpoints": "endpoint",
    "formats": "format",
}
#: The MIME type of Open311 XML answers (the standard's ``text/xml``, in UTF-8).
MIMETYPE = "text/xml"
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def to_xml(root: str, data: Any) -> bytes:
    """``data`` (a JSON answer) as an XML document whose root element is ``root``, in UTF-8."""
    element = ET.Element(root)
    _fill(element, data)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(element, encoding="utf-8",
                                                                    xml_declaration=False)


def _fill(element: ET.Element, value: Any) -> None:
    if isinstance(value, list):
        item = ITEMS[element.tag]
        for v in value:
            _fill(ET.SubElement(element, item), v)
    elif isinstance(value, dict):
        for key, v in value.items():
            _fill(ET.SubElement(element, key), v)
    elif isinstance(value, bool):
        element.text = "true" if value else "false"
    elif value is not None:
        element.text = _NOT_XML.sub("\ufffd", str(value))
