"""Synthetic English / Swahili / French parallel corpus.

Sentences are generated from small aligned word lists and a few templates
("SUBJECT VERB OBJECT [ADVERB]") plus a handful of fixed phrases, so that a tiny
model can learn them well enough for its greedy output to be checkable.
Everything here is deterministic: the corpus is the full cross product, in a fixed
order; sampling during training uses a seeded RNG.
"""
from __future__ import annotations

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

# A line of characters that the tokenizer should know even though the sentences
# above do not use them all (digits, punctuation, accented Latin letters).
EXTRA_CHARS = (
    "0 1 2 3 4 5 6 7 8 9 10 100 2024 . , ; : ! ? ' \" ( ) - / % & + = @ # * "
    "a b c d e f g h i j k l m n o p q r s t u v w x y z "
    "A B C D E F G H I J K L M N O P Q R S T U V W X Y Z "
    "à â ä ç é è ê ë î ï ô ö ù û ü ÿ œ æ À Â Ç É È Ê Î Ô Û Œ ñ"
)


@dataclass(frozen=True)
class Triple:
    eng: str
    swh: str
    fra: str

    def get(self, lang: str) -> str:
        return {"eng_Latn": self.eng, "swh_Latn": self.swh, "fra_Latn": self.fra}[lang]


def _sentence_case(t: Triple) -> Triple:
    def cap(s: str) -> str:
        return s[0].upper() + s[1:] + "."
    return Triple(cap(t.eng), cap(t.swh), cap(t.fra))


def _join(*parts: str) -> str:
    return " ".join(p for p in parts if p)


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
    return [Triple(*p) for p in PHRASES]


def all_triples() -> list[Triple]:
    """Every sentence triple the model is trained on: each template sentence and
    phrase both as-is ("the child eats the bread") and in sentence case
    ("The child eats the bread.")."""
    base = base_triples() + phrase_triples()
    return base + [_sentence_case(t) for t in base]


def spm_training_lines() -> list[str]:
    lines = []
    for t in all_triples():
        lines.extend([t.eng, t.swh, t.fra])
    lines.append(EXTRA_CHARS)
    return lines
