"""The rubric on what real CVs say: ML work or none, outcomes that are not numbers, evidence
that is really ML, summaries, off-target content, typos, fixes that fit the line, and scores
that tell targets apart. Each rule is tested on classes of wordings, both ways."""

from __future__ import annotations

import pytest

import tailor
from tailor.critic.model import Critique, Finding
from tailor.cv.lines import has_outcome
from tailor.rules import SEVERITY_ORDER
from tailor.spelling import misspellings
from tests.conftest import EXAMPLES, cv_from_markdown

TARGETS = ("frontier-lab", "production-ml", "startup")


EDUCATION = (
    "\n## Education\n- MSc Computer Science, Example University, 2014 – 2016. Thesis on "
    "learning from noisy labels, supervised in the machine learning group, with coursework "
    "in statistics, optimisation, distributed systems, databases and software engineering. "
    "Teaching assistant for the second-year course on algorithms and data structures, running "
    "weekly tutorials, marking assignments and holding office hours for about a hundred "
    "students each term, and a member of the university's robotics society, where I built "
    "the line-following robot's controller and wrote the club's guide for new members.\n"
)


def one_role(*bullets: str, summary: str = "", skills: str = "Python", extra: str = "") -> str:
    """A Markdown CV with one role holding `bullets`."""
    lines = "\n".join(f"- {b}" for b in bullets)
    about = f"## Summary\n{summary}\n\n" if summary else ""
    return (
        f"# Noor Haddad\nnoor@example.com · https://github.com/noor-example\n\n{about}"
        f"## Experience\n### Engineer — Quillfield\n*2020 – 2024*\n{lines}\n\n"
        f"## Skills\n- {skills}\n{extra}"
    )


def findings(text: str, rule: str, target: str = "frontier-lab") -> list[Finding]:
    critique = tailor.critique(cv_from_markdown(text), target)
    return [f for f in critique.findings if f.rule == rule]


def scores(text: str) -> dict[str, int]:
    cv = cv_from_markdown(text)
    return {target: tailor.critique(cv, target).score for target in TARGETS}


# -- ML work, or none ------------------------------------------------------------------------

ML_WORK = [
    "Trained a gradient-boosted churn model on 2M accounts.",
    "Fine-tuned Llama 3 with LoRA for contract extraction.",
    "Built a retrieval-augmented assistant over 40,000 support tickets.",
    "Served the ranking model behind search at 3,000 requests a second.",
    "Evaluated three speech recognition models on accented English.",
    "Wrote the PyTorch data loaders for the vision team.",
    "Researched sparse attention for long documents.",
    "Shipped an XGBoost fraud classifier inside the checkout flow.",
    "Built the object detection pipeline for shelf photos.",
]
NO_ML_WORK = [
    "Ran the Elasticsearch cluster of 9 nodes behind product search.",
    "Built Grafana dashboards for the payments team's weekly review.",
    "Migrated 40 services from Jenkins to GitHub Actions.",
    "Wrote SQL reports on store sales for the regional managers.",
    "Built the React checkout page used by 200,000 shoppers a month.",
    "Designed the data model for the billing database.",
    "Automated Terraform plans for the service mesh rollout.",
    "Ran A/B test readouts for the growth team in Looker.",
]


@pytest.mark.parametrize("bullet", ML_WORK)
def test_a_line_of_ml_work_is_ml_evidence(bullet: str) -> None:
    assert findings(one_role(bullet), "no-ml-evidence") == []


@pytest.mark.parametrize("bullet", NO_ML_WORK)
def test_infrastructure_analytics_and_web_work_is_not_ml_evidence(bullet: str) -> None:
    assert [f.severity for f in findings(one_role(bullet), "no-ml-evidence")] == ["high"]


def test_a_cv_with_no_ml_work_scores_low_for_every_target_and_is_told_so() -> None:
    devops = one_role(
        *NO_ML_WORK[:3], skills="PyTorch, TensorFlow, Kubernetes, Terraform", summary=""
    )
    cv = cv_from_markdown(devops)
    for target in TARGETS:
        critique = tailor.critique(cv, target)
        assert critique.score < 40, (target, critique.score)
        assert "shows no ML work at all" in critique.summary
    # the skills list alone is not ML work: naming PyTorch is not training a model
    assert findings(devops, "no-ml-evidence")


# -- outcomes that are not numbers -------------------------------------------------------

NOT_NUMBERS = [
    "Won first place at the Example Hackathon with a speech demo.",
    "Successfully won the regional robotics challenge.",
    "Awarded 'Engineer of the Quarter' for the search rebuild.",
    "Holds the current course record for the campus half marathon.",
    "Paper accepted at EMNLP as an oral presentation.",
    "Selected for the company's ML residency from 900 applicants.",
    "Adopted by three product teams as their default evaluation harness.",
    "The annotation tool is used daily by the support team.",
    "Received the best paper award at the Example Workshop.",
    "Named a finalist in the national AI challenge.",
    "Findings written up at Interspeech 2024.",
]
NO_OUTCOME = [
    "Wrote the evaluation harness for the search team.",
    "Added a Streamlit page that shows the top three predictions.",
    "Mentored 4 interns on the recommendations team.",
    "Prepared the documentation for the EN 303 645 audit.",
    "Fine-tuned a Llama 3 8B model for contract review.",
    "Reviewed pull requests with 3 other engineers.",
]


@pytest.mark.parametrize("bullet", NOT_NUMBERS)
def test_a_win_an_award_a_record_an_acceptance_or_an_adoption_is_an_outcome(bullet: str) -> None:
    assert has_outcome(bullet)
    assert findings(one_role(bullet), "missing-metrics") == []


@pytest.mark.parametrize("bullet", NO_OUTCOME)
def test_a_line_with_only_a_count_a_code_or_a_model_size_has_no_outcome(bullet: str) -> None:
    assert not has_outcome(bullet)
    assert [f.quote for f in findings(one_role(bullet), "missing-metrics")] == [bullet]


@pytest.mark.parametrize(
    "bullet",
    [
        "Cut fine-tuning time for new languages from a week to a day.",
        "Bad dashboards went from about one a week to one a quarter.",
        "Caught a shifted feature and rolled back within an hour.",
        "Found a 9-point accuracy gap between two tokenizers.",
    ],
)
def test_a_time_or_a_frequency_in_words_is_a_measured_outcome(bullet: str) -> None:
    assert has_outcome(bullet)


def test_a_best_paper_award_is_credited_as_a_strength() -> None:
    text = one_role(
        ML_WORK[0], extra="\n## Awards\n- Best Paper Award, Example Workshop on Speech, 2023\n"
    )
    strengths = tailor.critique(cv_from_markdown(text), "frontier-lab").strengths
    assert any(s.startswith("Shows recognition") and "Best Paper" in s for s in strengths)


# -- evidence that is really ML ------------------------------------------------------------


@pytest.mark.parametrize(
    "bullet",
    [
        "Ran the ES cluster which has 9 nodes, serving 2M queries a day.",
        "Operated a Kafka cluster of 12 nodes for 40 teams.",
        "Rolled out Istio across a 30-node Kubernetes cluster.",
        "Sharded the Postgres database over 6 hosts.",
        "Served Llama 70B tensor-parallel across 8 GPUs per replica.",
    ],
)
def test_a_cluster_that_does_not_train_is_not_distributed_training(bullet: str) -> None:
    assert findings(one_role(ML_WORK[0], bullet), "no-distributed-training")


@pytest.mark.parametrize(
    "bullet",
    [
        "Trained a 7B model on 64 A100s.",
        "Fine-tuned Llama on 8 GPUs across 2 nodes.",
        "Pretrained a speech encoder on a TPU v4 pod.",
        "Scaled training with FSDP.",
        "Trained the vision model with data parallelism on one host.",
        "Trained with tensor parallelism across 4 nodes.",
    ],
)
def test_training_across_accelerators_is_distributed_training(bullet: str) -> None:
    assert findings(one_role(bullet), "no-distributed-training") == []


def header_links(*links: str) -> str:
    """A CV with ML work whose only links are `links`, in the header."""
    return (
        f"# Noor Haddad\nnoor@example.com · {' · '.join(links)}\n\n"
        f"## Experience\n### Engineer — Quillfield\n*2020 – 2024*\n- {ML_WORK[0]}\n"
    )


@pytest.mark.parametrize(
    "link",
    [
        "https://soundcloud.com/noor-beats",
        "soundcloud.com/noor-beats",
        "https://www.instagram.com/noor.shoots",
        "https://www.flickr.com/photos/noor",
        "https://open.spotify.com/artist/123",
        "https://www.linkedin.com/in/noor",
        "https://x.com/noor",
    ],
)
def test_music_photos_and_social_media_are_not_links_to_work(link: str) -> None:
    assert findings(header_links(link), "missing-links")


@pytest.mark.parametrize(
    "link",
    [
        "https://github.com/noor-example",
        "github.com/noor-example",
        "scholar.google.com/citations?user=abc",
        "orcid.org/0000-0002-1825-0097",
        "noor.dev",
        "noor-example.io/projects",
        "https://arxiv.org/abs/2401.00001",
        "kaggle.com/noorhaddad",
    ],
)
def test_code_papers_scholar_and_a_portfolio_are_links_to_work(link: str) -> None:
    assert findings(header_links(link), "missing-links") == []


def test_user_counts_anywhere_in_the_entry_make_a_shipped_product() -> None:
    text = (
        "# Noor Haddad\nnoor@example.com · https://github.com/noor\n\n## Experience\n"
        "### Engineer — Listenly\n*2020 – 2024*\n"
        "Listenly is a podcast service with 3.6 million users.\n\n"
        f"- Shipped the recommendations feed.\n- {ML_WORK[0]}\n"
    )
    assert findings(text, "no-shipped-product", "startup") == []
    strengths = tailor.critique(cv_from_markdown(text), "startup").strengths
    assert (
        'Shows a shipped product with users: "Shipped the recommendations feed. … Listenly is a '
        'podcast service with 3.6 million users."'
    ) in strengths
    # in another role, the users are not this launch's
    apart = text.replace("- Shipped", "### Engineer — Elsewhere\n*2018 – 2020*\n- Shipped")
    assert findings(apart, "no-shipped-product", "startup")


@pytest.mark.parametrize(
    "bullet",
    [
        "Put the risk score into the checkout; 4,200 merchants use it to hold orders.",
        "Maintenance crews plan their weekly inspections from its ranking.",
        "300 customer-service agents work from the console it feeds.",
        "The internal research platform is used daily by 30 researchers.",
    ],
)
def test_people_who_act_on_the_output_make_production_and_a_shipped_product(bullet: str) -> None:
    text = one_role(bullet, "Trained a churn model in PyTorch.")
    assert findings(text, "no-production-evidence") == []
    assert findings(text, "no-shipped-product", "startup") == []


@pytest.mark.parametrize(
    ("listed", "bullet"),
    [
        ("PyTorch", "Trained a 7B model with FSDP on 64 A100s."),
        ("PostgreSQL", "Served embeddings from pgvector for 2M documents."),
        ("PyTorch FSDP", "Trained a 7B model with FSDP on 64 A100s."),
        ("deep learning", "Trained the vision model in Flax."),
    ],
)
def test_a_narrower_tool_shown_implies_the_listed_skill(listed: str, bullet: str) -> None:
    text = one_role(bullet, skills=f"{listed}, Tableau")
    (finding,) = findings(text, "technique-list")
    assert finding.items == ["Tableau"]


def test_a_broader_skill_shown_does_not_imply_a_narrower_listed_one() -> None:
    text = one_role("Trained a ranking model in PyTorch.", skills="PyTorch, FSDP")
    (finding,) = findings(text, "technique-list")
    assert finding.items == ["FSDP"]


def test_a_long_skills_list_gives_one_finding_naming_every_unshown_item() -> None:
    listed = [f"Tool{i}" for i in range(28)]
    text = one_role(ML_WORK[0], skills=", ".join(listed))
    (finding,) = findings(text, "technique-list")
    assert finding.items == listed
    assert "(28 of 28 listed)" in finding.message and '"Tool27"' in finding.message


# -- the summary -----------------------------------------------------------------------------

CLICHES = [
    "Passionate machine learning enthusiast and hard-working team player.",
    "Results-driven, detail-oriented self-starter who thrives in dynamic environments.",
    "Noor is an ML engineer with six years of experience in fraud detection.",
    "She has built models for banks and insurers and loves a challenge.",
    "Seeking a challenging role where I can leverage my skills and grow.",
    "Motivated professional eager to learn and contribute to a great team.",
]
PLAIN_SUMMARIES = [
    "ML engineer; built the fraud model that scores 4,000 payments a second.",
    "I train and serve speech recognition models for call centres.",
    "Six years on search ranking at a marketplace, from features to serving.",
    "Research engineer working on sparse attention and long-context evaluation.",
]


@pytest.mark.parametrize("summary", CLICHES)
def test_a_summary_of_cliches_or_in_the_third_person_is_a_finding(summary: str) -> None:
    (finding,) = findings(one_role(ML_WORK[0], summary=summary), "cliche-summary")
    assert finding.quote and finding.quote in summary and finding.line == 5


@pytest.mark.parametrize("summary", PLAIN_SUMMARIES)
def test_a_plain_specific_summary_is_not_a_finding(summary: str) -> None:
    assert findings(one_role(ML_WORK[0], summary=summary), "cliche-summary") == []


def test_a_cv_without_a_summary_is_not_told_its_summary_is_a_cliche() -> None:
    assert findings(one_role(ML_WORK[0]), "cliche-summary") == []


# -- content an ML CV does better without -------------------------------------------------

OFF_TARGET = [
    ("\n## Interests\n- Hiking, chess, jazz piano\n", "Interests"),
    ("\n## Hobbies\n- Sourdough\n", "Hobbies"),
    ("\nReferences available upon request\n", "References available upon request"),
    ("\nReferees available on request.\n", "Referees available on request."),
    ("\nDate of birth: 01/02/1990\n", "Date of birth: 01/02/1990"),
    ("\nMarital status: married\n", "Marital status: married"),
    ("\nNationality: Examplish | Religion: none\n", "Nationality: Examplish | Religion: none"),
    ("\nPhoto: attached\n", "Photo: attached"),
]
ON_TARGET = [
    "\n## Languages\n- English, Arabic\n",
    "\n## Research Interests\n- Sparse attention\n",
    "\nWork authorisation: UK and EU\n",
    "\n## Projects\n### MenuLens\n- Photo-to-menu translation app used by 2,000 diners.\n",
    "\nBorn to build: side projects at noor.dev\n",
]


@pytest.mark.parametrize(("extra", "quote"), OFF_TARGET)
def test_interests_references_and_personal_details_are_off_target(extra: str, quote: str) -> None:
    found = findings(one_role(ML_WORK[0], extra=extra), "off-target-content")
    assert [f.quote for f in found] == [quote]
    assert found[0].line is not None and found[0].severity == "low"


@pytest.mark.parametrize("extra", ON_TARGET)
def test_languages_research_interests_and_work_rights_are_not_off_target(extra: str) -> None:
    assert findings(one_role(ML_WORK[0], extra=extra), "off-target-content") == []


# -- typos -------------------------------------------------------------------------------------

TYPOS = [
    ("Recieved the feature requests from the sales team.", "recieved", "received"),
    ("Improved managment of the labelling queue.", "managment", "management"),
    ("Set up the staging enviroment for the model.", "enviroment", "environment"),
    ("Sucessfully moved scoring to spot instances.", "sucessfully", "successfully"),
    ("Kept a seperate holdout set for the audit.", "seperate", "separate"),
    ("Rebuilt the the nightly export.", "the the", "the"),
    ("Cut errors accross the ingestion jobs.", "accross", "across"),
]
NOT_TYPOS = [
    "Tokenized 2M documents for the retriever and reranker.",
    "Containerised the dataloader and the backend microservices.",
    "Finetuned the pretrained encoder; deduplicated the dataset.",
    "Organised the team's hyperparameter sweeps on the autoscaling cluster.",
    "Moved the centre's colour-calibration runbooks to the monorepo.",
    "Built Routa, a router for sparse attention; routa is on PyPI.",
    "That that works was never in doubt.",
]


@pytest.mark.parametrize(("bullet", "word", "correction"), TYPOS)
def test_a_misspelt_or_doubled_word_is_a_typo(bullet: str, word: str, correction: str) -> None:
    (finding,) = findings(one_role(bullet), "typo")
    assert finding.quote == word and f'"{correction}"' in finding.message
    assert finding.line == 7


@pytest.mark.parametrize("bullet", NOT_TYPOS)
def test_technical_words_british_spelling_and_the_cvs_own_names_are_not_typos(bullet: str) -> None:
    assert findings(one_role(bullet), "typo") == []


def test_a_cv_in_another_language_is_not_spell_checked() -> None:
    french = (
        "Responsable de la conception des modèles de détection de fraude pour la banque "
        "régionale et ses agences; mise en place des tableaux de bord, suivi des performances "
        "mensuelles, formation des équipes internes et rédaction de la documentation technique "
        "pour les auditeurs externes, avec une attention particulière portée aux données."
    )
    assert [m.word for m in misspellings([french])] == []


def test_spell_checking_stays_bounded_on_a_huge_pathological_text() -> None:
    text = " ".join(f"zqxw{chr(97 + i % 26)}{i}" for i in range(60_000))
    assert misspellings([text]) == []


# -- fixes that fit the line ---------------------------------------------------------------


@pytest.mark.parametrize(
    "bullet",
    [
        "Redesigned the onboarding process for new engineers.",
        "Wrote the runbooks for the inference on-call rotation.",
        "Ran the hiring interviews for the platform team.",
        "Evaluated three service mesh options for the platform team.",
        "Compared Istio and Linkerd for the cluster.",
        "Led the migration of the Kubernetes cluster to a new cloud region.",
    ],
)
def test_a_fix_never_asks_a_process_evaluation_or_infra_line_for_money(bullet: str) -> None:
    (finding,) = findings(one_role(bullet), "missing-metrics")
    assert "money" not in finding.suggestion and "GPU-hours" not in finding.suggestion


@pytest.mark.parametrize(
    ("bullet", "asks"),
    [
        ("Moved batch scoring to spot instances to lower the cloud bill.", "GPU-hours"),
        ("Rebuilt the nightly Airflow pipeline for the pricing team.", "data volume"),
        ("Rewrote the serving API for the ranking model.", "latency"),
        ("Evaluated three speech models for the call centre.", "what it found or decided"),
        ("Redesigned the onboarding process for new engineers.", "time saved"),
        ("Launched the mobile app for our riders.", "users or customers"),
    ],
)
def test_a_fix_asks_for_what_the_line_is_about(bullet: str, asks: str) -> None:
    (finding,) = findings(one_role(bullet), "missing-metrics")
    assert asks in finding.suggestion


# -- scores that tell targets apart ---------------------------------------------------------

RESEARCH = one_role(
    "Trained a 7B language model with FSDP on 256 A100s, reaching 44% MFU.",
    "Published an ablation of attention sparsity at NeurIPS 2023 (arxiv.org/abs/2301.00001).",
    "Designed a new optimiser for pretraining that cut loss spikes by 80%.",
    "Open-sourced the evaluation harness on GitHub; 2,000 stars.",
    skills="PyTorch, JAX",
    extra=EDUCATION,
)
PRODUCTION = one_role(
    "Deployed the fraud model serving 4,000 requests per second at 35 ms p99 latency.",
    "Rebuilt the nightly Airflow pipeline with data validation and drift alerts; failures fell from 6 a month to 0.",
    "Added monitoring and automatic retraining to the Spark feature pipeline; 0 stale features in 2024.",
    "Cut inference cost by $14,000 a month by batching requests on Kubernetes.",
    skills="PyTorch, Airflow, Spark, Kubernetes",
    extra=EDUCATION,
)
STARTUP = one_role(
    "Shipped the first version of the receipt-scanning app in 5 weeks; 40,000 users in a month.",
    "Launched an LLM-powered support assistant to 1,200 paying customers; retention rose 9%.",
    "Owned the product end-to-end, from data and model to the API and the full-stack app.",
    "Released a new MVP every two weeks; revenue grew 3x in a year.",
    skills="Python, FastAPI, React",
    extra=EDUCATION,
)


@pytest.mark.parametrize(
    ("text", "best"),
    [(RESEARCH, "frontier-lab"), (PRODUCTION, "production-ml"), (STARTUP, "startup")],
)
def test_a_strong_cv_scores_highest_where_its_evidence_lies(text: str, best: str) -> None:
    got = scores(text)
    assert max(got, key=lambda target: got[target]) == best, got
    assert len(set(got.values())) == 3, got  # three targets, three different scores


def test_the_verdict_comes_first_and_names_what_the_target_values() -> None:
    critique: Critique = tailor.critique(cv_from_markdown(PRODUCTION), "production-ml")
    assert critique.summary.startswith(f"Production-ML company: a strong fit ({critique.score}/100")
    assert "reliable pipelines on messy real-world data" in critique.summary
    weak: Critique = tailor.critique(cv_from_markdown(PRODUCTION), "frontier-lab")
    assert "nothing yet on" in weak.summary.lower() and "First fix: no-" in weak.summary
    assert "It nothing" not in weak.summary  # "Nothing yet on ..." when nothing is shown


def test_each_finding_says_how_many_points_fixing_it_is_worth() -> None:
    critique = tailor.critique(cv_from_markdown(PRODUCTION), "frontier-lab")
    points = {f.rule: f.points for f in critique.findings}
    assert points["no-distributed-training"] is not None and points["no-distributed-training"] > 5
    assert all(isinstance(p, int) and p >= 0 for p in points.values())


def test_strengths_that_quote_the_same_line_are_said_once() -> None:
    line = "Deployed the fraud model serving 4,000 requests per second at 35 ms p99 latency."
    strengths = tailor.critique(cv_from_markdown(one_role(line)), "frontier-lab").strengths
    quoting = [s for s in strengths if line in s]
    assert quoting == [f'Shows production work and a performance win in numbers: "{line}"']


@pytest.mark.parametrize(
    "bullet",
    [
        "Gated every model release on a week of silent scoring beside the incumbent.",
        "Built the release pipeline: a canary stage watches error rate and rolls back by itself.",
        "Added a daily Spark job that holds the model push when feature coverage moves.",
        "Wrote the corpus builder that drops unusable clips and picks up from the last shard.",
        "Rebuilt the nightly Airflow pipeline with schema validation and drift alerts.",
    ],
)
def test_a_pipeline_made_reliable_in_other_words_is_pipeline_reliability(bullet: str) -> None:
    assert findings(one_role(bullet), "no-pipeline-reliability", "production-ml") == []


@pytest.mark.parametrize(
    "bullet",
    [
        "Built the nightly Airflow pipeline that feeds the sales forecasts.",
        "Gated the office door with a badge reader.",
        "Wrote the release notes for every model release.",
    ],
)
def test_a_pipeline_without_a_safeguard_is_not_pipeline_reliability(bullet: str) -> None:
    assert findings(one_role(bullet), "no-pipeline-reliability", "production-ml")


def test_a_compound_that_holds_a_cliche_word_is_not_one() -> None:
    summary = "Data-driven engineer building self-driven fleet forecasts on dedicated-GPU clusters."
    assert findings(one_role(ML_WORK[0], summary=summary), "cliche-summary") == []


@pytest.mark.parametrize(
    "extra",
    [
        "\n**Date of birth:** 01/02/1990\n",
        "\n- Nationality: Examplish\n",
        "\nLondon  ·  Age: 34  ·  noor@example.com\n",
    ],
)
def test_a_personal_detail_is_found_in_any_part_of_a_line(extra: str) -> None:
    assert findings(one_role(ML_WORK[0], extra=extra), "off-target-content")


def test_with_a_posting_the_first_fix_is_named_from_every_finding() -> None:
    cv = tailor.load_cv(EXAMPLES / "casey-morgan.md")
    posting = tailor.load_posting(EXAMPLES / "postings" / "startup-inference.md")
    critique = tailor.critique(cv, "startup", posting=posting)
    assert critique.summary.count("First fix:") == 1
    most_severe = min(critique.findings, key=lambda f: SEVERITY_ORDER[f.severity])
    assert critique.summary.split("First fix: ")[1].startswith(most_severe.rule[:8])
