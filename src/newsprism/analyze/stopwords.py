"""Function words per language: left out of framing terms and of names (data, not logic).

English is a list of function words plus words every news report uses (not scikit-learn's list:
it drops content words such as "bill", "fire" and "system"); the other lists hold the most
frequent function words of the languages most feeds use. Without a known language, the union of
the English, German, French and Spanish lists is used.
"""

from __future__ import annotations

from functools import lru_cache

_FUNCTION_EN = """a about above after again against all am an and any are as at be because been
before being below between both but by can cannot could did do does doing down during each few
for from further had has have having he her here hers herself him himself his how i if in into
is it its itself me more most my myself no nor not now of off on once only or other our ours
ourselves out over own same she so some such than that the their theirs them themselves then
there these they this those through to too under until up upon very was we were what when where
which while who whom why will with within without you your yours yourself yourselves it's that's
there's he's she's they're we're i'm don't doesn't didn't isn't aren't wasn't weren't won't
can't also us among across since"""

_NEWS_EN = """said says say told according reported report reports reporting new news year years
week day days time people including also just like get got make made many much even still well
back first last would could should may might must one two three mr mrs ms via per amid"""

_OTHER = {
    "de": """der die das den dem des ein eine einer eines einem einen und oder aber auch als an
    auf aus bei bis durch für gegen hat haben hatte ich ihr ihm ihn im in ist ja kein mit nach
    nicht noch nur ob sich sie so über um uns unter vom von vor war waren wie wir wird werden
    wurde zu zum zur es er sind sein seine dass mehr man am beim sagte sagt""",
    "fr": """le la les un une des du de et ou mais en au aux ce ces cet cette il elle ils elles
    est sont ont été être avoir par pour sur dans avec sans sous qui que quoi dont où ne pas plus
    se sa son ses leur leurs nous vous je tu lui on comme aussi après avant entre selon""",
    "es": """el la los las un una unos unas de del y o pero en al con por para sin sobre entre
    que quien cual es son fue ser ha han había se su sus lo le les nos como más muy ya este esta
    estos estas ese esa también tras desde hasta según""",
    "it": """il lo la gli le un uno una di del della dei delle ma in al alla con per su tra fra
    che chi sono stato essere ha hanno si suo sua suoi non più come anche dopo""",
    "pt": """o os as um uma uns umas de do da dos das em no na nos nas por para com sem sobre
    que quem é são foi ser tem se seu sua seus suas não mais como também após até segundo""",
    "nl": """de het een en of maar in op aan met voor van te bij uit als dat die dit deze is
    zijn was waren wordt worden heeft hebben niet ook nog er zich hij zij ze we""",
}


@lru_cache(maxsize=16)
def stopwords_for(language: str | None) -> frozenset[str]:
    if not language:
        return frozenset().union(*(stopwords_for(code) for code in ("en", "de", "fr", "es")))
    code = language.split("-")[0].lower()
    if code == "en":
        return frozenset(_FUNCTION_EN.split()) | frozenset(_NEWS_EN.split())
    return frozenset(_OTHER.get(code, "").split())
