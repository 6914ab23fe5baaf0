"""anuvad: translate with an anuvad model (GGUF) from Python, in CTranslate2's shape.

    import anuvad
    translator = anuvad.Translator("models/en-hi.gguf")
    results = translator.translate_batch(["we are friends"], return_scores=True)
    print(results[0].texts[0], results[0].hypotheses[0], results[0].scores[0])

Sources are strings (tokenized by the model's own SentencePiece tokenizer) or token lists as
CTranslate2 takes them (source pieces, looked up in the vocabulary as they are). The work runs in C with the GIL
released; errors are exceptions carrying the library's one-line message.
"""
from __future__ import annotations

import os
import threading
from typing import Iterable, Iterator, List, Optional, Sequence, Tuple, Union

from ._anuvad import VERSION, AnuvadError, InputError, ModelError, UsageError
from . import _anuvad

__all__ = ["Translator", "TranslationResult", "ScoringResult", "Step", "AnuvadError",
           "ModelError", "InputError", "UsageError", "default_threads", "__version__"]
__version__ = VERSION

Source = Union[str, bytes, Sequence[str]]
_SOURCE, _TARGET = 0, 1
_ERR_INPUT, _ERR_USAGE = -3, -5


def default_threads() -> int:
    """What threads=0 means: the number of online cores (1 to 256)."""
    return _anuvad.default_threads()


class TranslationResult:
    """One source sentence's translation, as CTranslate2's TranslationResult.

    hypotheses: each hypothesis as a list of target pieces (without "</s>" unless
        return_end_token); texts: each hypothesis detokenized; scores: what the search ranks
        by (greedy: the sum of the token log-probabilities, "</s>" included; beam search: that
        over length ** length_penalty); log_probs: per token;
    attention: per hypothesis, one row per token of `hypotheses` over the source positions
        (pieces then "</s>"), the mean of the decoder layers and heads (return_attention);
    warnings: the library's warnings (source truncated, NUL byte); error: None, or why this
        sentence failed (only with on_error="return"; hypotheses are then [[]] and texts [""]).
    """

    __slots__ = ("hypotheses", "texts", "ids", "scores", "log_probs", "attention", "warnings",
                 "error", "status")

    def __init__(self, hypotheses, texts, ids, scores, log_probs, attention, warnings, error,
                 status):
        self.hypotheses: List[List[str]] = hypotheses
        self.texts: List[str] = texts
        self.ids: List[List[int]] = ids
        self.scores: List[float] = scores
        self.log_probs: List[List[float]] = log_probs
        self.attention: List[List[List[float]]] = attention
        self.warnings: List[str] = warnings
        self.error: Optional[str] = error
        self.status: int = status

    @property
    def text(self) -> str:
        """The best hypothesis' text."""
        return self.texts[0]

    def __getitem__(self, key):   # CTranslate2 < 2.0 returned dicts
        return getattr(self, key)

    def __repr__(self):
        if self.error is not None:
            return "TranslationResult(error=%r)" % self.error
        return "TranslationResult(hypotheses=%r, scores=%r, attention=%s)" % (
            self.hypotheses, self.scores, "[...]" if self.attention else "[]")


class ScoringResult:
    """score_batch's result, as CTranslate2's: the target tokens with "</s>" and the
    log-probability of each under the model given the source."""

    __slots__ = ("tokens", "log_probs", "error")

    def __init__(self, tokens, log_probs, error=None):
        self.tokens: List[str] = tokens
        self.log_probs: List[float] = log_probs
        self.error: Optional[str] = error

    @property
    def score(self) -> float:
        """The sum of log_probs."""
        return float(sum(self.log_probs))

    def __repr__(self):
        return "ScoringResult(tokens=%r, log_probs=%r)" % (self.tokens, self.log_probs)


class Step:
    """One decoding step of Translator.step: the token taken, the candidates, and where the
    step read (attention after the softmax).

    step: from 0; token, piece, prob: the token taken and its probability; forced: it came
    from `forced`; candidates: (piece, id, prob), most probable first; source: the source
    pieces ("</s>" last); prefix: the decoder's inputs (start token, then the tokens before
    this step); cross[layer][head][source], self_attention[layer][head][prefix].
    """

    __slots__ = ("step", "token", "piece", "prob", "forced", "candidates", "source", "prefix",
                 "prefix_ids", "cross", "self_attention")

    def __init__(self, d, source):
        self.step: int = d["step"]
        self.token: int = d["token"]
        self.piece: str = d["piece"]
        self.prob: float = d["prob"]
        self.forced: bool = d["forced"]
        self.candidates = d["candidates"]
        self.source: List[str] = source
        self.prefix: List[str] = d["prefix_pieces"]
        self.prefix_ids: List[int] = d["prefix"]
        self.cross: List[List[List[float]]] = d["cross"]
        self.self_attention: List[List[List[float]]] = d["self"]

    @staticmethod
    def _mean(rows, layer, head):
        layers = rows if layer is None else [rows[layer]]
        picked = [hs if head is None else [hs[head]] for hs in layers]
        flat = [r for hs in picked for r in hs]
        return [sum(col) / len(flat) for col in zip(*flat)]

    def cross_mean(self, layer: Optional[int] = None, head: Optional[int] = None) -> List[float]:
        """The cross-attention row over the source: the mean over all layers (or one) and all
        heads (or one). The default is what --align and TranslationResult.attention read."""
        return self._mean(self.cross, layer, head)

    def self_mean(self, layer: Optional[int] = None, head: Optional[int] = None) -> List[float]:
        """The self-attention row over the prefix, averaged as cross_mean."""
        return self._mean(self.self_attention, layer, head)

    def __repr__(self):
        return "Step(%d, %r, p=%.3f%s)" % (self.step, self.piece, self.prob,
                                           ", forced" if self.forced else "")


def _error(msg: str, status: int = _ERR_INPUT) -> AnuvadError:
    """The exception of a library status (as the extension raises them), with .status."""
    cls = {_ERR_INPUT: InputError, _ERR_USAGE: UsageError, -1: ModelError,
           -2: ModelError}.get(status, AnuvadError)
    err = cls(msg)
    err.status = status
    return err


def _encode(text: Union[str, bytes]) -> bytes:
    if isinstance(text, bytes):
        return text
    try:
        return text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError as e:
        raise _error("text is not valid Unicode: %s" % e) from None


class Translator:
    """A translator over an anuvad model file (GGUF), modelled on ctranslate2.Translator.

    model_path: the .gguf file. threads: threads that split each matrix product (0: all
    cores; CTranslate2's intra_threads). inter_threads: sentences translated at once by
    translate_batch, each on its own thread with its own clone (1 thread each) - for a small
    model the faster way to use several cores. Several Python threads may share a translator
    (they take turns) or hold their own clone() (they run at once, over the same weights).
    Raises ModelError with the library's message if the file is missing or malformed.
    """

    def __init__(self, model_path: Union[str, os.PathLike], threads: int = 0, *,
                 inter_threads: int = 1, intra_threads: Optional[int] = None,
                 device: str = "cpu", compute_type: str = "default", _model=None):
        if device != "cpu":
            raise UsageError("anuvad runs on the CPU only, not %r" % (device,))
        if compute_type not in ("default", "auto", "float32"):
            raise UsageError("compute_type %r: anuvad computes in float32" % (compute_type,))
        if intra_threads is not None:
            threads = intra_threads
        if inter_threads < 1:
            raise UsageError("inter_threads must be at least 1, got %d" % inter_threads)
        self.model_path = os.fspath(model_path)
        self.threads = threads
        self.inter_threads = inter_threads
        self._m = _model if _model is not None else _anuvad.Model.load(self.model_path, threads)
        self._info = None
        self._eos = self.info["eos"]
        self._pad = self.info["pad"]
        self._lock = threading.Lock()

    # ---- the model ----

    @property
    def info(self) -> dict:
        """The model card (anuvad info): sizes, languages, token ids, tokenizer and tensor
        counts."""
        if self._info is None:
            self._info = self._m.info()
        return self._info

    def clone(self, threads: Optional[int] = None) -> "Translator":
        """Another translator over the same weights and tokenizers (nothing is read again),
        with its own buffers and pool: for another thread."""
        t = self.threads if threads is None else threads
        return Translator(self.model_path, t, inter_threads=self.inter_threads,
                          _model=self._m.clone(t))

    def close(self) -> None:
        """Free the translator now (it is also freed when garbage collected). A model with
        open clones is freed after the last of them."""
        self._m.close()

    def __enter__(self) -> "Translator":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __repr__(self):
        return "Translator(%r, threads=%d, inter_threads=%d)" % (
            self.model_path, self.threads, self.inter_threads)

    # ---- tokenizers ----

    def tokenize(self, text: Union[str, bytes], side: str = "source") -> List[str]:
        """The pieces of text, as SentencePiece's EncodeAsPieces (side: "source"/"target")."""
        return self._m.tokenize(self._side(side), _encode(text))[0]

    def tokenize_ids(self, text: Union[str, bytes], side: str = "source") -> List[int]:
        """The model vocabulary ids of text's pieces."""
        return self._m.tokenize(self._side(side), _encode(text))[1]

    def detokenize(self, tokens: Sequence[Union[str, int]], side: str = "target") -> str:
        """Pieces or vocabulary ids back to text ("</s>" and pad are skipped)."""
        return self._m.detokenize(self._side(side), self._ids(tokens))

    def piece(self, token_id: int) -> Optional[str]:
        """The vocabulary piece of an id, or None."""
        return self._m.piece(token_id)

    @staticmethod
    def _side(side: str) -> int:
        if side not in ("source", "target"):
            raise UsageError("side must be 'source' or 'target', not %r" % (side,))
        return _SOURCE if side == "source" else _TARGET

    def _vocab(self) -> dict:
        with self._lock:
            if not hasattr(self, "_piece_ids"):
                self._piece_ids = {self._m.piece(i): i for i in range(self.info["vocab_size"])}
            return self._piece_ids

    def _ids(self, tokens: Sequence[Union[str, int]]) -> List[int]:
        vocab, out = None, []
        for t in tokens:
            if isinstance(t, int):
                out.append(t)
                continue
            vocab = vocab or self._vocab()
            if t not in vocab:
                raise _error("%r is not in the model's vocabulary" % (t,))
            out.append(vocab[t])
        return out

    @staticmethod
    def _source_bytes(source: Source) -> Tuple[bytes, bool]:
        """A source as the library reads it: (text, False), or for a token list (its pieces,
        each ended by a NUL byte, True), which the library looks up in the vocabulary as they
        are (a piece it lacks is <unk>, as the tokenizer maps it) without a text round-trip."""
        if isinstance(source, (str, bytes)):
            return _encode(source), False
        pieces = list(source)
        if not all(isinstance(p, str) for p in pieces):
            raise TypeError("a source is a string or a list of string tokens")
        if any("\0" in p for p in pieces):
            raise _error("a token contains a NUL character")
        return b"".join(_encode(p) + b"\0" for p in pieces), True

    def _translate_raw(self, sources: List[Tuple[bytes, bool]], **options) -> list:
        """The library's result tuples for (bytes, is_pieces) sources, in order: texts and
        token lists go to the library in two calls when a batch mixes them."""
        out: list = [None] * len(sources)
        forced = options.pop("forced", None)
        for kind in (False, True):
            idx = [i for i, (_b, k) in enumerate(sources) if k is kind]
            if not idx:
                continue
            extra = {} if forced is None else {"forced": [forced[i] for i in idx]}
            raw = self._m.translate([sources[i][0] for i in idx], pieces=kind, **options, **extra)
            for i, r in zip(idx, raw):
                out[i] = r
        return out

    # ---- translating ----

    def translate_batch(self, source: Sequence[Source], *, beam_size: int = 1,
                        num_hypotheses: int = 1, length_penalty: float = 1.0,
                        early_stopping: bool = False, max_decoding_length: Optional[int] = None,
                        return_scores: bool = False, return_attention: bool = False,
                        return_end_token: bool = False, max_batch_size: int = 0,
                        on_error: str = "raise") -> List[TranslationResult]:
        """Translate a list of sources (strings, or token lists: source pieces as tokenize()
        gives them, used as they are); one result per source, in order. beam_size 1 is greedy
        decoding, larger sizes the library's beam search, with num_hypotheses hypotheses per
        source, ranked as transformers' generate ranks them: a finished hypothesis by its
        log-probability over its length (</s> counted) to the power length_penalty (0: the
        plain sum); early_stopping stops once beam_size hypotheses are finished, else the
        search goes on while a live one could still beat them. max_decoding_length: most
        target tokens (None: twice the source pieces plus ten; always capped by the model's
        positions). max_batch_size: translate in chunks of this many (0: all at once).
        on_error: "raise" raises the first failed sentence's error (InputError...); "return"
        gives it a result with .error set and empty hypotheses, so N sources always give N
        results."""
        if on_error not in ("raise", "return"):
            raise UsageError("on_error must be 'raise' or 'return', not %r" % (on_error,))
        texts, failed = [], {}
        for i, s in enumerate(source):
            try:
                texts.append(self._source_bytes(s))
            except (InputError, TypeError) as e:
                if on_error == "raise":
                    raise
                failed[i] = str(e)
                texts.append((b"", False))
        n = len(texts)
        step = max_batch_size if max_batch_size > 0 else max(n, 1)
        out: List[TranslationResult] = []
        for start in range(0, n, step):
            raw = self._translate_raw(
                texts[start:start + step], beam_size=beam_size, n_best=num_hypotheses,
                length_penalty=length_penalty, early_stopping=early_stopping,
                max_len=max_decoding_length or 0, return_scores=return_scores,
                return_attention=return_attention, workers=self.inter_threads)
            for k, r in enumerate(raw):
                i = start + k
                if i in failed:
                    r = (_ERR_INPUT, failed[i], [], 0, [])
                out.append(self._result(r, return_end_token, on_error, i))
        return out

    def _result(self, raw, end_token: bool, on_error: str, index: int) -> TranslationResult:
        status, error, warnings, _src_len, hyps = raw
        if status != 0:
            if on_error == "raise":
                raise _error("sentence %d: %s" % (index, error), status)
            return TranslationResult([[]], [""], [[]], [], [], [], warnings, error, status)
        pieces, ids, scores, lps, att = [], [], [], [], []
        for text, tokens, score, log_probs, attention in hyps:
            keep = len(tokens)
            if not end_token and keep and tokens[-1] == self._eos:
                keep -= 1
            ids.append(tokens[:keep])
            pieces.append([self._m.piece(t) for t in tokens[:keep]])
            if score is not None:
                scores.append(score)
                lps.append(log_probs[:keep])
            if attention is not None:
                att.append(attention[:keep])
        return TranslationResult(pieces, [h[0] for h in hyps], ids, scores, lps, att, warnings,
                                 None, 0)

    def translate_iterable(self, source: Iterable[Source], max_batch_size: int = 32,
                           **kwargs) -> Iterator[TranslationResult]:
        """Translate a stream (a file, a generator) lazily, max_batch_size sources at a time;
        yields one result per source in order. Keyword arguments as translate_batch."""
        batch: list = []
        for s in source:
            batch.append(s)
            if len(batch) >= max_batch_size:
                yield from self.translate_batch(batch, **kwargs)
                batch = []
        if batch:
            yield from self.translate_batch(batch, **kwargs)

    def translate(self, text: Source, **kwargs) -> str:
        """One source's best translation as text."""
        return self.translate_batch([text], **kwargs)[0].texts[0]

    def score_batch(self, source: Sequence[Source], target: Sequence[Source], *,
                    max_batch_size: int = 0, on_error: str = "raise") -> List[ScoringResult]:
        """The log-probability of each target token (and of the final "</s>") given its
        source, by decoding with the target forced. Targets are strings (the model's target
        tokenizer splits them) or token lists (target pieces)."""
        if on_error not in ("raise", "return"):
            raise UsageError("on_error must be 'raise' or 'return', not %r" % (on_error,))
        if len(source) != len(target):
            raise UsageError("score_batch: %d sources but %d targets" % (len(source), len(target)))
        texts, forced, failed = [], [], {}
        for i, (s, t) in enumerate(zip(source, target)):
            try:
                texts.append(self._source_bytes(s))
                ids = (self._m.tokenize(_TARGET, _encode(t))[1] if isinstance(t, (str, bytes))
                       else self._ids(t))
                forced.append(ids + [self._eos])
            except (InputError, TypeError) as e:
                if on_error == "raise":
                    raise
                failed[i] = str(e)
                texts.append((b"", False))
                forced.append([self._eos])
        out: List[ScoringResult] = []
        step = max_batch_size if max_batch_size > 0 else max(len(texts), 1)
        for start in range(0, len(texts), step):
            chunk = forced[start:start + step]
            raw = self._translate_raw(texts[start:start + step], return_scores=True,
                                      max_len=max([len(f) for f in chunk] + [1]), forced=chunk)
            for k, (status, error, _w, _n, hyps) in enumerate(raw):
                i = start + k
                if i in failed or status != 0:
                    msg = failed.get(i, error)
                    if on_error == "raise":
                        raise _error("sentence %d: %s" % (i, msg), status or _ERR_INPUT)
                    out.append(ScoringResult([], [], msg))
                    continue
                if not hyps[0][1]:   # an empty source is not decoded: nothing to score
                    msg = "sentence %d: the source is empty" % i
                    if on_error == "raise":
                        raise _error(msg)
                    out.append(ScoringResult([], [], msg))
                    continue
                _text, tokens, _score, log_probs, _att = hyps[0]
                n = min(len(tokens), len(chunk[k]))
                out.append(ScoringResult([self._m.piece(t) for t in tokens[:n]], log_probs[:n]))
        return out

    # ---- stepping ----

    def step(self, text: Source, *, forced: Optional[Sequence[Union[str, int]]] = None,
             top_k: int = 9, max_decoding_length: Optional[int] = None) -> Iterator[Step]:
        """The translation one decoding step at a time (anuvad step, in a notebook): yields a
        Step per generated token, the final "</s>" included. forced: the first tokens to take
        instead of the model's picks ("what if?"), as pieces or ids. The sentence is decoded at
        once (milliseconds), so errors are raised here rather than while iterating."""
        ids = self._ids(forced) if forced else None
        src, pieces = self._source_bytes(text)
        raw, source, steps, _layers, _heads = self._m.steps(
            src, forced=ids, max_len=max_decoding_length or 0, top_k=top_k, pieces=pieces)
        status, error = raw[0], raw[1]
        if status != 0:
            raise _error(error, status)
        return iter([Step(d, source) for d in steps])
