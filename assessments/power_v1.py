"""Power Dynamics Screener, version 1. Item texts written for this project.

Nine domains of three items each. Two kinds of items:
- experience items: how often, in the last 3 months (Never 0 ... Very often 4);
  `reversed` items are worded so that a high answer means balance;
- balance items: who usually has the say / does the work (Me -2 ... My partner +2).

Scoring (pure; see `score_power`):
- each item's imbalance in [0, 1]: experience value/4 (reversed: (4 - value)/4);
  balance |value|/2 (either side leaning is imbalance);
- a domain's imbalance (0-100) is the mean of its items' imbalance x 100;
- the overall index (0-100) is the mean of the domain scores, so each domain
  counts equally however many items it has;
- direction, as this respondent sees it, comes only from the "who has the
  say" items (decision-making and money): mean <= -0.5 leans toward the
  respondent, >= +0.5 toward the partner, otherwise shared. Who does the
  housework is left out: doing most of it is not having the say;
- bands on the index: balanced [0, 25), some imbalance [25, 50),
  marked imbalance [50, 100]. A quarter of the way to the maximum is where
  imbalance stops being occasional; half-way means it runs through most
  domains or dominates several. Domains at 50 or more "stand out".
"""

from assessments.framework import OVERALL, Band, Choice, Domain, Instrument, Item, Norm, Scale, round1

FREQUENCY = Scale(
    "frequency",
    (Choice(0, "Never"), Choice(1, "Rarely"), Choice(2, "Sometimes"), Choice(3, "Often"), Choice(4, "Very often")),
)
WHO = Scale(
    "who",
    (
        Choice(-2, "Me"),
        Choice(-1, "Mostly me"),
        Choice(0, "Shared equally"),
        Choice(1, "Mostly my partner"),
        Choice(2, "My partner"),
    ),
)

DOMAINS = (
    Domain("decisions", "Decision-making"),
    Domain("money", "Money and resources"),
    Domain("voice", "Emotional climate and voice"),
    Domain("fear", "Fear and dependence"),
    Domain("social", "Social connection"),
    Domain("digital", "Digital control"),
    Domain("boundaries", "Boundaries, sex and consent"),
    Domain("labour", "Contribution and labour"),
    Domain("pressure", "Pressure and manipulation"),
)

ITEMS = (
    Item(
        "dec1",
        "Who usually has the final say about big decisions, such as moving, work or large purchases?",
        "decisions",
        "who",
    ),
    Item("dec2", "Who usually decides how you spend your free time together?", "decisions", "who"),
    Item("dec3", "My views are taken into account when we decide things.", "decisions", "frequency", reversed=True),
    Item("mon1", "Who usually decides how money is spent?", "money", "who"),
    Item("mon2", "I have to ask or explain myself before I spend money on myself.", "money", "frequency"),
    Item("mon3", "I can see and use our shared money when I need to.", "money", "frequency", reversed=True),
    Item("voi1", "I feel free to disagree with my partner.", "voice", "frequency", reversed=True),
    Item("voi2", "My feelings or needs are brushed aside or laughed at.", "voice", "frequency"),
    Item("voi3", "My partner speaks to me in a way that makes me feel small.", "voice", "frequency"),
    Item("fea1", "I keep my opinions to myself because I worry how my partner will react.", "fear", "frequency"),
    Item("fea2", "I feel I could not manage on my own if we separated.", "fear", "frequency"),
    Item("fea3", "I feel tense or on edge when my partner is around.", "fear", "frequency"),
    Item("soc1", "I see less of my friends or family than I would like because of my partner.", "social", "frequency"),
    Item("soc2", "I can see friends or family without having to ask first.", "social", "frequency", reversed=True),
    Item("soc3", "My partner makes it hard for me to have my own friends or activities.", "social", "frequency"),
    Item("dig1", "My partner checks my phone, messages or accounts.", "digital", "frequency"),
    Item("dig2", "I am expected to share my passwords or my location.", "digital", "frequency"),
    Item("dig3", "My partner wants to know where I am all the time.", "digital", "frequency"),
    Item("bou1", "When I say no to something, my partner accepts it.", "boundaries", "frequency", reversed=True),
    Item("bou2", "I go along with sex or intimacy I do not want, to avoid trouble.", "boundaries", "frequency"),
    Item("bou3", "My partner goes past limits I have set.", "boundaries", "frequency"),
    Item("lab1", "Who does most of the housework?", "labour", "who"),
    Item(
        "lab2",
        "Who keeps track of what needs doing at home, such as bills, appointments and shopping?",
        "labour",
        "who",
    ),
    Item("lab3", "The effort we each put into our life together feels fair.", "labour", "frequency", reversed=True),
    Item("pre1", "My partner uses guilt to get their way.", "pressure", "frequency"),
    Item("pre2", "My partner uses threats, such as leaving, to get their way.", "pressure", "frequency"),
    Item("pre3", "My partner's mood changes suddenly and I have to adjust to keep the peace.", "pressure", "frequency"),
)

# "Who has the say" items: the only ones that decide the direction.
SAY_ITEMS = ("dec1", "dec2", "mon1")
STAND_OUT_AT = 50.0

BANDS = (
    Band("balanced", "Balanced", 0.0, 25.0),
    Band("some_imbalance", "Some imbalance", 25.0, 50.0),
    Band("marked_imbalance", "Marked imbalance", 50.0, 100.0),
)


def item_imbalance(instrument: Instrument, item: Item, value: int) -> float:
    if item.scale == "who":
        return abs(value) / 2
    top = instrument.scale(item.scale).maximum
    return (top - value) / top if item.reversed else value / top


def score_power(instrument: Instrument, answers: dict[str, int]) -> dict:
    domains = []
    for domain in instrument.domains:
        items = [i for i in instrument.items if i.domain == domain.key]
        if not items:
            continue
        mean = sum(item_imbalance(instrument, i, answers[i.id]) for i in items) / len(items)
        domains.append({"key": domain.key, "title": domain.title, "score": round1(mean * 100)})
    index = round1(sum(d["score"] for d in domains) / len(domains))
    # A short form may carry only some of the say items.
    say = [answers[i] for i in SAY_ITEMS if i in answers]
    lean = sum(say) / len(say) if say else 0.0
    if lean <= -0.5:
        direction = "toward_me"
    elif lean >= 0.5:
        direction = "toward_partner"
    else:
        direction = "shared"
    band = instrument.band_for(index)
    return {
        "index": index,
        "band": band.key,
        "band_label": band.label,
        "direction": direction,
        "lean": round(lean, 3),
        "domains": domains,
        "stand_out": [d["key"] for d in domains if d["score"] >= STAND_OUT_AT],
    }


# Provisional defaults for reliable change, used until the practice has 30 submitted screenings of this
# version of its own (then its own SD and Cronbach's alpha replace them; every result says which it used).
# This questionnaire was written for this project and has no published norms: these are conservative
# working values, not measurements. For a three-item domain scored 0-100, an SD of 20 points and a
# reliability of 0.70 (the usual lower bound for a short scale in routine practice); for the overall index,
# the mean of nine domains, a narrower SD of 15 and a reliability of 0.85. Replace them with the practice's
# own figures (shown on the outcomes report) once known; a new version of the questionnaire needs its own.
PROVISIONAL_NORMS = {
    **{domain.key: Norm(sd=20.0, r=0.70) for domain in DOMAINS},
    OVERALL: Norm(sd=15.0, r=0.85),
}

POWER_V1 = Instrument(
    key="power",
    version=1,
    title="How things are between you",
    instructions=(
        "These questions are about your relationship as you see it. There are no right or wrong answers. "
        "Think about the last 3 months. Your answers are seen only by your therapist, never by your partner."
    ),
    scales=(FREQUENCY, WHO),
    domains=DOMAINS,
    items=ITEMS,
    bands=BANDS,
    scorer=score_power,
    item_score=item_imbalance,
    norms=PROVISIONAL_NORMS,
    lower_is_better=True,  # a higher domain score means more imbalance
)
