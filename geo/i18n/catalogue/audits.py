""""Help verify": questions about unknown attributes, their answers, consensus and moderation, the export for
OpenStreetMap, and the texts of the verify mode and its moderation."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # questions
    "audit.question.kerb_node": ("Jak vysoký je tu obrubník?", "How high is the kerb here?"),
    "audit.question.kerb_crossing": ("Jak vysoké jsou obrubníky na tomto přechodu?",
                                     "How high are the kerbs at this crossing?"),
    "audit.question.surface": ("Jaký povrch tu má cesta?", "What is the surface of this way?"),
    "audit.question.smoothness": ("Jak rovný je tu povrch pro kolečka?", "How smooth is the surface for wheels?"),
    "audit.question.width": ("Jak široká je tu schůdná část cesty?", "How wide is the walkable part here?"),
    "audit.question.incline": ("Jak prudce tu cesta stoupá nebo klesá?", "How steep is the way here, up or down?"),
    "audit.question.ramp": ("Mají tyto schody nájezd?", "Do these steps have a ramp?"),
    "audit.attribute.kerb": ("obrubník", "kerb"),
    "audit.attribute.surface": ("povrch", "surface"),
    "audit.attribute.smoothness": ("rovnost povrchu", "smoothness"),
    "audit.attribute.width": ("šířka", "width"),
    "audit.attribute.incline": ("sklon", "incline"),
    "audit.attribute.ramp": ("nájezd u schodů", "ramp on the steps"),
    # answers
    "audit.option.kerb.flush": ("V úrovni, bez schodku (0 cm)", "Flush, no step (0 cm)"),
    "audit.option.kerb.lowered": ("Snížený, nejvýš 3 cm", "Lowered, at most 3 cm"),
    "audit.option.kerb.raised_6": ("Zvýšený, asi 6 cm", "Raised, about 6 cm"),
    "audit.option.kerb.raised_10": ("Zvýšený, asi 10 cm", "Raised, about 10 cm"),
    "audit.option.kerb.raised_15": ("Vysoký, 15 cm a víc", "High, 15 cm or more"),
    "audit.option.smoothness.good": ("Hladký, kolečka jedou snadno", "Smooth, wheels roll easily"),
    "audit.option.smoothness.intermediate": ("Trochu nerovný, ale dobře sjízdný", "Slightly uneven but fine"),
    "audit.option.smoothness.bad": ("Hrbolatý, vozík drncá", "Bumpy, a wheelchair rattles"),
    "audit.option.smoothness.very_bad": ("Velmi hrbolatý, kočárek projede s obtížemi",
                                         "Very bumpy, a pram barely gets through"),
    "audit.option.smoothness.horrible": ("Rozbitý, na kolečkách neprůjezdný", "Broken, impassable on wheels"),
    "audit.option.width.under_0_7": ("Užší než 70 cm", "Narrower than 70 cm"),
    "audit.option.width.0_7_to_0_9": ("70 až 90 cm", "70 to 90 cm"),
    "audit.option.width.0_9_to_1_5": ("90 cm až 1,5 m", "90 cm to 1.5 m"),
    "audit.option.width.over_1_5": ("Širší než 1,5 m", "Wider than 1.5 m"),
    "audit.option.incline.flat": ("Rovina (méně než 3 %)", "Flat (less than 3 %)"),
    "audit.option.incline.gentle": ("Mírný sklon (3 až 6 %)", "Gentle (3 to 6 %)"),
    "audit.option.incline.moderate": ("Znatelný sklon (6 až 8 %)", "Noticeable (6 to 8 %)"),
    "audit.option.incline.steep": ("Prudký (8 až 12 %), na ručním vozíku těžko",
                                   "Steep (8 to 12 %), hard in a manual wheelchair"),
    "audit.option.incline.very_steep": ("Velmi prudký (víc než 12 %)", "Very steep (more than 12 %)"),
    "audit.option.ramp.none": ("Bez nájezdu", "No ramp"),
    "audit.option.ramp.stroller": ("Jen úzké kolejnice pro kočárek", "Only narrow rails for a pram"),
    "audit.option.ramp.wheelchair": ("Nájezd i pro vozík", "A ramp a wheelchair can use"),
    # states and decisions
    "audit.status.open": ("čeká na odpovědi", "awaiting answers"),
    "audit.status.verified": ("ověřeno", "verified"),
    "audit.status.disputed": ("sporné, rozhodne moderátor", "disputed, for a moderator"),
    "audit.action.confirm": ("potvrdit hodnotu", "confirm a value"),
    "audit.action.reopen": ("položit otázku znovu", "ask again"),
    "audit.action.rollback": ("vrátit ověření zpět", "roll the verdict back"),
    "audit.source.community": ("ověřeno shodou odpovědí", "verified by agreeing answers"),
    "audit.source.moderator": ("potvrdil moderátor", "confirmed by a moderator"),
    "audit.measure": ("Otázky jsou seřazené podle toho, kolik vzorových každodenních cest (z domova do obchodů, na "
                      "úřady a zastávky do 20 minut) vede místem s neznámým údajem.",
                      "Questions are ranked by how many sampled everyday trips (from homes to shops, services and "
                      "stops within 20 minutes) pass the place with the unknown value."),
    "audit.thanks_verified": ("Děkujeme! Shodly se {n, plural, one {# odpověď} few {# odpovědi} other {# odpovědí}}, "
                              "údaj je ověřený a trasy s ním hned počítají.",
                              "Thank you! {n, plural, one {# answer agrees} other {# answers agree}}: the value is "
                              "verified and routes use it now."),
    "audit.thanks_disputed": ("Děkujeme! Odpovědi se liší, otázku posoudí moderátor.",
                              "Thank you! The answers differ, a moderator will decide."),
    "audit.thanks_more": ("Děkujeme! K ověření {n, plural, one {chybí ještě # odpověď} few {chybějí ještě # odpovědi} "
                          "other {chybí ještě # odpovědí}} od někoho dalšího.",
                          "Thank you! {n, plural, one {One more answer} other {# more answers}} from someone else "
                          "will verify it."),
    "audit.progress_verified": ("{n, plural, =0 {Díky odpovědím zatím není plně ověřená žádná další trasa v této "
                                "oblasti.} one {# trasa v této oblasti je teď plně ověřená.} few {# trasy v této "
                                "oblasti jsou teď plně ověřené.} other {# tras v této oblasti je teď plně ověřených.}}",
                                "{n, plural, =0 {No further route in this area is fully verified thanks to answers "
                                "yet.} one {# route in this area is now fully verified.} other {# routes in this area "
                                "are now fully verified.}}"),
    "audit.progress_improved": ("Odpovědi zlepšily údaje {n, plural, one {# trasy} few {# tras} other {# tras}} "
                                "z {routes}; úplnost údajů {before} % → {now} %.",
                                "Answers improved the data of {n, plural, one {# route} other {# routes}} of "
                                "{routes}; completeness {before} % → {now} %."),
    # export
    "audit.export.incline_direction": ("sklon bez směru nelze zapsat jako incline=*",
                                       "an incline without a direction cannot be written as incline=*"),
    "audit.export.road_width": ("schůdná šířka silnice patří jejímu chodníku (sidewalk:*:width), ne silnici",
                                "the walkable width of a road belongs to its sidewalk (sidewalk:*:width), not to "
                                "the road"),
    "audit.export.kerb_without_node": ("přechod nemá uzel s obrubníkem: obrubníky patří na uzly, kde přechod "
                                       "navazuje na chodník (suggested_nodes)",
                                       "the crossing has no kerb node: kerbs belong on the nodes where it meets the "
                                       "sidewalks (suggested_nodes)"),
    "audit.export.tag_differs": ("prvek už má tento klíč s jinou hodnotou, rozhodne mapper",
                                 "the element already has this key with another value, a mapper decides"),
    "audit.export.not_loaded": ("verze prvku není známa (data z Overpass); export potřebuje načtený soubor s daty",
                                "the element's version is not known (Overpass data); exporting needs a loaded "
                                "extract file"),
    # errors
    "audit.unknown_task": ("otázka {task_id} neexistuje", "no question {task_id}"),
    "audit.value_not_offered": ("{field}: {value} není mezi nabízenými odpověďmi ({choices})",
                                "{field}: {value} is not one of the answers offered ({choices})"),
    "audit.position_pair": ("poloha potřebuje lat i lon", "a position needs both lat and lon"),
    "audit.outside_area": ("poloha {point} leží mimo oblast, kterou mapa pokrývá",
                           "the position {point} is outside the area this map covers"),
    "audit.bbox_outside": ("výřez {value} leží celý mimo oblast mapy", "the box {value} lies wholly outside the map"),
    "audit.task_closed": ("otázka {task_id} už odpovědi nepřijímá", "question {task_id} takes no more answers"),
    "audit.already_answered": ("na otázku {task_id} jste už odpověděli, děkujeme",
                               "you have already answered {task_id}, thank you"),
    "audit.no_answers": ("na otázku {task_id} zatím nikdo neodpověděl", "nobody has answered {task_id} yet"),
    "audit.reopen_verified": ("otázka {task_id} je ověřená: nejdřív vraťte ověření zpět",
                              "{task_id} is verified: roll the verdict back first"),
    "audit.nothing_to_roll_back": ("otázka {task_id} nemá ověření, které by šlo vrátit",
                                   "{task_id} has no verdict to roll back"),
    "audit.confirm_needs_value": ("potvrzení potřebuje hodnotu (value)", "confirming needs a value"),
    "audit.photo_not_found": ("taková fotografie neexistuje", "no such photo"),
    "rate.audit": ("příliš mnoho odpovědí: nejvýše {limit} za {minutes} min; zkuste to znovu za {retry_after_s} s",
                   "too many answers: at most {limit} per {minutes} min; try again in {retry_after_s} s"),
    # the verify mode of the map
    "ui.tab_verify": ("Pomozte ověřit", "Help verify"),
    "ui.verify_heading": ("Pomozte ověřit mapu", "Help verify the map"),
    "ui.verify_help": ("Odpovězte na krátké otázky o místech, kde v mapě chybí údaje. Nejdřív přijdou na řadu ta, "
                       "kudy vede nejvíc cest. Dvě shodné odpovědi od různých lidí údaj ověří a trasy s ním hned "
                       "počítají.",
                       "Answer short questions about places where the map lacks data, those on most trips first. Two "
                       "matching answers from different people verify a value, and routes use it at once."),
    "ui.verify_profile": ("Otázky pro: {profile} (profil z plánovače)", "Questions for: {profile} (the planner's "
                                                                         "profile)"),
    "ui.verify_load": ("Najít otázky v tomto výřezu mapy", "Find questions in this map view"),
    "ui.verify_list": ("Otázky v okolí", "Questions nearby"),
    "ui.verify_none": ("V tomto výřezu teď žádné otázky nejsou. Posuňte mapu nebo zvolte jiný profil.",
                       "No questions in this view now. Move the map or choose another profile."),
    "ui.verify_count": ("{n, plural, one {# otázka} few {# otázky} other {# otázek}} v tomto výřezu",
                        "{n, plural, one {# question} other {# questions}} in this view"),
    "ui.verify_routes": ("{n, plural, =0 {mimo vzorové cesty} one {vede tudy # vzorová cesta} few {vedou tudy "
                         "# vzorové cesty} other {vede tudy # vzorových cest}}",
                         "{n, plural, =0 {on no sampled trip} one {on # sampled trip} other {on # sampled trips}}"),
    "ui.verify_answer_legend": ("Vaše odpověď", "Your answer"),
    "ui.verify_photo": ("Fotografie (nepovinná; JPEG nebo PNG, nejvýše 5 MB)",
                        "Photo (optional; JPEG or PNG, at most 5 MB)"),
    "ui.verify_position": ("Přiložit mou polohu (potvrdí jen, že jsem na místě; neukládá se)",
                           "Attach my position (only confirms I am there; not stored)"),
    "ui.verify_skip": ("Přeskočit", "Skip"),
    "ui.verify_progress": ("Jak se trasy zlepšily", "How routes improved"),
    "ui.verify_refresh": ("Obnovit", "Refresh"),
    "ui.verify_all_done": ("Na všechny otázky v tomto výřezu už je odpovězeno. Děkujeme!",
                           "Every question in this view is answered. Thank you!"),
    "ui.verify_marker": ("Otázka: {question}", "Question: {question}"),
    "ui.layer_audits": ("Otázky k ověření", "Questions to verify"),
    # its moderation
    "ui.audit_heading": ("Ověřování: odpovědi k posouzení", "Verification: answers to moderate"),
    "ui.audit_answers": ("Odpovědi", "Answers"),
    "ui.audit_on_site": ("na místě", "on site"),
    "ui.audit_verdicts": ("Rozhodnutí", "Verdicts"),
    "ui.audit_rolled_back": ("vráceno zpět", "rolled back"),
    "ui.audit_action": ("Rozhodnutí moderátora", "Moderator's decision"),
    "ui.audit_value": ("Hodnota", "Value"),
    "ui.audit_none": ("Nic k posouzení.", "Nothing to moderate."),
    "ui.audit_decided": ("Otázka {task}: {status}", "Question {task}: {status}"),
    "ui.audit_export": ("Ověřené změny pro OpenStreetMap", "Verified changes for OpenStreetMap"),
    "ui.audit_export_osc": ("osmChange pro JOSM (ke kontrole a nahrání mapperem)",
                            "osmChange for JOSM (for a mapper to review and upload)"),
    "ui.audit_export_geojson": ("GeoJSON se stejnými změnami a jejich doklady",
                                "GeoJSON with the same changes and their evidence"),
}
