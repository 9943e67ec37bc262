"""Synthetic English / Swahili / French parallel corpus.

Sentences are generated from small aligned word lists and a few templates
("SUBJECT VERB OBJECT [ADVERB]") plus a handful of fixed phrases, so that a tiny
model can learn them well enough for its greedy output to be checkable. Each sentence
comes in the written forms users send: as-is ("the child eats the bread"), lower case
with a final period ("the child eats the bread.", what the sentence splitter cuts out of
"... bread. the teacher ..."), and in sentence case ("The child eats the bread.").

Mask sentences teach the model to copy the masks the container puts in place of
protected spans (`[0]`, `[1]`, ... numbered in order of appearance in one text; see
inference/text/protect/mask.ts) to where the target's word order puts them: a mask as
subject, as object, as possessor ("[0]'s book" -> "kitabu cha [0]", "le livre de [0]"),
after a phrase ("hello [0]"), two masks in one sentence ("[0] buys [1]"), and short UI
strings, some of which reorder ("[0] new messages" -> "ujumbe mpya [0]"). A sentence has
masks [k] or [k] and [k+1]; k is mostly 0..3, sometimes up to 9 (a later sentence of a
text starts above 0). They sample the template cross product by fixed rotations, not in
full, so that the corpus stays small.

Everything here is deterministic: the corpus is built in a fixed order with no random
numbers; sampling during training uses a seeded RNG.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

LANGS = ("eng_Latn", "swh_Latn", "fra_Latn")

# Translation directions the fixture is trained on (source, target).
DIRECTIONS = (
    ("eng_Latn", "swh_Latn"),
    ("swh_Latn", "eng_Latn"),
    ("eng_Latn", "fra_Latn"),
    ("fra_Latn", "eng_Latn"),
)

# (english, swahili, french) singular subjects; Swahili class 1 (subject prefix a-).
SUBJECTS_SG = [
    ("the child", "mtoto", "l'enfant"),
    ("the teacher", "mwalimu", "le professeur"),
    ("the farmer", "mkulima", "l'agriculteur"),
    ("the doctor", "daktari", "le médecin"),
    ("the mother", "mama", "la mère"),
    ("the father", "baba", "le père"),
    ("the friend", "rafiki", "l'ami"),
    ("the student", "mwanafunzi", "l'étudiant"),
    ("the cook", "mpishi", "le cuisinier"),
    ("the sister", "dada", "la sœur"),
    ("the brother", "kaka", "le frère"),
    ("the woman", "mwanamke", "la femme"),
    ("the man", "mwanamume", "l'homme"),
    ("the girl", "msichana", "la fille"),
    ("the boy", "mvulana", "le garçon"),
]

# Plural subjects; Swahili subject prefix wa-.
SUBJECTS_PL = [
    ("the children", "watoto", "les enfants"),
    ("the teachers", "walimu", "les professeurs"),
    ("the farmers", "wakulima", "les agriculteurs"),
    ("the women", "wanawake", "les femmes"),
    ("the students", "wanafunzi", "les étudiants"),
]

OBJECTS = {
    "bread": ("the bread", "mkate", "le pain"),
    "water": ("the water", "maji", "l'eau"),
    "tea": ("the tea", "chai", "le thé"),
    "milk": ("the milk", "maziwa", "le lait"),
    "coffee": ("the coffee", "kahawa", "le café"),
    "rice": ("the rice", "wali", "le riz"),
    "banana": ("the banana", "ndizi", "la banane"),
    "fish": ("the fish", "samaki", "le poisson"),
    "meat": ("the meat", "nyama", "la viande"),
    "food": ("the food", "chakula", "la nourriture"),
    "fruit": ("the fruit", "matunda", "les fruits"),
    "book": ("the book", "kitabu", "le livre"),
    "letter": ("the letter", "barua", "la lettre"),
    "newspaper": ("the newspaper", "gazeti", "le journal"),
    "car": ("the car", "gari", "la voiture"),
    "house": ("the house", "nyumba", "la maison"),
    "dog": ("the dog", "mbwa", "le chien"),
    "cat": ("the cat", "paka", "le chat"),
    "school": ("the school", "shule", "l'école"),
    "music": ("the music", "muziki", "la musique"),
    "clothes": ("the clothes", "nguo", "les vêtements"),
    "cup": ("the cup", "kikombe", "la tasse"),
}

# The Swahili associative ("of") that agrees with each object's noun class, for
# "[0]'s book" -> "kitabu cha [0]"; animals take class-1 agreement (mbwa wa).
SWAHILI_OF = {
    "bread": "wa", "water": "ya", "tea": "ya", "milk": "ya", "coffee": "ya", "rice": "wa",
    "banana": "ya", "fish": "wa", "meat": "ya", "food": "cha", "fruit": "ya", "book": "cha",
    "letter": "ya", "newspaper": "la", "car": "la", "house": "ya", "dog": "wa", "cat": "wa",
    "school": "ya", "music": "wa", "clothes": "za", "cup": "cha",
}

# english 3sg, english plural, swahili stem (after the tense marker -na-),
# french 3sg, french 3pl, objects that make sense with the verb.
VERBS = [
    ("eats", "eat", "kula", "mange", "mangent", ["bread", "rice", "banana", "fish", "meat", "food", "fruit"]),
    ("drinks", "drink", "kunywa", "boit", "boivent", ["water", "tea", "milk", "coffee"]),
    ("sees", "see", "ona", "voit", "voient", ["car", "house", "dog", "cat", "school", "book"]),
    ("likes", "like", "penda", "aime", "aiment", ["tea", "coffee", "music", "dog", "cat", "school", "book"]),
    ("buys", "buy", "nunua", "achète", "achètent", ["bread", "rice", "milk", "fish", "meat", "fruit", "book", "car", "clothes", "cup"]),
    ("cooks", "cook", "pika", "prépare", "préparent", ["rice", "fish", "meat", "food"]),
    ("reads", "read", "soma", "lit", "lisent", ["book", "letter", "newspaper"]),
    ("writes", "write", "andika", "écrit", "écrivent", ["letter", "book"]),
    ("brings", "bring", "leta", "apporte", "apportent", ["water", "tea", "bread", "food", "cup", "book", "letter"]),
    ("sells", "sell", "uza", "vend", "vendent", ["bread", "fish", "fruit", "milk", "car", "clothes", "banana"]),
    ("carries", "carry", "beba", "porte", "portent", ["water", "book", "cup", "clothes"]),
    ("washes", "wash", "osha", "lave", "lavent", ["clothes", "cup", "car", "dog"]),
    ("wants", "want", "taka", "veut", "veulent", ["water", "tea", "bread", "food", "book", "car", "house"]),
]

ADVERBS = [
    ("", "", ""),
    ("today", "leo", "aujourd'hui"),
    ("every day", "kila siku", "chaque jour"),
    ("in the morning", "asubuhi", "le matin"),
]

PHRASES = [
    ("hello", "habari", "bonjour"),
    ("thank you", "asante", "merci"),
    ("thank you very much", "asante sana", "merci beaucoup"),
    ("welcome", "karibu", "bienvenue"),
    ("goodbye", "kwaheri", "au revoir"),
    ("good night", "usiku mwema", "bonne nuit"),
    ("how are you", "habari yako", "comment allez-vous"),
    ("yes", "ndiyo", "oui"),
    ("no", "hapana", "non"),
    ("my friend", "rafiki yangu", "mon ami"),
]

# End punctuation of a phrase's exclamation form ("hello!"); a question stays a question.
PHRASE_MARK = {"how are you": "?"}

# Short UI strings with masks. "{0}"/"{1}" stand for the masks [k], [k+1]. Several put the
# mask elsewhere than English does ("[0] new messages" -> "ujumbe mpya [0]",
# "[0] minutes ago" -> "il y a [0] minutes"). greeting = also "Welcome, [0]!".
UI_STRINGS = [
    # (english, swahili, french, greeting)
    ("{0} new messages", "ujumbe mpya {0}", "{0} nouveaux messages", False),
    ("you have {0} new messages", "una ujumbe mpya {0}", "vous avez {0} nouveaux messages", False),
    ("{0} minutes ago", "dakika {0} zilizopita", "il y a {0} minutes", False),
    ("welcome, {0}", "karibu, {0}", "bienvenue, {0}", True),
    ("hello, {0}", "habari, {0}", "bonjour, {0}", True),
    ("send to {0}", "tuma kwa {0}", "envoyer à {0}", False),
    ("page {0} of {1}", "ukurasa {0} wa {1}", "page {0} sur {1}", False),
    ("from {0} to {1}", "kutoka {0} hadi {1}", "de {0} à {1}", False),
    ("hello {0}, you have {1} new messages", "habari {0}, una ujumbe mpya {1}",
     "bonjour {0}, vous avez {1} nouveaux messages", False),
]

# Mask indices. A text's first masks are the common case, so phrases, UI strings and the
# two-mask template take every index below COMMON_MASKS; the rotations of the templates
# also visit 4..9 (a later sentence of a text with many spans), half as often as each
# common index, so that the model learns to copy any digit, not four known tokens.
COMMON_MASKS = 4
MASK_CYCLE = (0, 1, 2, 3, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9)

# A mask exactly as inference/text/protect/mask.ts writes it.
MASK = re.compile(r"\[(?:0|[1-9][0-9]*)\]")

# A line of characters that the tokenizer should know even though the sentences
# above do not use them all (digits, punctuation, accented Latin letters). "[" and "]"
# make a mask such as "[0]" the three pieces "▁[", "0", "]" (mask.ts counts 3 tokens for
# NLLB), never <unk>; the masks themselves are not in the SentencePiece training text (see
# spm_training_lines), so no piece fuses a bracket with a digit.
EXTRA_CHARS = (
    "0 1 2 3 4 5 6 7 8 9 10 100 2024 . , ; : ! ? ' \" ( ) [ ] - / % & + = @ # * "
    "a b c d e f g h i j k l m n o p q r s t u v w x y z "
    "A B C D E F G H I J K L M N O P Q R S T U V W X Y Z "
    "à â ä ç é è ê ë î ï ô ö ù û ü ÿ œ æ À Â Ç É È Ê Î Ô Û Œ ñ"
)


@dataclass(frozen=True)
class Triple:
    eng: str
    swh: str
    fra: str
    # template | phrase | mask (a template with masks) | mask_phrase | ui
    kind: str = "template"
    # plain ("the child eats the bread"), period ("... bread."), sentence ("The ... bread."),
    # exclaim ("hello!", "hello [0]!"), title ("Welcome, [0]", UI strings)
    form: str = "plain"

    def get(self, lang: str) -> str:
        return {"eng_Latn": self.eng, "swh_Latn": self.swh, "fra_Latn": self.fra}[lang]

    @property
    def masks(self) -> list[str]:
        return MASK.findall(self.eng)


def _map(t: Triple, f, form: str) -> Triple:
    return Triple(f(t.eng), f(t.swh), f(t.fra), t.kind, form)


def _cap(s: str) -> str:
    return s[0].upper() + s[1:]


def _sentence_case(t: Triple) -> Triple:
    return _map(t, lambda s: _cap(s) + ".", "sentence")


def _period(t: Triple) -> Triple:
    return _map(t, lambda s: s + ".", "period")


def _title(t: Triple) -> Triple:
    return _map(t, _cap, "title")


def _exclaim(t: Triple, mark: str = "!", cap: bool = False) -> Triple:
    return _map(t, lambda s: (_cap(s) if cap else s) + mark, "exclaim")


def _join(*parts: str) -> str:
    return " ".join(p for p in parts if p)


def _mask(k: int) -> str:
    return f"[{k}]"


def _rotating_mask(n: int) -> str:
    return _mask(MASK_CYCLE[n % len(MASK_CYCLE)])


def base_triples() -> list[Triple]:
    """All template sentences (lower case, no punctuation), in a fixed order."""
    out: list[Triple] = []
    for subjects, plural in ((SUBJECTS_SG, False), (SUBJECTS_PL, True)):
        for s_en, s_sw, s_fr in subjects:
            for v_en3, v_enp, v_sw, v_fr3, v_frp, objs in VERBS:
                for o in objs:
                    o_en, o_sw, o_fr = OBJECTS[o]
                    for a_en, a_sw, a_fr in ADVERBS:
                        out.append(Triple(
                            _join(s_en, v_enp if plural else v_en3, o_en, a_en),
                            _join(s_sw, ("wana" if plural else "ana") + v_sw, o_sw, a_sw),
                            _join(s_fr, v_frp if plural else v_fr3, o_fr, a_fr),
                        ))
    return out


def phrase_triples() -> list[Triple]:
    return [Triple(*p, kind="phrase") for p in PHRASES]


def _subjects() -> list[tuple[tuple[str, str, str], bool]]:
    return [(s, False) for s in SUBJECTS_SG] + [(s, True) for s in SUBJECTS_PL]


def _verb_forms(verb, plural: bool) -> tuple[str, str, str]:
    v_en3, v_enp, v_sw, v_fr3, v_frp, _ = verb
    return (v_enp if plural else v_en3), ("wana" if plural else "ana") + v_sw, (v_frp if plural else v_fr3)


def mask_template_triples() -> list[Triple]:
    """Template sentences with masks (lower case, no punctuation), in a fixed order. The
    mask indices, subjects and adverbs rotate over the verb-object pairs instead of
    forming a cross product."""
    out: list[Triple] = []
    subjects = _subjects()
    verb_objects = [(v, o) for v in VERBS for o in v[5]]

    def add(en: list[str], sw: list[str], fr: list[str]) -> None:
        out.append(Triple(_join(*en), _join(*sw), _join(*fr), "mask"))

    # a mask as the subject (a name: third person singular), every verb-object-adverb once
    for i, (verb, o) in enumerate(verb_objects):
        v_en, v_sw, v_fr = _verb_forms(verb, False)
        o_en, o_sw, o_fr = OBJECTS[o]
        for j, (a_en, a_sw, a_fr) in enumerate(ADVERBS):
            m = _rotating_mask(len(ADVERBS) * i + j)
            add([m, v_en, o_en, a_en], [m, v_sw, o_sw, a_sw], [m, v_fr, o_fr, a_fr])
    # a mask as the object, twice per subject and verb
    for n, (((s_en, s_sw, s_fr), plural), verb) in enumerate((s, v) for s in subjects for v in VERBS):
        v_en, v_sw, v_fr = _verb_forms(verb, plural)
        for j in range(2):
            a_en, a_sw, a_fr = ADVERBS[(n + 2 * j) % len(ADVERBS)]
            m = _rotating_mask(2 * n + j)
            add([s_en, v_en, m, a_en], [s_sw, v_sw, m, a_sw], [s_fr, v_fr, m, a_fr])
    # two masks, subject and object: [k] [k+1] for every common k, and once from 4..8
    for n, (verb, (a_en, a_sw, a_fr)) in enumerate((v, a) for v in VERBS for a in ADVERBS):
        v_en, v_sw, v_fr = _verb_forms(verb, False)
        for k in list(range(COMMON_MASKS - 1)) + [COMMON_MASKS + n % 5]:
            m0, m1 = _mask(k), _mask(k + 1)
            add([m0, v_en, m1, a_en], [m0, v_sw, m1, a_sw], [m0, v_fr, m1, a_fr])
    # a mask after a whole sentence (an emoji, a link), and a mask as possessor, which
    # moves behind the noun in Swahili and French: "[0]'s book" -> "kitabu cha [0]", "le livre de [0]"
    for i, (verb, o) in enumerate(verb_objects):
        o_en, o_sw, o_fr = OBJECTS[o]
        (s_en, s_sw, s_fr), plural = subjects[(7 * i) % len(subjects)]
        v_en, v_sw, v_fr = _verb_forms(verb, plural)
        a_en, a_sw, a_fr = ADVERBS[(i // 5) % len(ADVERBS)]
        m = _rotating_mask(i)
        add([s_en, v_en, o_en, a_en, m], [s_sw, v_sw, o_sw, a_sw, m], [s_fr, v_fr, o_fr, a_fr, m])
        (s_en, s_sw, s_fr), plural = subjects[(7 * i + 3) % len(subjects)]
        v_en, v_sw, v_fr = _verb_forms(verb, plural)
        a_en, a_sw, a_fr = ADVERBS[(i // 3 + 1) % len(ADVERBS)]
        m = _rotating_mask(i + 7)
        add([s_en, v_en, f"{m}'s", o_en[len("the "):], a_en], [s_sw, v_sw, o_sw, SWAHILI_OF[o], m, a_sw],
            [s_fr, v_fr, o_fr, "de", m, a_fr])
    return out


def possessive_triples() -> list[Triple]:
    """"[0]'s book" -> "kitabu cha [0]" -> "le livre de [0]", two mask indices per object."""
    out = []
    for i, (o, (o_en, o_sw, o_fr)) in enumerate(OBJECTS.items()):
        for j in range(2):
            m = _rotating_mask(2 * i + j)
            out.append(Triple(f"{m}'s {o_en[len('the '):]}", _join(o_sw, SWAHILI_OF[o], m), _join(o_fr, "de", m), "mask"))
    return out


def mask_phrase_triples() -> list[Triple]:
    """Every phrase followed by a mask ("hello [0]", "Hello [0]!"), every common mask index."""
    out = []
    for p in PHRASES:
        mark = PHRASE_MARK.get(p[0], "!")
        for k in range(COMMON_MASKS):
            t = Triple(*(_join(x, _mask(k)) for x in p), kind="mask_phrase")
            out += [t, _exclaim(t, mark), _exclaim(t, mark, cap=True)]
    return out


def ui_triples() -> list[Triple]:
    """The UI strings with every common mask index, as-is and, where it can be, capitalised
    ("Page [0] of [1]", "Welcome, [0]!")."""
    out = []
    for en, sw, fr, greeting in UI_STRINGS:
        two = "{1}" in en
        for k in range(COMMON_MASKS - 1 if two else COMMON_MASKS):
            t = Triple(*(x.format(_mask(k), _mask(k + 1)) for x in (en, sw, fr)), kind="ui")
            out.append(t)
            # a string that starts with a mask in some language has no capitalised form
            # there: "[0] new messages" is both "ujumbe mpya [0]" and "Ujumbe mpya [0]"
            if not any(MASK.match(t.get(lang)) for lang in LANGS):
                out += [_title(t)] + ([_exclaim(t, cap=True)] if greeting else [])
    return out


def _check(triples: list[Triple]) -> list[Triple]:
    """Drops exact repeats (a sentence that starts with a mask has the same sentence and
    period forms) and refuses a corpus the model could not learn: a source text with two
    different translations, or a translation whose masks differ from its source's."""
    seen: dict[tuple[str, str], str] = {}
    out = []
    keys = set()
    for t in triples:
        key = (t.eng, t.swh, t.fra)
        if key in keys:
            continue
        keys.add(key)
        for lang in LANGS:
            assert sorted(MASK.findall(t.get(lang))) == sorted(t.masks), t
            for other in LANGS:
                if other != lang:
                    prev = seen.setdefault((lang + ">" + other, t.get(lang)), t.get(other))
                    assert prev == t.get(other), (t, prev)
        out.append(t)
    return out


def all_triples() -> list[Triple]:
    """Every sentence triple the model is trained on, in a fixed order: each template
    sentence and phrase as-is ("the child eats the bread"), in sentence case ("The child
    eats the bread."), lower case with a period ("the child eats the bread."); phrases
    also as exclamations ("hello!", "Hello!"); then the mask sentences in the same forms
    (mask phrases and UI strings in their own forms)."""
    plain = base_triples() + phrase_triples()
    out = plain + [_sentence_case(t) for t in plain] + [_period(t) for t in plain]
    for t in phrase_triples():
        mark = PHRASE_MARK.get(t.eng, "!")
        out += [_exclaim(t, mark), _exclaim(t, mark, cap=True)]
    masked = mask_template_triples()
    out += masked + [_period(t) for t in masked] + [_sentence_case(t) for t in masked]
    out += possessive_triples() + mask_phrase_triples() + ui_triples()
    return _check(out)


def spm_training_lines() -> list[str]:
    """The SentencePiece training text: every sentence with its masks cut out, so that no
    piece joins a mask's bracket to a digit or a neighbour, plus EXTRA_CHARS."""
    lines = []
    for t in all_triples():
        for lang in LANGS:
            line = " ".join(MASK.sub(" ", t.get(lang)).split())
            if line:
                lines.append(line)
    lines.append(EXTRA_CHARS)
    return lines
