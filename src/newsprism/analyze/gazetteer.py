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
    campaign coalition alliance tribunal reserve church"""
ORGANISATION_WORDS = frozenset(_ORGANISATION_WORDS.split())

# A phrase ending in one of these names a place ("Forbes Avenue", "Fern Hollow Creek").
_PLACE_WORDS = """avenue street road boulevard highway bridge river creek lake sea ocean bay beach
island islands mountain mountains valley county province state city town village park square
airport station harbor harbour port canal strait desert forest district region"""
PLACE_WORDS = frozenset(_PLACE_WORDS.split())

# Titles before a name: the tag is the person ("Joe Biden"), not the office.
_HONORIFICS = """president vice mayor governor gov sen senator rep representative secretary
minister prime chancellor premier king queen prince princess pope judge justice chief gen general
dr mr mrs ms sir lord lady speaker leader chairman chairwoman ceo former pm mp counsel attorney
deputy ambassador commissioner director spokesman spokeswoman spokesperson sheriff lt col sgt
rev archbishop cardinal bishop rabbi imam dame associate assistant acting interim admiral adm
commander""".replace(".", "")
HONORIFICS = frozenset(_HONORIFICS.split())

# Capitalized by convention, never what a story is about.
# Days, which also end a run after a name ("Cincinnati Thursday"); months do not ("Theresa May").
DAYS = frozenset(
    [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "today",
        "yesterday",
    ]
)
_NOT_NAMES = """january february march april may june july august september october november
december jan feb mar apr jun jul aug sep sept oct nov dec tomorrow
breaking update live watch video photos opinion analysis exclusive"""
# Photo credits and player captions that precede a lede ("Image copyright Getty Images").
_BOILERPLATE = "image images media copyright caption getty photo video"
BOILERPLATE = frozenset(_BOILERPLATE.split())
NOT_NAMES = frozenset(_NOT_NAMES.split()) | DAYS | BOILERPLATE

# Words that describe a person rather than name one ("Russian", "Democratic"): "Kentucky
# Republican" is Rand Paul's description, not a tag.
_AFFILIATIONS = """american russian chinese british european african asian arab latino hispanic
mexican canadian israeli palestinian iranian iraqi syrian afghan ukrainian korean japanese german
french italian spanish irish scottish welsh english indian pakistani turkish saudi cuban
venezuelan brazilian australian democratic republican conservative liberal"""
AFFILIATIONS = frozenset(_AFFILIATIONS.split())
# Describing words that also end real names ("Kanye West"): a phrase of nothing but these and
# titles is not a name ("North", "South Korean"), one with a name in it is.
_COMPASS_AND_SCOPE = """western eastern northern southern north south east west national federal
international global democrats republicans conservatives liberals progressives moderates"""
DESCRIPTIVE = AFFILIATIONS | frozenset(_COMPASS_AND_SCOPE.split())
# Titles that are also surnames ("Steve King", "Mike Judge"): not read as an office inside a run.
_SURNAME_TITLES = "king queen prince princess lord lady dame sir pope judge justice"
SURNAME_TITLES = frozenset(_SURNAME_TITLES.split())
