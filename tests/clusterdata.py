"""Hand-made news articles for the clustering tests: a few events, each told by several outlets."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from newsprism.models import ArticleDraft

BASE = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)

# event -> (outlet, title, text) in the order the outlets published them
EVENTS: dict[str, list[tuple[str, str, str]]] = {
    "kursk": [
        (
            "wire.example",
            "Ukrainian forces push deeper into Russia's Kursk region",
            "Ukrainian troops advanced further into Russia's Kursk region on Monday, seizing "
            "three more villages near Sudzha, Kyiv's commander Oleksandr Syrskyi said. NATO "
            "allies were briefed on the incursion, the largest on Russian soil since 1945.",
        ),
        (
            "leftpost.example",
            "Kursk incursion: Syrskyi says Ukraine holds villages near Sudzha",
            "General Oleksandr Syrskyi said Ukraine's army now controls villages around Sudzha "
            "in the Kursk region, as Moscow evacuated civilians. NATO officials called the "
            "Kursk incursion a surprise that exposed gaps in Russian border defences.",
        ),
        (
            "rightherald.example",
            "Russia evacuates Kursk border towns as Ukrainian advance continues",
            "Moscow ordered the evacuation of more Kursk border towns on Monday after Ukrainian "
            "units captured villages near Sudzha. Commander Syrskyi said the advance in the "
            "Kursk region would continue; NATO capitals urged restraint.",
        ),
    ],
    "budget": [
        (
            "wire.example",
            "Parliament approves harbour budget after all-night session",
            "Lawmakers approved the 4.2 billion harbour budget by 201 votes to 180 after an "
            "all-night session, Finance Minister Clara Holm said. The Harbour Authority will "
            "start dredging the Eastport channel in June.",
        ),
        (
            "leftpost.example",
            "Harbour budget passes 201 to 180, Holm hails Eastport plan",
            "Finance Minister Clara Holm welcomed the 201 to 180 vote approving the harbour "
            "budget, saying the Eastport channel dredging will bring jobs. Critics said the "
            "Harbour Authority plan ignores fishermen.",
        ),
        (
            "rightherald.example",
            "Critics slam 4.2 billion harbour budget as parliament votes it through",
            "Opposition lawmakers attacked the 4.2 billion harbour budget that parliament "
            "passed 201 to 180. Clara Holm, the finance minister, defended the Eastport "
            "dredging plan and the Harbour Authority's costs.",
        ),
    ],
    "quake": [
        (
            "wire.example",
            "Magnitude 6.8 earthquake strikes off Hokkaido, tsunami warning lifted",
            "A magnitude 6.8 earthquake struck off the coast of Hokkaido early on Tuesday, the "
            "Japan Meteorological Agency said, briefly triggering a tsunami warning for Kushiro "
            "that was lifted two hours later.",
        ),
        (
            "rightherald.example",
            "Hokkaido earthquake: Kushiro tsunami alert lifted, no deaths reported",
            "Japan's Meteorological Agency lifted a tsunami warning for Kushiro after the 6.8 "
            "magnitude Hokkaido earthquake. Local officials reported damaged roads but no "
            "deaths on Tuesday.",
        ),
    ],
}

GERMAN_KURSK = (
    "spiegel.example",
    "Ukrainische Truppen rücken in der Region Kursk weiter vor",
    "Ukrainische Truppen sind in der russischen Region Kursk weiter vorgerückt und haben "
    "nach Angaben von Oberbefehlshaber Oleksandr Syrskyi drei Dörfer bei Sudzha eingenommen. "
    "Die NATO wurde über den Vorstoß informiert.",
)


def draft(
    outlet: str,
    title: str,
    text: str,
    when: datetime | None,
    n: int | str,
    language: str | None = "en",
) -> ArticleDraft:
    return ArticleDraft(
        url=f"https://{outlet}/news/{n}",
        title=title,
        text=text,
        published_at=when,
        outlet_domain=outlet,
        language=language,
    )


def interleaved_drafts(start: datetime = BASE) -> tuple[list[ArticleDraft], list[str]]:
    """Every event's articles, interleaved in time, with each draft's event name."""
    drafts: list[ArticleDraft] = []
    names: list[str] = []
    rounds = max(len(v) for v in EVENTS.values())
    n = 0
    for i in range(rounds):
        for name, items in EVENTS.items():
            if i < len(items):
                outlet, title, text = items[i]
                drafts.append(draft(outlet, title, text, start + timedelta(minutes=10 * n), n))
                names.append(name)
                n += 1
    return drafts, names
