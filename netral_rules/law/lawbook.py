"""The law as loaded: every pack's articles, sanction menus, settings and menu substitutions, in one place.

Decisions quote articles and list sanction options through this object, so both backends produce the
same citations and texts. Cited articles and menus are built once per engine and shared by decisions.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..decide.decision import CitationParts, CitedArticle, ContextText, ProvenanceInfo, SanctionChoice, SanctionMenu
from .citations import Citation, parse_citation
from .load import LoadedArticle, LoadedPack
from .schema import Aggregation, Setting, Substitution


@dataclass
class Lawbook:
    packs: list[LoadedPack]
    articles: dict[Citation, LoadedArticle] = field(default_factory=dict)
    settings: dict[str, Setting] = field(default_factory=dict)
    substitutions: list[Substitution] = field(default_factory=list)
    # each substitution's (replaced menu, replacement menu), parsed once
    _swaps: list[tuple[Substitution, Citation, Citation]] = field(default_factory=list)
    aggregations: dict[str, tuple[LoadedPack, Aggregation]] = field(default_factory=dict)
    option_of: dict[Citation, Citation] = field(default_factory=dict)
    _cited: dict[Citation, CitedArticle] = field(default_factory=dict)

    @classmethod
    def build(cls, packs: list[LoadedPack]) -> Lawbook:
        book = cls(packs)
        for pack in packs:
            for cit, art in pack.articles.items():
                book.articles.setdefault(cit, art)
                for ref in art.option_cites:
                    if ref.citation is not None and ref.citation != cit:
                        book.option_of.setdefault(ref.citation, cit)
            for s in pack.manifest.settings:
                book.settings.setdefault(s.name, s)
            book.substitutions.extend(pack.manifest.substitutions)
            book._swaps.extend(
                (s, parse_citation(s.replace), parse_citation(s.with_)) for s in pack.manifest.substitutions
            )
            if pack.manifest.aggregation:
                book.aggregations.setdefault(pack.manifest.aggregation.category, (pack, pack.manifest.aggregation))
        return book

    def defaults(self) -> dict[str, bool]:
        return {name: s.default for name, s in self.settings.items()}

    def cited(self, citation: Citation) -> CitedArticle:
        """The article with its verbatim text and the texts of its registered enclosing units."""
        hit = self._cited.get(citation)
        if hit is not None:
            return hit
        art = self.articles[citation]
        context: list[ContextText] = []
        parent = citation.parent()
        while parent is not None and parent.pasal is not None:
            if parent in self.articles:
                context.insert(0, ContextText(cite=str(parent), text=self.articles[parent].article.text))
            parent = parent.parent()
        prov = art.article.provenance
        hit = CitedArticle(
            cite=str(citation),
            id=citation.machine_id,
            parts=CitationParts(**citation.as_dict()),
            text=art.article.text,
            gloss=art.article.gloss,
            context=tuple(context),
            provenance=ProvenanceInfo(status=prov.status, source=prov.source, note=prov.note),
            pack=art.pack_id,
        )
        self._cited[citation] = hit
        return hit

    def cited_text(self, text: str) -> CitedArticle:
        return self.cited(parse_citation(text))

    def menu(self, citation: Citation, settings: dict[str, bool]) -> tuple[SanctionMenu, Substitution | None]:
        """The sanctions a rule cites, after the substitutions the settings switch on.

        A rule may cite a whole menu (``PP 94/2021 Pasal 8 ayat (2)``) or the one type an article fixes
        (``… ayat (2) huruf a``). A substitution replaces the whole menu, so a single type of a replaced menu
        becomes the replacement menu: the replacement need not have a matching type.
        """
        menu_cite = citation if citation not in self.option_of else self.option_of[citation]
        used = None
        target = menu_cite
        for sub, replaced, replacement in self._swaps:
            if replaced == menu_cite and settings.get(sub.setting) == sub.applies_when:
                target = replacement
                used = sub
                break
        art = self.articles[target]
        options = tuple(
            SanctionChoice(
                code=o.code,
                label=o.label,
                cite=str(ref.citation or o.cite),
                text=self.articles[ref.citation].article.text
                if ref.citation is not None and ref.citation in self.articles
                else None,
            )
            for o, ref in zip(art.article.options, art.option_cites, strict=True)
            if used is not None or citation == menu_cite or ref.citation == citation
        )
        shown = target if (used is not None or citation == menu_cite) else citation
        menu = SanctionMenu(
            cite=str(shown), level=art.article.level, options=options, replaces=str(citation) if used else None
        )
        return menu, used

    def substitutions_for(self, citation: Citation) -> list[Substitution]:
        menu_cite = self.option_of.get(citation, citation)
        return [s for s, replaced, _ in self._swaps if replaced == menu_cite]
