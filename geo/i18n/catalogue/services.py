"""Service categories of the map layers (``service.category.<code>``), after the city programme."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "service.category.community_centre": ("komunitní centrum", "community centre"),
    "service.category.social_services_office": ("sociální služby", "social services office"),
    "service.category.housing_help": ("pomoc s bydlením", "housing help"),
    "service.category.homeless_hostel": ("ubytovna / noclehárna", "homeless hostel"),
    "service.category.asylum_house": ("azylový dům", "asylum house"),
    "service.category.senior_advice": ("poradna pro seniory", "senior advice"),
    "service.category.advice_centre": ("poradna", "advice centre"),
    "service.category.debt_counselling": ("dluhová poradna", "debt counselling"),
    "service.category.respite_care": ("odlehčovací služba", "respite care"),
    "service.category.foster_care": ("podpora pěstounů", "foster-care support"),
    "service.category.early_care": ("raná péče", "early care"),
    "service.category.mental_health": ("duševní zdraví", "mental health"),
    "service.category.employment": ("zaměstnání", "employment"),
    "service.category.furniture_bank": ("nábytková banka", "furniture bank"),
    "service.category.low_threshold_club": ("nízkoprahový klub", "low-threshold club"),
    "service.category.social_ambulance": ("sociální ambulance", "social ambulance"),
    "service.category.public_office": ("úřad", "public office"),
    "service.category.social_facility": ("sociální zařízení", "social facility"),
}
