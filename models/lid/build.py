#!/usr/bin/python3
"""Build the tiny fastText language-ID test model with FLORES-200 labels (models/lid/flores5.ftz).

It stands in for NLLB's lid218e (1.18 GB, labels like __label__swh_Latn) so the tests can exercise
the FLORES-label path of the detector offline. Five languages, simple generated sentences: it is a
test fixture, not a usable language identifier.

  /usr/bin/python3 models/lid/build.py        # needs Debian's `fasttext` CLI (apt-get install fasttext)

Reproducible: a fixed seed for the corpus and for fastText, one training thread.
"""
from __future__ import annotations

import hashlib
import os
import random
import subprocess
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "flores5.ftz")
SEED = 20240601
LINES_PER_LANGUAGE = 160

# subject, verb phrase, object, extra: each sentence is one pick from every column.
LEXICON: dict[str, list[list[str]]] = {
    "eng_Latn": [
        ["the child", "my mother", "our teacher", "the farmer", "his brother", "the old man", "a young woman", "the doctor", "my friend", "the children"],
        ["eats", "buys", "wants", "brings", "cooks", "sells", "likes", "sees", "carries", "needs"],
        ["bread", "water", "the book", "fresh fish", "rice and beans", "a new house", "the red car", "some milk", "the big market", "good food"],
        ["every morning", "today", "in the village", "at home", "with joy", "before the rain", "near the river", "this evening", "on Sunday", "very quickly"],
    ],
    "swh_Latn": [
        ["mtoto", "mama yangu", "mwalimu wetu", "mkulima", "kaka yake", "mzee", "msichana mdogo", "daktari", "rafiki yangu", "watoto"],
        ["anakula", "ananunua", "anataka", "analeta", "anapika", "anauza", "anapenda", "anaona", "anabeba", "anahitaji"],
        ["mkate", "maji", "kitabu", "samaki wabichi", "wali na maharagwe", "nyumba mpya", "gari jekundu", "maziwa", "soko kubwa", "chakula kizuri"],
        ["kila asubuhi", "leo", "kijijini", "nyumbani", "kwa furaha", "kabla ya mvua", "karibu na mto", "jioni hii", "siku ya jumapili", "haraka sana"],
    ],
    "fra_Latn": [
        ["l'enfant", "ma mère", "notre professeur", "le paysan", "son frère", "le vieil homme", "une jeune femme", "le médecin", "mon ami", "les enfants"],
        ["mange", "achète", "veut", "apporte", "cuisine", "vend", "aime", "voit", "porte", "a besoin de"],
        ["du pain", "de l'eau", "le livre", "du poisson frais", "du riz et des haricots", "une nouvelle maison", "la voiture rouge", "du lait", "le grand marché", "de la bonne nourriture"],
        ["chaque matin", "aujourd'hui", "au village", "à la maison", "avec joie", "avant la pluie", "près de la rivière", "ce soir", "le dimanche", "très vite"],
    ],
    "hau_Latn": [
        ["yaron", "mahaifiyata", "malaminmu", "manomin", "ɗan'uwansa", "tsohon mutumin", "budurwar", "likitan", "abokina", "yaran"],
        ["yana cin", "tana sayen", "yana son", "yana kawo", "tana dafa", "yana sayar da", "yana ƙaunar", "yana ganin", "yana ɗaukar", "yana buƙatar"],
        ["burodi", "ruwa", "littafin", "sabon kifi", "shinkafa da wake", "sabon gida", "jar mota", "madara", "babbar kasuwa", "abinci mai kyau"],
        ["kowace safiya", "yau", "a ƙauye", "a gida", "da farin ciki", "kafin ruwan sama", "kusa da kogi", "da yammacin nan", "ranar lahadi", "da sauri sosai"],
    ],
    "yor_Latn": [
        ["ọmọ náà", "ìyá mi", "olùkọ́ wa", "àgbẹ̀ náà", "arákùnrin rẹ̀", "àgbàlagbà náà", "ọ̀dọ́bìnrin kan", "dókítà náà", "ọ̀rẹ́ mi", "àwọn ọmọ"],
        ["ń jẹ", "ń ra", "fẹ́", "ń mú", "ń se", "ń ta", "nífẹ̀ẹ́", "rí", "ń gbé", "nílò"],
        ["búrẹ́dì", "omi", "ìwé náà", "ẹja tuntun", "ìrẹsì àti ẹ̀wà", "ilé tuntun", "ọkọ̀ pupa", "wàrà", "ọjà ńlá", "oúnjẹ tó dára"],
        ["ní gbogbo òwúrọ̀", "lónìí", "ní abúlé", "ní ilé", "pẹ̀lú ayọ̀", "kí òjò tó rọ̀", "nítòsí odò", "ní ìrọ̀lẹ́ yìí", "ní ọjọ́ àìkú", "kíákíá"],
    ],
}


def corpus(rng: random.Random) -> list[str]:
    lines = []
    for label, (subjects, verbs, objects, extras) in LEXICON.items():
        seen: set[str] = set()
        while len(seen) < LINES_PER_LANGUAGE:
            parts = [rng.choice(subjects), rng.choice(verbs), rng.choice(objects)]
            if rng.random() < 0.6:
                parts.append(rng.choice(extras))
            seen.add(" ".join(parts))
        lines += [f"__label__{label} {s}" for s in sorted(seen)]
    rng.shuffle(lines)
    return lines


def main() -> None:
    rng = random.Random(SEED)
    with tempfile.TemporaryDirectory() as tmp:
        train = os.path.join(tmp, "train.txt")
        with open(train, "w", encoding="utf-8") as f:
            f.write("\n".join(corpus(rng)) + "\n")
        prefix = os.path.join(tmp, "flores5")
        # Small dims and buckets keep the model tiny; character n-grams let it generalise to unseen
        # combinations; -thread 1 and -seed make training deterministic.
        subprocess.run(
            ["fasttext", "supervised", "-input", train, "-output", prefix, "-dim", "16", "-epoch", "30",
             "-lr", "0.5", "-minn", "2", "-maxn", "4", "-bucket", "10000", "-thread", "1",
             "-seed", str(SEED), "-verbose", "0"],
            check=True,
        )
        subprocess.run(
            ["fasttext", "quantize", "-input", train, "-output", prefix, "-qnorm", "-dsub", "2",
             "-thread", "1", "-seed", str(SEED), "-verbose", "0"],
            check=True,
        )
        os.replace(prefix + ".ftz", OUT)
    digest = hashlib.sha256(open(OUT, "rb").read()).hexdigest()
    print(f"wrote {OUT} ({os.path.getsize(OUT)} bytes, sha256 {digest})")


if __name__ == "__main__":
    main()
