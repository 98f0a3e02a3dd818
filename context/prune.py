"""Token pruning by self-information (`--prune-ratio`): drop the tokens the model finds least surprising.

Selective-Context / LLMLingua's idea: a small causal model scores each token's
log-probability given the text before it; the tokens it predicts best (lowest
self-information, -log p) carry the least and are dropped until 1/ratio of them remain.
Pruned text is no longer verbatim, so the sentences most likely to be quoted (the ones
that carry the question's terms) are kept whole and only the rest is pruned: citations
still check against, and quote, the source. It costs a pre-fill of everything it scores,
which on a CPU takes longer than reading the unpruned text (docs/BENCHMARKS.md).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from lecto.backends.registry import TokenScorer
from lecto.context.compress import sentence_scores
from lecto.context.tokens import Counter
from lecto.data import Plan, Selected

# Sentences per passage kept verbatim as likely quotes: the best one and its neighbours often tie
# (the answer sits one sentence on), and an answer rarely quotes more of one passage.
QUOTE_SENTENCES = 3


@dataclass(frozen=True)
class PruneOptions:
    ratio: float  # keep 1/ratio of the tokens outside the kept sentences


def prune_plan(question: str, plan: Plan, options: PruneOptions, scorer: TokenScorer, counter: Counter) -> Plan:
    """The plan with each passage's non-quote text pruned; chunk ids, order and groups unchanged."""
    selected = []
    for s, scored in zip(plan.selected, sentence_scores(question, [s.text for s in plan.selected]), strict=True):
        quotes = sorted((a, b) for a, b, x in sorted(scored, key=lambda t: -t[2])[:QUOTE_SENTENCES] if x > 0)
        text = prune_text(s.text, quotes, options.ratio, scorer)
        selected.append(s if text == s.text else Selected(s.chunk, text, counter.count_tokens(text)))
    reason = f"{plan.reason}; tokens outside the likely quotes pruned to 1/{options.ratio:g} by self-information"
    return replace(plan, reason=reason, selected=selected)


def prune_text(text: str, keep: list[tuple[int, int]], ratio: float, scorer: TokenScorer) -> str:
    """`text` with the `keep` character ranges verbatim and the rest cut to its most informative tokens."""
    scored = scorer.token_logprobs(text)
    if "".join(piece for piece, _ in scored) != text:
        return text  # the scorer's pieces do not spell the text: pruning could corrupt it
    prunable, start = [], 0
    for i, (piece, _) in enumerate(scored):
        end = start + len(piece)
        # A token touching a kept sentence (" We" begins one space early) belongs to it.
        if not any(a < end and start < b for a, b in keep):
            prunable.append(i)
        start = end
    dropped = set(sorted(prunable, key=lambda i: -scored[i][1])[: len(prunable) - int(len(prunable) / ratio)])
    return "".join(piece for i, (piece, _) in enumerate(scored) if i not in dropped)
