"""Sentence segmentation, rule by rule, in English, French and Portuguese."""

from __future__ import annotations

import pytest

from translator.text.segmentation import join_sentences, split_sentences

CASES = {
    "en": [
        # abbreviations, initials, acronyms
        ("Dr. Smith arrived. He sat down.", ["Dr. Smith arrived.", "He sat down."]),
        ("Ask Mr. Jones and Prof. Lee. They know.", ["Ask Mr. Jones and Prof. Lee.", "They know."]),
        (
            "Paul Avrich's article from 1984 about G.T. Miasnikov is short. It is good.",
            ["Paul Avrich's article from 1984 about G.T. Miasnikov is short.", "It is good."],
        ),
        ("G. T. Miasnikov was a worker.", ["G. T. Miasnikov was a worker."]),
        ("He moved to the U.S. Army base.", ["He moved to the U.S. Army base."]),
        # ...but an acronym before a word that starts sentences ends one
        (
            "It spread in the U.S. Such underestimation is common.",
            ["It spread in the U.S.", "Such underestimation is common."],
        ),
        (
            "The review was by Whitby et al. Commercial devices exist.",
            ["The review was by Whitby et al.", "Commercial devices exist."],
        ),
        ("Whitby et al. (2008) found it.", ["Whitby et al. (2008) found it."]),
        (
            "Rallies start at 7 p.m. ET tonight. At 8 p.m. The show begins.",
            ["Rallies start at 7 p.m. ET tonight.", "At 8 p.m.", "The show begins."],
        ),
        ("Apples, pears, etc. are fruit.", ["Apples, pears, etc. are fruit."]),
        (
            "Apples, pears, etc. The next day it rained.",
            ["Apples, pears, etc.", "The next day it rained."],
        ),
        (
            "See p. 9 and no. 5 for more. No. It is there.",
            ["See p. 9 and no. 5 for more.", "No.", "It is there."],
        ),
        ("No, no. What they said is fake.", ["No, no.", "What they said is fake."]),
        # numbers and ordinals
        ("It cost 1.5 million. Then it fell.", ["It cost 1.5 million.", "Then it fell."]),
        ("It happened in 1917. 1918 was worse.", ["It happened in 1917.", "1918 was worse."]),
        ("On the 19th he left. He came back.", ["On the 19th he left.", "He came back."]),
        # quotes, ellipses, questions
        (
            "We want “total freedom.” Next came the war.",
            ["We want “total freedom.”", "Next came the war."],
        ),
        ('He said "Stop." Then he left.', ['He said "Stop."', "Then he left."]),
        ("Wait… what? Wait... What? Yes!", ["Wait… what?", "Wait...", "What?", "Yes!"]),
        ("Really? yes, really.", ["Really? yes, really."]),
        ("He wrote that […] The Party was wrong.", ["He wrote that […] The Party was wrong."]),
        # footnote calls
        (
            "It appeared in Catalan.[1] It offers a timeline.",
            ["It appeared in Catalan.[1]", "It offers a timeline."],
        ),
        (
            "Smaller than the POUM.2 They weren’t attentive.",
            ["Smaller than the POUM.2", "They weren’t attentive."],
        ),
        ("A “quote.”3 Then more.", ["A “quote.”3", "Then more."]),
        ("Version 3.2 Beta is out.", ["Version 3.2 Beta is out."]),
        # URLs, e-mails, list markers
        (
            "Visit https://example.org/a.b?c=d. Or write to a.b@example.org. Thanks.",
            ["Visit https://example.org/a.b?c=d.", "Or write to a.b@example.org.", "Thanks."],
        ),
        ("1. Introduction to the method.", ["1. Introduction to the method."]),
        ("IV. Results", ["IV. Results"]),
        (
            "Two points: 1. In the national struggles. 2. In the stages.",
            ["Two points: 1. In the national struggles.", "2. In the stages."],
        ),
    ],
    "fr": [
        (
            "Prenez la vitamine D. Des études sont en cours.",
            ["Prenez la vitamine D.", "Des études sont en cours."],
        ),
        ("Lisez É. Zola. Il écrit bien.", ["Lisez É. Zola.", "Il écrit bien."]),
        ("M. Dupont est arrivé. Il dort.", ["M. Dupont est arrivé.", "Il dort."]),
        ("Mme Durand et Mlle Roy sont là. Bien.", ["Mme Durand et Mlle Roy sont là.", "Bien."]),
        ("Des fruits, p. ex. des pommes. Voilà.", ["Des fruits, p. ex. des pommes.", "Voilà."]),
        ("Des fruits, etc. Le lendemain il plut.", ["Des fruits, etc.", "Le lendemain il plut."]),
        ("Au XIXe siècle. Au 1er rang.", ["Au XIXe siècle.", "Au 1er rang."]),
        ("Il mesure 3,5 m. Voilà.", ["Il mesure 3,5 m.", "Voilà."]),
        (
            "Il est parti. À demain. Ça va. É. Zola écrit.",
            ["Il est parti.", "À demain.", "Ça va.", "É. Zola écrit."],
        ),
        ("« Oui. » Il partit.", ["« Oui. »", "Il partit."]),
        ("«\u00a0Oui.\u00a0» Il partit.", ["«\u00a0Oui.\u00a0»", "Il partit."]),
        ("Quoi\u00a0? Non\u00a0! Bon.", ["Quoi\u00a0?", "Non\u00a0!", "Bon."]),
        ("Quoi ? Non ! Bon.", ["Quoi ?", "Non !", "Bon."]),
        ("— Bonjour. — Salut.", ["— Bonjour.", "— Salut."]),
        ("— C’est affreux! s’écria-t-elle. — Oui.", ["— C’est affreux! s’écria-t-elle.", "— Oui."]),
        ("Il dit : « Je viens. » Puis il vint.", ["Il dit : « Je viens. »", "Puis il vint."]),
        ("En 52 av. J.-C. César gagna.", ["En 52 av. J.-C. César gagna."]),
    ],
    "pt": [
        (
            "Surgiu por volta de 3000 a.C. O grande número de espécies explica.",
            ["Surgiu por volta de 3000 a.C.", "O grande número de espécies explica."],
        ),
        ("Em 44 a.C. César morreu.", ["Em 44 a.C. César morreu."]),
        (
            "Houve recombinação na proteína S. De acordo com um estudo, foi isso.",
            ["Houve recombinação na proteína S.", "De acordo com um estudo, foi isso."],
        ),
        (
            "O Sr. Silva e a Sra. Costa chegaram. Bom.",
            ["O Sr. Silva e a Sra. Costa chegaram.", "Bom."],
        ),
        ("Frutas, p. ex. maçãs. Pronto.", ["Frutas, p. ex. maçãs.", "Pronto."]),
        ("O n.º 5 e a 2.ª edição. O 1.º lugar.", ["O n.º 5 e a 2.ª edição.", "O 1.º lugar."]),
        ("No séc. XIX. Depois veio o séc. XX.", ["No séc. XIX.", "Depois veio o séc. XX."]),
        (
            "No século V a.C. os gregos. Em 44 a.C. César morreu.",
            ["No século V a.C. os gregos.", "Em 44 a.C. César morreu."],
        ),
        ("Até 300 d.C. Ó céus! É verdade.", ["Até 300 d.C. Ó céus!", "É verdade."]),
        ("Custa 3,5 euros. Ótimo.", ["Custa 3,5 euros.", "Ótimo."]),
        ("— Olá. — Adeus.", ["— Olá.", "— Adeus."]),
        ("Frutas, etc. Amanhã chove.", ["Frutas, etc.", "Amanhã chove."]),
    ],
}


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [(language, text, expected) for language, cases in CASES.items() for text, expected in cases],
)
def test_split_sentences(language: str, text: str, expected: list[str]) -> None:
    assert split_sentences(text, language) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<em>One. Two.</em> Three.", ["<em>One. Two.</em>", "Three."]),
        ("One.<em> Two.</em> Three.", ["One.<em> Two.</em>", "Three."]),
        ("<em>One.</em> <strong>Two.</strong>", ["<em>One.</em>", "<strong>Two.</strong>"]),
        (
            'See <a href="http://x.org/a. B">this. Here</a>. Done.',
            ['See <a href="http://x.org/a. B">this. Here</a>.', "Done."],
        ),
        ("It was POUM.<sup>2</sup> They left.", ["It was POUM.<sup>2</sup>", "They left."]),
        (
            "He said &quot;Stop.&quot; Then &amp; now.",
            ["He said &quot;Stop.&quot;", "Then &amp; now."],
        ),
        ("One.<br>Two. Three.", ["One.<br>Two.", "Three."]),
        ("One. </em>Two. <em>Three.", ["One.", "</em>Two.", "<em>Three."]),
        ("Use <code>a. B</code> here. Done.", ["Use <code>a. B</code> here.", "Done."]),
    ],
)
def test_markup_is_never_cut(text: str, expected: list[str]) -> None:
    assert split_sentences(text, "en") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", []),
        (" \t\n ", []),
        ("...", ["..."]),
        ("?! ...", ["?! ..."]),
        ("  One.\n\nTwo.  ", ["One.", "Two."]),
        ("One.   Two.", ["One.", "Two."]),
        ("\u00a0One.\u00a0 Two.", ["\u00a0One.\u00a0", "Two."]),
        ("Hi 🙂. Ok 👍!", ["Hi 🙂.", "Ok 👍!"]),
        ("שלום. Hello.", ["שלום.", "Hello."]),
        ("Hello. שלום.", ["Hello.", "שלום."]),
    ],
)
def test_whitespace_and_odd_text(text: str, expected: list[str]) -> None:
    assert split_sentences(text, "en") == expected


@pytest.mark.parametrize("language", ["pt-BR", "PT", "pt_PT", "pt-Latn-BR"])
def test_only_the_primary_subtag_matters(language: str) -> None:
    assert split_sentences("O Sr. Silva chegou. Bom.", language) == ["O Sr. Silva chegou.", "Bom."]


@pytest.mark.parametrize("language", ["eo", "sw", "uk", "und", "x-klingon", "tlh", "ko", "ar"])
def test_unknown_languages_get_the_generic_rules(language: str) -> None:
    text = "J. Smith wrote it. Dr. Jones agreed. Next one."
    assert split_sentences(text, language) == [
        "J. Smith wrote it.",
        "Dr. Jones agreed.",
        "Next one.",
    ]


def test_other_scripts() -> None:
    assert split_sentences("Привет. Как дела? Хорошо.", "ru") == ["Привет.", "Как дела?", "Хорошо."]
    assert split_sentences("مرحبا. كيف حالك؟ بخير.", "ar") == ["مرحبا.", "كيف حالك؟", "بخير."]
    assert split_sentences("यह है। वह है।", "hi") == ["यह है।", "वह है।"]


def test_chinese_and_japanese_need_no_space() -> None:
    text = "你好。再见！“他说。”然后走了。<em>好。</em>对？ 是。"
    sentences = split_sentences(text, "zh-Hans")
    assert sentences == ["你好。", "再见！", "“他说。”然后走了。", "<em>好。</em>", "对？", "是。"]
    assert join_sentences(sentences, "zh") == text.replace("？ ", "？")
    assert split_sentences("「はい。」と言った。そうだ。", "ja") == [
        "「はい。」と言った。",
        "そうだ。",
    ]
    # Other languages do not split without a space.
    assert split_sentences("你好。再见！", "en") == ["你好。再见！"]


def test_join_sentences_is_the_inverse() -> None:
    text = "One. Two?  Three!"
    assert join_sentences(split_sentences(text, "en"), "en") == "One. Two? Three!"
    assert join_sentences([], "fr") == ""
