"""The `tailor` command as a user runs it: its exit codes, its stderr (the entry point itself and
a real stdin through a process of its own: `run_tailor_process`)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from subprocess import CompletedProcess

import pytest

import tailor
from tailor.critic.model import Critique
from tests.conftest import EXAMPLES

Run = Callable[..., CompletedProcess[str]]
EXAMPLE = str(EXAMPLES / "jordan-reyes.md")


def test_json_output_is_the_critique_model(run_tailor: Run) -> None:
    result = run_tailor("critique", EXAMPLE, "--target", "anthropic", "--format", "json")
    assert result.returncode == 0, result.stderr
    critique = Critique.model_validate_json(result.stdout)
    assert critique.target == "frontier-lab"
    assert critique.provider == "offline"
    payload = json.loads(result.stdout)
    assert set(payload) >= {"score", "findings", "target", "provider"}
    for finding in payload["findings"]:
        assert set(finding) >= {"rule", "severity", "quote", "message", "suggestion"}
    assert critique == tailor.critique(tailor.load_cv(EXAMPLE), "anthropic")


def test_all_bundled_targets_when_none_is_given(run_tailor: Run) -> None:
    result = run_tailor("critique", EXAMPLE, "--format", "json")
    assert result.returncode == 0, result.stderr
    targets = [Critique.model_validate(item).target for item in json.loads(result.stdout)]
    assert targets == ["frontier-lab", "production-ml", "startup"]


def test_text_report_names_the_offline_provider(run_tailor: Run) -> None:
    result = run_tailor("critique", str(EXAMPLES / "casey-morgan.md"), "-t", "palantir")
    assert result.returncode == 0, result.stderr
    assert "Production-ML company" in result.stdout
    assert "offline" in result.stdout
    assert "no-pipeline-reliability" in result.stdout
    assert "Fix:" in result.stdout


def test_markdown_report_to_a_file(run_tailor: Run, tmp_path: Path) -> None:
    out = tmp_path / "report.md"
    result = run_tailor(
        "critique",
        str(EXAMPLES / "casey-morgan.md"),
        "-t",
        "startup",
        "-t",
        "frontier-lab",
        "--format",
        "md",
        "--output",
        str(out),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    text = out.read_text()
    assert text.startswith("# CV critique\n")
    cv = tailor.load_cv(EXAMPLES / "casey-morgan.md")
    startup, lab = tailor.critique(cv, "startup"), tailor.critique(cv, "frontier-lab")
    counts = " | ".join(
        str(sum(f.severity == s for f in startup.findings)) for s in ("high", "medium", "low")
    )
    assert f"| Startup or growth company (startup) | {startup.score} | {counts} |" in text
    assert f"\n## Startup or growth company (startup): {startup.score}/100\n" in text
    assert f"\n## Frontier AI lab (frontier-lab): {lab.score}/100\n" in text
    # each target's verdict and top findings, then the rest, every finding in full
    rest = text.index("## Other findings for every target")
    startup_at, lab_at = text.index("## Startup or growth"), text.index("## Frontier AI lab")
    assert startup_at < lab_at < rest < text.index("### `vague-bullet` (medium)")
    for finding in (*startup.findings, *lab.findings):
        assert finding.suggestion in text
    assert text.count("Provider: offline") == 1


def test_text_report_to_a_file(run_tailor: Run, tmp_path: Path) -> None:
    out = tmp_path / "report.txt"
    result = run_tailor("critique", EXAMPLE, "-t", "startup", "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert "Startup or growth company" in out.read_text()
    assert "\x1b[" not in out.read_text()


def test_stdin(run_tailor_process: Run) -> None:
    result = run_tailor_process(
        "critique",
        "-",
        "-t",
        "startup",
        "-f",
        "json",
        stdin=(EXAMPLES / "jordan-reyes.json").read_bytes(),
    )
    assert result.returncode == 0, result.stderr
    assert Critique.model_validate_json(result.stdout).target == "startup"


def test_user_profile_as_target(run_tailor: Run, tmp_path: Path) -> None:
    profile = tmp_path / "lab.yaml"
    profile.write_text(
        (Path(tailor.__file__).parents[2] / "company_profiles" / "frontier-lab.yaml")
        .read_text()
        .replace("id: frontier-lab", "id: my-lab")
    )
    result = run_tailor("critique", EXAMPLE, "--target", str(profile), "-f", "json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["target"] == "my-lab"


def test_profiles_lists_targets_and_aliases(run_tailor: Run) -> None:
    result = run_tailor("profiles")
    assert result.returncode == 0
    for word in ("frontier-lab", "production-ml", "startup", "anthropic", "palantir"):
        assert word in result.stdout
    listed = json.loads(run_tailor("profiles", "--format", "json").stdout)
    assert [p["id"] for p in listed] == ["frontier-lab", "production-ml", "startup"]


def test_version(run_tailor_process: Run) -> None:
    result = run_tailor_process("--version")
    assert result.returncode == 0
    assert result.stdout.startswith("tailor ")


def _bad_inputs(tmp: Path) -> list[tuple[list[str], str]]:
    (tmp / "empty.md").write_bytes(b"")
    (tmp / "junk.bin").write_bytes(bytes(range(256)) * 64)
    with (tmp / "huge.md").open("wb") as file:
        file.truncate(50 * 1024 * 1024)
    (tmp / "scan.pdf").write_bytes(_image_only_pdf())
    (tmp / "broken.json").write_text('{"basics": {"name": "A"}, "work": [')
    (tmp / "broken.yaml").write_text("basics:\n  name: [A\n")
    (tmp / "letter.txt").write_text("Dear hiring manager,\nI would like to apply.\n")
    (tmp / "fake.docx").write_bytes(b"PK\x03\x04 not really a docx")
    (tmp / "bad-profile.yaml").write_text("id: x\nname: X\n")
    return [
        (["critique", str(tmp / "missing.md")], "no such file"),
        (["critique", str(tmp / "empty.md")], "is empty"),
        (["critique", str(tmp / "junk.bin")], "binary file"),
        (["critique", str(tmp / "huge.md")], "over 10 MB, the limit for a CV file"),
        (["critique", str(tmp / "scan.pdf")], "no text layer"),
        (["critique", str(tmp / "broken.json")], "malformed JSON"),
        (["critique", str(tmp / "broken.yaml")], "malformed YAML"),
        (["critique", str(tmp / "letter.txt")], "no CV sections found"),
        (["critique", str(tmp / "fake.docx")], "could not read DOCX"),
        (["critique", EXAMPLE, "--target", "umbrella-corp"], "unknown target 'umbrella-corp'"),
        (["critique", EXAMPLE, "--target", str(tmp / "bad-profile.yaml")], "field description"),
        (["critique", EXAMPLE, "--target", str(tmp / "nope.yaml")], "no such profile file"),
    ]


def _image_only_pdf() -> bytes:
    import io

    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.rect(100, 100, 200, 200, fill=1)
    page.save()
    return buffer.getvalue()


def test_bad_input_gives_one_line_and_exit_2(run_tailor: Run, tmp_path: Path) -> None:
    for args, message in _bad_inputs(tmp_path):
        result = run_tailor(*args)
        assert result.returncode == 2, (args, result.stderr)
        assert result.stdout == ""
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1, (args, result.stderr)
        assert lines[0].startswith("tailor: error: ") and message in lines[0], (args, lines[0])
        assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["critique"], "Missing argument 'CV'"),
        (["critique", EXAMPLE, "--provider", "gpt"], "Invalid value for '--provider'"),
        (["critique", EXAMPLE, "--format", "pdf"], "'pdf' is not one of"),
        (["critique", EXAMPLE, "--bogus"], "No such option: --bogus"),
        (["critique", EXAMPLE, "--target"], "requires an argument"),
        (["rewrite-everything"], "No such command"),
    ],
)
def test_usage_mistakes_are_one_line_and_exit_2(
    run_tailor: Run, args: list[str], message: str
) -> None:
    result = run_tailor(*args)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("tailor: error: ") and message in lines[0], lines
    assert "--help" in lines[0]


def test_no_arguments_shows_the_help(run_tailor_process: Run) -> None:
    result = run_tailor_process()
    assert "critique" in result.stdout and "profiles" in result.stdout
    assert "Traceback" not in result.stderr


def test_unwritable_output_is_one_line(run_tailor: Run, tmp_path: Path) -> None:
    result = run_tailor(
        "critique", EXAMPLE, "-t", "startup", "-o", str(tmp_path / "no" / "such" / "dir.md")
    )
    assert result.returncode == 2
    assert result.stderr.strip().startswith("tailor: error: cannot write")


@pytest.mark.parametrize("command", [["--help"], ["critique", "--help"], ["profiles", "--help"]])
def test_help(run_tailor: Run, command: list[str]) -> None:
    result = run_tailor(*command)
    assert result.returncode == 0
    assert "Usage" in result.stdout


def test_the_same_target_named_twice_is_critiqued_once(run_tailor: Run) -> None:
    result = run_tailor("critique", EXAMPLE, "-t", "lab", "-t", "anthropic", "-f", "json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["target"] == "frontier-lab"


def test_a_bug_in_tailor_is_one_line_and_exit_1(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import sys

    import tailor.api
    from tailor.cli import main

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("secret CV text must not be printed")

    monkeypatch.setattr(tailor.api, "critique", broken)
    monkeypatch.setattr(sys, "argv", ["tailor", "critique", EXAMPLE, "-t", "startup"])
    with pytest.raises(SystemExit) as exit_info:
        main()
    assert exit_info.value.code == 1
    assert capsys.readouterr().err == (
        "tailor: error: internal error (RuntimeError); rerun with TAILOR_DEBUG=1 for details\n"
    )


def test_a_printed_profile_is_a_starting_point_for_your_own(
    run_tailor: Run, tmp_path: Path
) -> None:
    printed = run_tailor("profiles", "palantir")
    assert printed.returncode == 0
    assert printed.stdout.startswith("# What a Palantir")
    mine = tmp_path / "mine.yaml"
    mine.write_text(printed.stdout.replace("id: production-ml", "id: my-platform-team"))
    result = run_tailor("critique", EXAMPLE, "--target", str(mine), "-f", "json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["target"] == "my-platform-team"


@pytest.mark.parametrize("command", ["critique", "rewrite"])
def test_an_llm_provider_without_its_key_is_one_line(
    run_tailor: Callable[..., CompletedProcess[str]], command: str
) -> None:
    result = run_tailor(command, EXAMPLE, "-t", "startup", "-p", "anthropic")
    assert result.returncode == 2
    assert result.stderr == (
        "tailor: error: the anthropic provider needs an API key: set ANTHROPIC_API_KEY\n"
    )
