"""Warnings and directions in words, in Czech or English, from the message catalogue."""

from __future__ import annotations

from geo import i18n
from geo.routing.itinerary.checks import LimitCheck
from geo.routing.itinerary.directions import Direction
from geo.routing.itinerary.warnings import RouteWarning


def _what(items: list[str], lang: str | None) -> str:
    return i18n.format_list(list(dict.fromkeys(items)), lang)


def _category(code: str | None, lang: str | None) -> str:
    return i18n.maybe(f"report.category.{code}", lang, str(code)).lower()


def warning_text(w: RouteWarning, lang: str | None) -> str:
    """The sentence of one warning."""
    values: dict[str, object] = {"count": w.count, "value": w.value}
    if w.code == "steps":
        parts = []
        if w.value is not None:
            parts.append(i18n.text("route.steps.count", lang, n=int(w.value)))
        if any(it.get("ramp") for it in w.items):
            parts.append(i18n.text("route.warning.steps_ramp", lang))
        values["details"] = f" ({', '.join(parts)})" if parts else ""
    elif w.code == "barrier":
        values["what"] = _what([i18n.maybe(f"osm.barrier.{it['barrier']}", lang, str(it["barrier"]))
                                for it in w.items], lang)
    elif w.code == "steep":
        values["value"] = abs(w.value or 0.0)
        values["updown"] = i18n.text("route.updown.up" if (w.value or 0) > 0 else "route.updown.down", lang)
        values["distance"] = i18n.format_distance(sum(it["length_m"] for it in w.items), lang)
    elif w.code in ("moved_from", "moved_to"):
        item = w.items[0]
        return i18n.text(f"route.warning.{w.code}.{item['reason']}", lang,
                         distance=i18n.format_distance(item["distance_m"], lang),
                         nearest=i18n.format_distance(item["nearest_m"], lang))
    elif w.code.startswith("unknown_") or w.code == "rough_surface":
        values["distance"] = i18n.format_distance(w.value or 0.0, lang)
    elif w.code == "unpaved":
        values["distance"] = i18n.format_distance(w.value or 0.0, lang)
        surfaces = [v for it in w.items for v in it["surfaces"]]
        values["what"] = _what([i18n.maybe(f"osm.surface.{v}", lang, v) for v in surfaces], lang)
    elif w.code == "wheelchair_no":
        values["distance"] = i18n.format_distance(w.value or 0.0, lang)
    elif w.code == "destination_wheelchair_no":
        values["what"] = _what([it["name"] or i18n.text(f"route.place.{it['kind']}", lang) for it in w.items], lang)
    elif w.code == "report":
        values["what"] = _what([_category(it.get("category"), lang) for it in w.items], lang)
    elif w.code == "report_nearby":
        values["what"] = _what([i18n.text("route.warning.report_item", lang,
                                          category=_category(it.get("category"), lang),
                                          distance=i18n.format_distance(it.get("distance_m") or 0.0, lang))
                                for it in w.items], lang)
    return i18n.text(f"route.warning.{w.code}", lang, **values)


def _obstacle_text(code: str, value: object, lang: str | None) -> str:
    if code == "barrier":
        return i18n.text("route.obstacle.barrier", lang, what=i18n.maybe(f"osm.barrier.{value}", lang, str(value)))
    return i18n.text(f"route.obstacle.{code}", lang, value=value)


def _way(d: Direction, form: str, lang: str | None) -> str:
    if d.street:
        return i18n.text(f"route.way.named.{form}", lang, name=d.street)
    return i18n.text(f"route.way.{d.kind}.{form}", lang)


def direction_text(d: Direction, lang: str | None) -> str:
    """The sentence of one direction, with what to watch for on it."""
    distance = i18n.format_distance(d.distance_m, lang)
    if d.maneuver == "arrive":
        return i18n.text("route.dir.arrive", lang)
    if d.kind == "crossing":
        text = i18n.text("route.dir.crossing", lang, distance=distance)
    elif d.kind == "elevator":
        text = i18n.text("route.dir.elevator", lang)
    elif d.kind == "steps" and d.steps is not None:
        details = [distance]
        if d.steps["count"] is not None:
            details.append(i18n.text("route.steps.count", lang, n=d.steps["count"]))
        if d.steps["ramp"]:
            details.append(i18n.text(f"route.steps.{d.steps['ramp']}", lang))
        direction = i18n.text(f"route.steps.{d.steps['direction']}", lang) if d.steps["direction"] else ""
        text = i18n.text("route.dir.steps", lang, direction=direction, details=", ".join(details))
    elif d.maneuver == "depart":
        compass = i18n.text(f"route.compass.{int(((d.bearing + 22.5) % 360) // 45)}", lang)
        text = i18n.text("route.dir.depart", lang, compass=compass, way=_way(d, "on", lang), distance=distance)
    else:
        form = "on" if d.maneuver == "straight" else "onto"
        text = i18n.text(f"route.dir.{d.maneuver}", lang, way=_way(d, form, lang), distance=distance)
    if d.obstacles:
        items = ", ".join(_obstacle_text(code, value, lang) for code, value in d.obstacles)
        text = i18n.text("route.dir.caution", lang, text=text, items=items)
    return text


def check_text(c: LimitCheck, lang: str | None) -> str | None:
    """What a route could check of one limit ("crossings with a known kerb height: 0 of 7; your 0 cm limit could
    not be checked at 7 of them"); ``None`` for a limit the profile does not set."""
    if not c.active:
        return None
    if c.unit == "points":
        known = i18n.text("route.check.kerb", lang, known=int(c.known), total=int(c.total))
        if c.complete:
            return known
        return i18n.text("route.check.kerb_unchecked", lang, text=known, n=int(c.total - c.known), value=c.value)
    pct = round(100.0 * c.share)
    known = i18n.text(f"route.check.{c.attribute}", lang, pct=pct)
    if c.complete:
        return known
    return i18n.text(f"route.check.{c.limit}_unchecked", lang, text=known, value=c.value,
                     distance=i18n.format_distance(c.total - c.known, lang))
