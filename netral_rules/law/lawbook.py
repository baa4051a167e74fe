"""The law as loaded: every pack's articles, sanction menus, settings and menu substitutions, in one place.

Decisions quote articles and list sanction options through this object, so both backends produce the
same citations and texts. Cited articles and menus are built once per engine and shared by decisions.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..decide.decision import CitationParts, CitedArticle, ContextText, ProvenanceInfo, SanctionChoice, SanctionMenu
from .citations import Citation, parse_citation
from .load import LoadedArticle, LoadedPack
from .schema import Aggregation, Period, Setting, Substitution


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
    _packs: dict[str, LoadedPack] = field(default_factory=dict)

    @classmethod
    def build(cls, packs: list[LoadedPack]) -> Lawbook:
        book = cls(packs)
        book._packs = {p.id: p for p in packs}
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

    def menu(
        self, citation: Citation, settings: dict[str, bool], day: dt.date | None = None, status: str | None = None
    ) -> tuple[SanctionMenu, Substitution | None]:
        """The sanctions a rule cites, after the substitutions the settings switch on.

        A rule may cite a whole menu (``PP 94/2021 Pasal 8 ayat (2)``) or the one type an article fixes
        (``… ayat (2) huruf a``). A substitution of a whole menu replaces it, so a single type of a replaced menu
        becomes the replacement menu: the replacement need not have a matching type. A substitution of one type
        (``replace`` names an option of a menu) replaces that type, in the whole menu and where a rule cites that
        type alone; the menu's other types stay. A substitution made only while its replacement's instrument is in
        force (``while_in_force``) applies on ``day`` for an actor of ``status`` when that pack is in force then
        and binds the actor; without a day it does not apply.
        """
        menu_cite = citation if citation not in self.option_of else self.option_of[citation]
        host = self.articles[menu_cite]
        for sub, replaced, replacement in self._swaps:
            if settings.get(sub.setting) != sub.applies_when or not self._in_force(sub, replacement, day, status):
                continue
            if replaced == menu_cite:  # the whole menu
                art = self.articles[replacement]
                menu = SanctionMenu(cite=str(replacement), level=art.article.level,
                                    options=self._choices(art), replaces=str(citation))
                return menu, sub
            if self.option_of.get(replaced) == menu_cite and citation in (menu_cite, replaced):  # one type
                swapped = self._choices(self.articles[replacement])
                if citation == replaced:
                    menu = SanctionMenu(cite=str(replacement), level=host.article.level, options=swapped,
                                        replaces=str(citation))
                else:
                    options = tuple(o for c in self._choices(host) for o in (swapped if c.cite == str(replaced)
                                                                             else (c,)))
                    menu = SanctionMenu(cite=str(menu_cite), level=host.article.level, options=options,
                                        replaces=str(replaced))
                return menu, sub
        options = tuple(c for c in self._choices(host) if citation == menu_cite or c.cite == str(citation))
        return SanctionMenu(cite=str(citation), level=host.article.level, options=options), None

    def _choices(self, art: LoadedArticle) -> tuple[SanctionChoice, ...]:
        return tuple(
            SanctionChoice(
                code=o.code,
                label=o.label,
                cite=str(ref.citation or o.cite),
                text=self.articles[ref.citation].article.text
                if ref.citation is not None and ref.citation in self.articles
                else None,
            )
            for o, ref in zip(art.article.options, art.option_cites, strict=True)
        )

    def _in_force(self, sub: Substitution, replacement: Citation, day: dt.date | None, status: str | None) -> bool:
        if not sub.while_in_force:
            return True
        if day is None or status is None:
            return False
        period, binds = self.dated_period(replacement)
        return period.contains(day) and status in binds

    def dated_period(self, replacement: Citation) -> tuple[Period, frozenset[str]]:
        """The in-force period and the statuses bound of the pack holding a replacement menu."""
        pack = self._packs[self.articles[replacement].pack_id]
        return pack.manifest.in_force, frozenset(pack.manifest.binds.statuses)

    def dated_periods(self, citation: Citation) -> list[tuple[Period, frozenset[str]]]:
        """The periods (and statuses) of the substitutions that change a rule's menu with the date."""
        return [self.dated_period(rep) for _, rep in self.dated_substitutions(citation)]

    def dated_substitutions(self, citation: Citation) -> list[tuple[Substitution, Citation]]:
        """The substitutions of a menu made only while their replacement's instrument is in force, with the
        replacement: where they can apply, a rule's menus change with the date."""
        return [(s, rep) for s, replaced, rep in self._swaps if s.while_in_force and self._touches(replaced, citation)]

    def _touches(self, replaced: Citation, citation: Citation) -> bool:
        """Whether a substitution of ``replaced`` can change the menu of a rule citing ``citation``."""
        menu_cite = self.option_of.get(citation, citation)
        return replaced == menu_cite or (self.option_of.get(replaced) == menu_cite
                                         and citation in (menu_cite, replaced))

    def substitutions_for(
        self, citation: Citation, day: dt.date | None = None, status: str | None = None
    ) -> list[Substitution]:
        """The substitutions that can change the menu of a rule citing ``citation``, whatever their setting's value:
        those made on every date, and those made only while their replacement's instrument is in force when that
        holds on ``day`` for ``status``."""
        return [s for s, replaced, rep in self._swaps
                if self._touches(replaced, citation) and self._in_force(s, rep, day, status)]
