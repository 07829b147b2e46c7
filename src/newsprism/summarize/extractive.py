"""The default summary: up to five sentences or clauses lifted verbatim from the articles.

Selection maximises the expected ROUGE-1 F1 against an ideal summary: the token model predicts
how often an ideal summary uses each word, and units are added greedily while they raise
``2·matched / (summary length + target length)``. Clipped counts make a repeated point worth
nothing, so the pick is central (it uses the words every article uses) and deduplicated at once.
A unit from a side not yet quoted gets a small bonus, so a summary does not read from one
side only. Units are the lede sentences and their clauses (``clause_spans``): a short clause
carries a sentence's point without its attributions and asides, so more points fit the same
length. The greedy pick runs again with each per-bullet length cap and the set with the best
expected score wins. Every bullet cites each article whose lede contains that unit; a clause is
shown with a capital first letter and is otherwise the source's text."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

from newsprism.ingest.page_furniture import content_lines, is_photo_caption, is_promotion
from newsprism.summarize.sentences import (
    _OPENERS,
    DATELINE,
    is_title_case,
    normalize_space,
    split_sentences,
    summary_tokens,
)
from newsprism.summarize.token_model import StoryText, expected_reference_counts, function_words

# Only the lede is read: news writing puts what matters first, and it bounds the work per story.
LEDE_SENTENCES = 5
# Shorter fragments are datelines and captions; longer ones are run-ons the splitter missed.
MIN_WORDS, MAX_WORDS = 4, 70
_STOPS = (".", "!", "?", "…", '"', "”", "’", "'")
_LINK = re.compile(r"https?://|\bwww\.|pic\.twitter\.com/|\S@\S|(?<!\w)@\w", re.IGNORECASE)


@dataclass(frozen=True)
class SourceArticle:
    id: int
    title: str
    text: str
    side: str | None = None  # left | center | right | None (unrated)


@dataclass
class Bullet:
    text: str
    article_ids: list[int]

    def as_dict(self) -> dict[str, object]:
        return {"text": self.text, "article_ids": list(self.article_ids)}


@dataclass(frozen=True)
class SummaryOptions:
    # ~59 ROUGE tokens: 0.85 × the mean NeuS reference length, the best ratio on the train and
    # validation splits (a summary a little shorter than the reference scores higher F1).
    target_tokens: float = 59.0
    max_bullets: int = 5
    min_bullets: int = 1
    side_bonus: float = 0.1
    # A sentence sharing more than this share of its content words with a chosen one says the
    # same thing in other words (clipped counts alone let long paraphrases through). 0.6 reads
    # better and scores the same on NeuS train (ROUGE-1 −0.0003) and val (+0.0016).
    max_overlap: float = 0.6
    # A bullet taken only to reach ``min_bullets`` (it lowers the expected score) must be
    # further from every chosen one: at 0.6 a story could get "Trump threatened to close the
    # border" three times over. With 0.4, NeuS val ROUGE-1 0.4051 (0.3997 at 0.6), train 0.4095
    # (0.4038); stories with three or more bullets 94% → 84% of NeuS train, the rest have fewer
    # distinct points in their ledes.
    forced_max_overlap: float = 0.4
    # Clauses of sentences are candidates too (see ``clause_spans``): NeuS val ROUGE-1 0.4173
    # with them, 0.4131 without, and a third of the one-bullet summaries get more bullets.
    clauses: bool = True
    # Per-bullet caps (ROUGE tokens) for the extra greedy runs: the uncapped run takes the
    # longest informative sentence first, a capped one can fit three short points instead.
    length_caps: tuple[int, ...] = (40, 30, 25, 20)


@dataclass(eq=False)
class _Candidate:
    text: str
    tokens: Counter[str]
    article_ids: list[int] = field(default_factory=list)
    sides: set[str] = field(default_factory=set)
    order: int = 0

    @cached_property
    def content(self) -> frozenset[str]:
        stop = function_words()
        return frozenset(t for t in self.tokens if t not in stop)

    @cached_property
    def length(self) -> int:
        return sum(self.tokens.values())


def _overlap(a: _Candidate, b: _Candidate) -> float:
    """Shared content words over the smaller sentence's content words."""
    if not a.content or not b.content:
        return 0.0
    return len(a.content & b.content) / min(len(a.content), len(b.content))


# A verb ahead: what stands before it is its subject, not a clause of its own ("Jerrold Nadler
# (D-N.Y.) said…", "The nation's output – the value of all goods – increased…").
_VERB = (
    r"(?:is|was|are|were|has|had|have|will|would|could|can|may|might|must|should|did|does|said"
    r"|says|told|tells)\b|[a-z]+ed\b"
)
# Where a sentence can be cut into a shorter span that still reads as a bullet. The span
# before any cut is a main clause; after an independent-clause separator ("tail") the rest is
# one too, but not after ", but" or ", while" when a verb follows without its subject ("…, but
# urged the continued use of masks"). A relative or participle clause ("rel") is cut off only
# when it runs to the end of the sentence, and so is a bracket unless the sentence goes on
# after it with a verb: cutting either in the middle would leave a subject without its verb.
_CUT = re.compile(
    r"(?P<tail>;\s+|:\s+|\s+[—–]\s+|\s+--\s+"
    r"|,\s+(?:but|while)\s+(?=[a-z])(?![a-z]+(?:ed|ing|es)\b))"
    r"|(?P<rel>,\s+(?:which|who|according to|as|after|amid|saying|including|despite|"
    r"though|although|where|when|with)\s+[^,;:—–()]*$)"
    r"|,\s+and\s+"
    r"|,\s+(?:[\w.'’-]+\s+){0,5}?(?:said|says|told|added|reported|wrote|announced)\b"
    # …only where it ends the sentence, perhaps with when or how ("said Tuesday in a statement"):
    # elsewhere "said" is the main verb and the span before it only the subject.
    r"(?=(?:\s+(?:on\s+)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|today|"
    r"tonight|yesterday|earlier|later|late|last|this|week|month|year|morning|afternoon|evening|"
    r"night|in\s+a\s+(?:statement|post|letter|tweet|interview|filing)))*\s*[.!?]?[\"”’)]*\s*$)"
    rf"|\s+\((?=[^()]*\)(?:[.!?\"”’]*\s*$|\s+(?!{_VERB})))"
)
# Where a span may begin after a leading phrase: a dateline ("SEOUL, South Korea — ",
# "WASHINGTON (AP) — ", "(CNN) – ") or a short time or place opener ("On Tuesday, "). Not after
# "X said that" or "X claimed that": without its speaker a claim would read as a fact.
_LEAD = re.compile(
    rf"{DATELINE.pattern}"
    r"|^(?:On|In|At|After|Before|During|Last|Earlier|Later|Meanwhile|However|Still|Now|Since|"
    r"Following|Amid)\b[^,]{0,40},\s+"
)
MIN_CLAUSE_WORDS = 5
# Spans that do not read on their own: one that stops on a word which needs a continuation
# ("…between the two Republicans and"), or one that starts as a dependent clause ("which Trump
# is reportedly unenthusiastic about"). NeuS ROUGE-1 with them dropped: train −0.0005, val
# −0.0004; the bullets read as statements.
_DANGLING_END = re.compile(
    r"\b(?:and|or|but|of|the|a|an|to|with|by|for|in|on|at|as|that|from|than)$|\w['’]s$",
    re.IGNORECASE,
)
_DEPENDENT_START = re.compile(
    r"^(?:which|who|whom|whose|including|while|as well as|where|when|and|or|but|if|because|"
    r"unless|although|though|whether|in order to|so that|without|despite|amid|unlike|unsure|"
    r"instead of|rather than|such as|along with|not to mention|something)\b",
    re.IGNORECASE,
)
_DASH = re.compile(r"\s+(?:[—–]|--)\s+")
# After an aside, the sentence may go on with the verb of the subject before it ("– increased
# 2.6 percent"): what precedes the aside is then a subject alone.
_GOES_ON = re.compile(_VERB)
# A wide story has thousands of units; the greedy runs only look at the best ones alone (a
# three-article story has under a hundred, so this never binds there).
MAX_POOL = 300


def _balanced(span: str) -> bool:
    straight = span.count('"') % 2 == 0
    curly = span.count("“") == span.count("”")
    brackets = span.count("(") == span.count(")") and span.count("[") == span.count("]")
    return straight and curly and brackets


def clause_spans(sentence: str) -> list[str]:
    """Shorter spans of ``sentence`` that read on their own: the main clause without a trailing
    relative clause, an attribution that ends the sentence ("…, officials said Tuesday."), a
    bracket or what follows ", and"; independent clauses after a semicolon, colon, dash or
    ", but"; the rest after a dateline or an opener ("On Tuesday, "). Each is a verbatim
    substring of the sentence (separators trimmed), at least MIN_CLAUSE_WORDS long, with quotes
    and brackets balanced, and not a fragment: no aside between dashes, no dangling last word,
    no dependent clause alone."""
    starts, ends = {0}, {len(sentence)}
    for match in _CUT.finditer(sentence):
        ends.add(match.start())
        if match.group("tail"):
            starts.add(match.end())
    for match in _LEAD.finditer(sentence):
        if not _opener_goes_on(sentence, match.end()):
            starts.add(match.end())
    dateline = DATELINE.match(sentence)
    if dateline:
        # No span keeps the dateline, and the dateline alone ("Al ASAD AIR BASE, Iraq") is none.
        starts = {start for start in starts if start >= dateline.end()}
        ends = {end for end in ends if end > dateline.end()}
    # What stands between two dashes is an aside ("Tour – which Trump is reportedly
    # unenthusiastic about – comes as…"), not a point of its own, however many dashes the
    # sentence has ("that date — June 19 — and that place — Tulsa" does not give "June 19 — and
    # that place"); and a span that stops at the dash closing an aside stops before its main verb
    # ("the court ruled that the 1964 Civil Rights Act — which bans discrimination based on sex").
    dashes = list(_DASH.finditer(sentence))
    closing = {dash.start() for dash in dashes[1::2]}
    after_dash, before_dash = {d.end() for d in dashes}, {d.start() for d in dashes}
    # Nor does a span start inside an aside, or stop where one opens when the sentence goes on
    # in lower case after it: "The nation's gross domestic product – the value of all goods…
    # – increased 2.6 percent" gives neither "The nation's gross domestic product" nor "The
    # value of all goods… – increased 2.6 percent".
    pairs = list(zip(dashes[0::2], dashes[1::2], strict=False))
    going_on = [(a, b) for a, b in pairs if _GOES_ON.match(sentence, b.end())]
    starts -= {a.end() for a, _b in pairs} | {b.end() for _a, b in going_on}
    ends -= {a.start() for a, _b in going_on}
    if sentence.rstrip().endswith(":"):
        # What announces a quote or a list is not a point without it ("Here is the lede:").
        ends.discard(len(sentence))
    spans = [
        (sentence[start:end].strip().rstrip(",;:—–- "), start == 0)
        for start in sorted(starts)
        for end in sorted(ends)
        if end > start and end not in closing and not (start in after_dash and end in before_dash)
    ]
    seen: set[str] = {sentence}
    out = []
    for span, opens_sentence in spans:
        if span in seen or len(span.split()) < MIN_CLAUSE_WORDS or not _balanced(span):
            continue
        seen.add(span)
        if _is_fragment(span, opens_sentence):
            continue
        out.append(span)
    return out


# A verb anywhere in a stretch of text, for telling a clause from a list or a noun phrase
# (``_opener_goes_on``): ``_VERB``, a whole word ("this" holds no "is"), or a past form without
# -ed.
_ANY_VERB = re.compile(
    rf"\b(?:{_VERB}"
    r"|(?:took|made|went|came|gave|found|won|lost|met|held|sent|spent|left|led|got|set|put|hit|"
    r"cut|ran|saw|knew|thought|brought|bought|began|became|fell|rose|grew|wrote|spoke|chose|"
    r"drew|struck|sought|fought|paid|kept|built|heard|stood|sat|sold|shot|broke|threw|wore|ate|"
    r"flew|drove|rode|sang|swore|tore|woke|hung|dug|fled|bore|shall)\b)"
)


def _opener_goes_on(sentence: str, start: int) -> bool:
    """Whether the comma closing an opener only parts a list or two adjectives, so the opener
    goes on: "In stops in Iowa, South Carolina and New Hampshire, Mr. de Blasio said…" and
    "After a difficult, monthlong journey…, the migrants…" give no span from the first comma.
    What follows a real opener is a clause: it has a verb before any further comma."""
    if not sentence[:start].rstrip().endswith(","):
        return False
    comma = sentence.find(", ", start)
    if comma < 0:
        return False
    segment = sentence[start:comma]
    return _ANY_VERB.search(segment) is None


_APPOSITIVE = re.compile(r"an? (?:[\w’'-]+ ){1,4}(?:that|who|which|whose)\b", re.IGNORECASE)


def _is_fragment(span: str, opens_sentence: bool) -> bool:
    if _DANGLING_END.search(span.rstrip('.,;:!?"”’ ')):
        return True
    # Mid-sentence, "a …" or "an …" with a relative clause is an appositive: "(the program) — an
    # Obama-era program that allows unauthorized immigrants…", "(the cut) — a move that…".
    if not opens_sentence and _APPOSITIVE.match(span):
        return True
    # A sentence may open with a dependent clause ("When the storm hit, 12 died"); a span that
    # opens with one and never reaches a comma is that clause alone.
    return bool(_DEPENDENT_START.match(span)) and not (opens_sentence and "," in span)


def lede_sentences(text: str) -> list[str]:
    """The first LEDE_SENTENCES sentences, not counting a short line without a final stop (a
    heading, byline, link or subheading), a headline repeated in the text (Title Case) or page
    furniture (photo credits, players): it would take a lede sentence's place."""
    sentences: list[str] = []
    lines = content_lines(text)
    line = next(lines, None)
    broken_before = False
    # CNN's highlights open the page as lines without a final stop; they summarise the story.
    highlights = text.lstrip().startswith(("Story highlights", "STORY HIGHLIGHTS"))
    while line is not None:
        following = next(lines, None)
        # A line opening in lower case continues a sentence the page broke (around a link or a
        # picture): the pieces on either side of the break are fragments ("…said the plan" /
        # "will not be a part of the charge.").
        broken_after = following is not None and following.lstrip(_OPENERS)[:1].islower()
        parts = split_sentences(line)
        # A line of one sentence without a final stop, with more text after it, is a heading or
        # a link to another story ("Putin-Trump 'bromance' broadens post-sanctions", "Why
        # Sebelius is safe"), except in the highlights that open a CNN page. The last line may
        # lack its stop only because the lede was cut there.
        ended = line.rstrip().endswith(_STOPS)
        interlude = len(parts) == 1 and following is not None and not ended and not highlights
        highlights = highlights and not ended
        for index, sentence in enumerate([] if interlude else parts):
            if index == 0 and (broken_before or sentence.lstrip(_OPENERS)[:1].islower()):
                continue
            if index == len(parts) - 1 and broken_after and not sentence.endswith(_STOPS):
                continue
            if _is_lede_sentence(sentence):
                sentences.append(sentence)
                if len(sentences) == LEDE_SENTENCES:
                    return sentences
        line, broken_before = following, broken_after
    return sentences


def _is_lede_sentence(s: str) -> bool:
    # A headline in Title Case has no final stop; a sentence full of names may look Title Case
    # but has one ("Washington (CNN) House Speaker John Boehner downplayed the rift.").
    if is_photo_caption(s) or is_promotion(s):
        return False
    return s.endswith(_STOPS) or (
        len(s.split()) >= MIN_WORDS and not is_title_case(s, min_words=MIN_WORDS)
    )


def story_text_from_docs(docs: Sequence[tuple[str, str]]) -> StoryText:
    """(title, text) pairs as the token model reads them."""
    return StoryText(
        sentences=[lede_sentences(text) for _title, text in docs],
        titles=[title for title, _text in docs],
    )


def _units(sentence: str, clauses: bool) -> list[str]:
    """The sentence and its clauses; a sentence behind a dateline only without it, and one with
    an unmatched quote mark (a piece of a quote that runs over several sentences: "Absolutely,"
    Mulvaney later said.) only through its balanced clauses. A line of a transcript ("ABC NEWS'
    JONATHAN KARL: So the demand…") gives none: its words are one speaker's, not the story's.
    A sentence cut off with an ellipsis (a feed's teaser: "…, a young Christian woman who was
    kidnapped, tortured…") gives only the clauses that end before the cut."""
    if _SPEAKER_LABEL.match(sentence):
        return []
    # A text may stop mid-sentence without an ellipsis too: then on a word that needs more.
    cut_off = sentence.endswith(_ELLIPSIS) or (
        not sentence.endswith(_STOPS) and bool(_DANGLING_END.search(sentence.rstrip(",;: ")))
    )
    # A whole sentence can be a dependent clause alone too, split from the sentence it belongs
    # to: "In order to obscure Trump's involvement.", "Because the bill failed." (Its last word
    # may need nothing more: "…are safe and accounted for.")
    dependent = _DEPENDENT_START.match(sentence) is not None and "," not in sentence
    whole = [sentence] if _balanced(sentence) and not cut_off and not dependent else []
    if not clauses:
        return whole
    spans = clause_spans(sentence)
    if cut_off:
        end = sentence.rstrip(",;:—–-. …[]")
        spans = [span for span in spans if not end.endswith(span.rstrip(". …"))]
    return spans if DATELINE.match(sentence) and spans else [*whole, *spans]


# A text that trails off: a teaser cut short ("…kidnapped, tortured…", "… [...]"). Most texts
# that end without a final stop still end on a whole statement, so only these and an ending on a
# word that needs more count as cut (NeuS train ROUGE-1 −0.0028 when every text ending without
# a stop was taken as cut: 4% of NeuS texts stop mid-sentence).
_ELLIPSIS = ("…", "...", "[…]", "[...]")
# A transcript's speaker in capitals before a colon: "ABC NEWS' JONATHAN KARL: ", "MULVANEY: ".
_SPEAKER_LABEL = re.compile(r"[A-Z][A-Z.'’-]+(?: [A-Z][A-Z.'’-]+)*:\s")
# A question or an exclamation of the text's own is a teaser or a rhetorical turn ("What is
# Northam saying now?", "Assaulted by lies and Fake News!"), not a point; a quoted one inside a
# statement stays ("King was criticized for asking: "…how did that become offensive?"").
_ASKS_OR_EXCLAIMS = re.compile(r"[?!](?P<closing>[\"'”’)\]]*)\s*$")
_QUOTE_INSIDE = re.compile(r"[\s:,(][\"“‘']")


# Its "he said" is in the next sentence: "“That’s substantially larger than the largest tax cut
# in American history.”"
_QUOTE_ONLY = re.compile(r"^[\"“][^\"“”]+[\"”]$")
# A bullet is read alone, so none may open with:
# - "He", "She" or "They": it names nobody ("He declined to give details.");
# - "I" or "We": the writer, or a speaker without quote marks ("I asked him again.");
# - "Says": its speaker is lost ("Says US will work to provide evidence.");
# - "But", "And" or a linking adverb ("Also, …", "Of course, …"): it answers a sentence the reader
#   has not seen (the clause after "However, " stays a unit).
# NeuS val ROUGE-1 −0.0001 for the pronouns and conjunctions, −0.0003 for the adverbs (train
# +0.0002); dropping "It", "This" and "That" too would cost 0.0015, and those more often point to
# the event itself ("It would ban abortions…").
_NEEDS_CONTEXT = re.compile(
    r"(?:he|she|they|his|her|their|him|them|i|we|our|my|and|but|yet|so(?! far)|says|said)\b"
    r"|(?:also|of course|instead|in fact|indeed|likewise|similarly|moreover|furthermore|besides"
    r"|still|however|meanwhile|nonetheless|nevertheless|even so|that said|in addition"
    r"|additionally|then),",
    re.IGNORECASE,
)


def _asks_or_exclaims(unit: str) -> bool:
    end = _ASKS_OR_EXCLAIMS.search(unit)
    if end is None:
        return False
    # Quoted when the quote closes after the mark; scare quotes earlier ("…be "wire tapping" a
    # race?") leave the question the text's own.
    closing = end.group("closing")
    return not (closing and closing[0] in "\"'”’" and _QUOTE_INSIDE.search(unit))


def _candidates(
    articles: Sequence[SourceArticle], ledes: Sequence[Sequence[str]], clauses: bool = True
) -> list[_Candidate]:
    """Units of each article's lede sentences (``ledes``, in article order)."""
    by_text: dict[str, _Candidate] = {}
    for article, lede in zip(articles, ledes, strict=True):
        units = [unit for sentence in lede for unit in _units(sentence, clauses)]
        for sentence in units:
            words = len(sentence.split())
            # A headline repeated in the text is a teaser for another page, not a bullet (NeuS
            # ROUGE-1 without such units: val +0.0005, train −0.0002).
            if not MIN_WORDS <= words <= MAX_WORDS or is_title_case(sentence, MIN_WORDS):
                continue
            # A sentence ending in a colon announces what follows ("Trump described the raid:");
            # one with a link is an embedded post or a pointer elsewhere.
            if sentence.rstrip().endswith(":") or _LINK.search(sentence):
                continue
            if _asks_or_exclaims(sentence) or _NEEDS_CONTEXT.match(sentence):
                continue
            # A quotation alone names no speaker; a sentence in brackets is the page's aside or
            # update note ("(The version going into effect tonight was…)").
            if _QUOTE_ONLY.match(sentence) or sentence.startswith("("):
                continue
            key = normalize_space(sentence).lower()
            candidate = by_text.get(key)
            if candidate is None:
                candidate = _Candidate(
                    sentence, Counter(summary_tokens(sentence)), order=len(by_text)
                )
                by_text[key] = candidate
            if article.id not in candidate.article_ids:
                candidate.article_ids.append(article.id)
            if article.side:
                candidate.sides.add(article.side)
    return [c for c in by_text.values() if c.tokens]


def target_length(options: SummaryOptions, n_articles: int) -> float:
    """The tuned length for a three-article story, growing slowly with wider coverage."""
    return options.target_tokens * (1.0 + math.log(max(n_articles, 3) / 3) / 2)


def _greedy(
    candidates: Sequence[_Candidate],
    expected: dict[str, float],
    target: float,
    options: SummaryOptions,
    max_words: int | None,
) -> tuple[list[_Candidate], float]:
    """Greedy pick under a per-bullet length cap; returns the bullets and their expected F1."""
    pool = [c for c in candidates if max_words is None or c.length <= max_words]
    chosen: list[_Candidate] = []
    summary: Counter[str] = Counter()
    matched, length, current = 0.0, 0, 0.0
    while len(chosen) < options.max_bullets:
        covered_sides = set().union(*(c.sides for c in chosen)) if chosen else set()
        # Below the minimum, the best sentence is taken even if it lowers the expected score.
        best, best_gain, best_matched = (
            None,
            (0.0 if len(chosen) >= options.min_bullets else -1e9),
            0.0,
        )
        for candidate in pool:
            if candidate in chosen or any(
                _overlap(candidate, c) > options.max_overlap for c in chosen
            ):
                continue
            # Only the candidate's own tokens change the clipped match: O(sentence) per try.
            added = 0.0
            for token, n in candidate.tokens.items():
                have, want = summary[token], expected.get(token, 0.0)
                added += min(have + n, want) - min(have, want)
            score = 2 * (matched + added) / (length + candidate.length + target)
            gain = score - current
            if gain <= 0 and any(
                _overlap(candidate, c) > options.forced_max_overlap for c in chosen
            ):
                continue
            if gain > 0 and candidate.sides and not candidate.sides <= covered_sides:
                gain *= 1 + options.side_bonus
            if gain > best_gain:
                best, best_gain, best_matched = candidate, gain, matched + added
        if best is None:
            break
        chosen.append(best)
        summary.update(best.tokens)
        matched, length = best_matched, length + best.length
        current = 2 * matched / (length + target)
    return chosen, current


def _alone(candidate: _Candidate, expected: dict[str, float], target: float) -> float:
    """The expected F1 of the unit as a one-bullet summary."""
    matched = sum(min(n, expected.get(t, 0.0)) for t, n in candidate.tokens.items())
    return 2 * matched / (candidate.length + target)


def _capitalized(span: str) -> str:
    """A clause from mid-sentence starts with a capital as a bullet; the rest stays verbatim."""
    return span[:1].upper() + span[1:] if span[:1].islower() else span


def summarize_extractive(
    articles: Sequence[SourceArticle], options: SummaryOptions | None = None
) -> list[Bullet]:
    options = options or SummaryOptions()
    # Split once: the candidates and the token model read the same lede sentences.
    ledes = [lede_sentences(a.text) for a in articles]
    candidates = _candidates(articles, ledes, options.clauses)
    if not candidates:
        return []
    expected = expected_reference_counts(
        StoryText(sentences=ledes, titles=[a.title for a in articles])
    )
    target = target_length(options, len(articles))
    if len(candidates) > MAX_POOL:
        candidates = sorted(candidates, key=lambda c: -_alone(c, expected, target))[:MAX_POOL]
    best: list[_Candidate] = []
    best_key = (False, -1.0)
    for cap in (None, *options.length_caps):
        chosen, score = _greedy(candidates, expected, target, options, cap)
        key = (len(chosen) >= options.min_bullets, score)
        if key > best_key:
            best, best_key = chosen, key
    return [Bullet(_capitalized(c.text), sorted(c.article_ids)) for c in best]
