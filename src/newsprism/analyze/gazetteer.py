"""Place names and organisation words that tell a tag's kind (data, kept apart from the logic).

Countries, U.S. states and the world's most reported-on cities; a name not listed here is still
a tag, only its kind falls back to the shape of the phrase.
"""

from __future__ import annotations

_PLACES = """
Afghanistan|Albania|Algeria|Argentina|Armenia|Australia|Austria|Azerbaijan|Bahrain|Bangladesh|
Belarus|Belgium|Bolivia|Bosnia|Brazil|Bulgaria|Cambodia|Cameroon|Canada|Chile|China|Colombia|
Congo|Costa Rica|Croatia|Cuba|Cyprus|Czech Republic|Czechia|Denmark|Ecuador|Egypt|El Salvador|
Estonia|Ethiopia|Finland|France|Georgia|Germany|Ghana|Greece|Guatemala|Haiti|Honduras|Hong Kong|
Hungary|Iceland|India|Indonesia|Iran|Iraq|Ireland|Israel|Italy|Jamaica|Japan|Jordan|Kazakhstan|
Kenya|Kosovo|Kuwait|Latvia|Lebanon|Libya|Lithuania|Luxembourg|Malaysia|Mali|Malta|Mexico|
Moldova|Mongolia|Morocco|Mozambique|Myanmar|Nepal|Netherlands|New Zealand|Nicaragua|Niger|
Nigeria|North Korea|Norway|Oman|Pakistan|Palestine|Panama|Paraguay|Peru|Philippines|Poland|
Portugal|Qatar|Romania|Russia|Rwanda|Saudi Arabia|Senegal|Serbia|Singapore|Slovakia|Slovenia|
Somalia|South Africa|South Korea|South Sudan|Spain|Sri Lanka|Sudan|Sweden|Switzerland|Syria|
Taiwan|Tanzania|Thailand|Tunisia|Turkey|Türkiye|Uganda|Ukraine|United Arab Emirates|
United Kingdom|United States|Uruguay|Uzbekistan|Venezuela|Vietnam|Yemen|Zambia|Zimbabwe|
U.S.|US|USA|UK|Britain|Great Britain|England|Scotland|Wales|Northern Ireland|Europe|Africa|Asia|
Gaza|West Bank|Crimea|Donbas|Kashmir|Tibet|Xinjiang|Middle East|Latin America|Arctic|Antarctica|
Alabama|Alaska|Arizona|Arkansas|California|Colorado|Connecticut|Delaware|Florida|Hawaii|Idaho|
Illinois|Indiana|Iowa|Kansas|Kentucky|Louisiana|Maine|Maryland|Massachusetts|Michigan|Minnesota|
Mississippi|Missouri|Montana|Nebraska|Nevada|New Hampshire|New Jersey|New Mexico|New York|
North Carolina|North Dakota|Ohio|Oklahoma|Oregon|Pennsylvania|Rhode Island|South Carolina|
South Dakota|Tennessee|Texas|Utah|Vermont|Virginia|Washington|West Virginia|Wisconsin|Wyoming|
Washington D.C.|D.C.|Puerto Rico|Guam|
London|Paris|Berlin|Madrid|Rome|Moscow|Kyiv|Kiev|Beijing|Shanghai|Tokyo|Seoul|Pyongyang|Delhi|
New Delhi|Mumbai|Karachi|Islamabad|Kabul|Tehran|Baghdad|Damascus|Beirut|Jerusalem|Tel Aviv|
Cairo|Istanbul|Ankara|Riyadh|Dubai|Doha|Nairobi|Lagos|Johannesburg|Cape Town|Sydney|Melbourne|
Toronto|Montreal|Vancouver|Ottawa|Mexico City|Havana|Caracas|Bogota|Lima|Santiago|Buenos Aires|
Sao Paulo|São Paulo|Rio de Janeiro|Brasilia|Brussels|Amsterdam|Vienna|Warsaw|Prague|Budapest|
Athens|Lisbon|Dublin|Edinburgh|Stockholm|Oslo|Copenhagen|Helsinki|Geneva|Zurich|Minsk|Hong Kong|
Taipei|Manila|Jakarta|Bangkok|Hanoi|Singapore|Los Angeles|San Francisco|Chicago|Houston|Dallas|
Austin|Miami|Atlanta|Boston|Philadelphia|Seattle|Denver|Phoenix|Las Vegas|Detroit|Baltimore|
Minneapolis|New Orleans|Portland|San Diego|Brooklyn|Manhattan|Silicon Valley|Wall Street
"""
PLACES = frozenset(name.strip().lower() for name in _PLACES.split("|") if name.strip())

# A phrase containing one of these names an organisation ("Justice Department", "Labour Party").
_ORGANISATION_WORDS = """party department ministry agency administration commission committee council court
    congress senate house parliament assembly government police army navy force forces
    university college school hospital bank fund company corp corporation inc ltd group
    association union federation foundation institute organization organisation office bureau
    service network news times post journal club league board authority cabinet caucus
    campaign coalition alliance tribunal reserve church center centre"""
ORGANISATION_WORDS = frozenset(_ORGANISATION_WORDS.split())
# Words no person's name holds: a phrase with one names an event, a law or a body's meeting
# ("Republican National Convention", "Affordable Care Act", "Paris Climate Accord"), not a person.
# Not "Bill", "Deal" or "Day": those are names too ("Bill Clinton", "Nathan Deal").
_NOT_PERSON_WORDS = """convention conference summit games olympics cup championship championships
    war act accord treaty agreement amendment festival awards election elections primary
    caucuses debate program programme initiative national federal international republican
    democratic american united"""
NOT_PERSON_WORDS = frozenset(_NOT_PERSON_WORDS.split())
# Bodies set up for a cause, whose name goes on after "for" ("Center for American Progress", "Club
# for Growth"); after the others "for" starts another name ("Supreme Court for Trump").
_FOR_BODIES = """center centre centers institute foundation council coalition alliance campaign club
agency fund league organization organisation association network commission committee office
union"""
FOR_BODIES = frozenset(_FOR_BODIES.split())

# Names with an "and" inside, which the rules for bodies cannot tell from two names: the first
# part is a common noun with a capital ("Food and Drug Administration" is not "Food" and "Drug
# Administration"; "Trump and White House aides" are two). Lower case, as written.
_AND_NAMES = """food and drug administration|securities and exchange commission|immigration and
customs enforcement|customs and border protection|health and human services|housing and urban
development|disease control and prevention|fish and wildlife service|management and budget|
energy and commerce|oversight and reform|oversight and
accountability|oversight and government reform|education and labor|environment and public
works|rules and administration|homeland security and governmental affairs|substance abuse and
mental health services administration|national oceanic and atmospheric administration|
bosnia and herzegovina|trinidad and tobago|antigua and barbuda|saint kitts and nevis|sao tome
and principe|bill and melinda gates foundation|marks and spencer|simon and schuster"""
AND_NAMES = tuple(
    tuple(" ".join(name.split()).split(" and ", 1))
    for name in _AND_NAMES.split("|")
    if " and " in " ".join(name.split())
)

# Given names and the short forms reporters use for the same person ("Joseph R. Biden" and "Joe
# Biden", "Jerrold Nadler" and "Jerry Nadler"): both map to the short form.
_SHORT_GIVEN_NAMES = """joseph:joe william:bill robert:bob michael:mike james:jim thomas:tom
charles:chuck richard:dick edward:ted theodore:ted elizabeth:liz christopher:chris nicholas:nick
daniel:dan david:dave kenneth:ken ronald:ron donald:don anthony:tony benjamin:ben steven:steve
stephen:steve alexander:alex andrew:andy timothy:tim matthew:matt patrick:pat samuel:sam
gerald:jerry jerrold:jerry frederick:fred bernard:bernie mitchell:mitch katherine:kate
kathleen:kathy jennifer:jen rebecca:becky margaret:maggie"""
SHORT_GIVEN_NAMES = dict(pair.split(":") for pair in _SHORT_GIVEN_NAMES.split())

# A phrase ending in one of these names a place ("Forbes Avenue", "Fern Hollow Creek").
_PLACE_WORDS = """avenue street road boulevard highway bridge river creek lake sea ocean bay beach
island islands mountain mountains valley county province state city town village park square
airport station harbor harbour port canal strait desert forest district region"""
PLACE_WORDS = frozenset(_PLACE_WORDS.split())

# Titles before a name: the tag is the person ("Joe Biden"), not the office; "AG" is the attorney
# general, "SEAL" a rank of sorts ("Navy SEAL Eddie Gallagher").
_HONORIFICS = """president vice mayor governor gov govs sen sens senator rep reps representative
secretary minister prime chancellor premier king queen prince princess pope judge justice chief gen
general dr mr mrs ms sir lord lady speaker leader chairman chairwoman ceo former pm mp counsel
attorney deputy ambassador commissioner director spokesman spokeswoman spokesperson sheriff lt col
sgt rev archbishop cardinal bishop rabbi imam dame associate assistant acting interim admiral adm
commander chair ag seal""".replace(".", "")
HONORIFICS = frozenset(_HONORIFICS.split())

# Capitalized by convention, never what a story is about.
# Weekdays are capitalized wherever they stand, so one after a name is most often when something
# happened ("Cincinnati Thursday") and is cut from the name; "Today" capitalized after a name is
# part of it ("USA Today").
_WEEKDAYS = "monday tuesday wednesday thursday friday saturday sunday"
WEEKDAYS = frozenset(_WEEKDAYS.split())
DAYS = WEEKDAYS | {"today", "yesterday"}
# Words that, with a weekday, name a day ("Black Monday", "Super Tuesday") and are no name alone.
_DAY_NAMING = "black cyber super good giving ash holy palm easter fat bloody"
DAY_NAMING = frozenset(_DAY_NAMING.split())
_NOT_NAMES = """january february march april may june july august september october november
december jan feb mar apr jun jul aug sep sept oct nov dec tomorrow
breaking update live watch video photos opinion analysis exclusive i've i’ve i'd i’d i'll i’ll"""
# Photo credits and player captions that precede a lede ("Image copyright Getty Images",
# "REUTERS/Joshua Roberts/File").
_BOILERPLATE = "image images media copyright caption getty photo video file"
BOILERPLATE = frozenset(_BOILERPLATE.split())
NOT_NAMES = frozenset(_NOT_NAMES.split()) | DAYS | BOILERPLATE

# Words that describe a person rather than name one ("Russian", "Democratic"): "Kentucky
# Republican" is Rand Paul's description, not a tag.
_AFFILIATIONS = """american russian chinese british european african asian arab latino hispanic
mexican canadian israeli palestinian iranian iraqi syrian afghan ukrainian korean japanese german
french italian spanish irish scottish welsh english indian pakistani turkish saudi cuban
venezuelan brazilian australian democratic democrat republican conservative liberal"""
AFFILIATIONS = frozenset(_AFFILIATIONS.split())
# Describing words that also end real names ("Kanye West"): a phrase of nothing but these and
# titles is not a name ("North", "South Korean"), one with a name in it is.
_COMPASS_AND_SCOPE = """western eastern northern southern north south east west national federal
international global democrats republicans conservatives liberals progressives moderates"""
DESCRIPTIVE = AFFILIATIONS | frozenset(_COMPASS_AND_SCOPE.split())
# Titles that are also surnames ("Steve King", "Mike Judge"): not read as an office inside a run.
_SURNAME_TITLES = "king queen prince princess lord lady dame sir pope judge justice"
SURNAME_TITLES = frozenset(_SURNAME_TITLES.split())

# Words capitalized only because they open a sentence, never the start of the name after them
# ("Four Minneapolis police officers …", "Sometimes Congress …", "Dozens of …"): numbers and
# quantities ("one" to "three" are stopwords), adverbs and conjunctions.
_SENTENCE_OPENERS = """four five six seven eight nine ten eleven twelve thirteen fourteen fifteen
sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred
hundreds thousand thousands million millions billion billions dozen dozens several scores
sometimes often usually meanwhile instead yet later earlier recently finally eventually perhaps
maybe already again currently previously initially ultimately separately similarly indeed however
moreover nonetheless nevertheless otherwise apparently though although despite unlike following
throughout neither either every another today yesterday"""
SENTENCE_OPENERS = frozenset(_SENTENCE_OPENERS.split())
# The lower-case end of a hyphenated description ("Obama-era", "Chinese-ruled", "Iran-backed",
# "American-born"): besides any participle in -ed, these.
_DESCRIPTION_ENDS = "era born held run made style like type wide friendly leaning speaking"
DESCRIPTION_ENDS = frozenset(_DESCRIPTION_ENDS.split())
