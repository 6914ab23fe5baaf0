"""Type hints of the anuvad package (the docstrings are in __init__.py)."""
import os
from typing import Any, Dict, Iterable, Iterator, List, Optional, Sequence, Tuple, Union

__version__: str

Source = Union[str, bytes, Sequence[str]]

class AnuvadError(RuntimeError):
    status: int
class ModelError(AnuvadError): ...
class InputError(AnuvadError, ValueError): ...
class UsageError(AnuvadError, ValueError): ...

def default_threads() -> int: ...

class TranslationResult:
    hypotheses: List[List[str]]
    texts: List[str]
    ids: List[List[int]]
    scores: List[float]
    log_probs: List[List[float]]
    attention: List[List[List[float]]]
    warnings: List[str]
    error: Optional[str]
    status: int
    @property
    def text(self) -> str: ...
    def __getitem__(self, key: str) -> Any: ...

class ScoringResult:
    tokens: List[str]
    log_probs: List[float]
    error: Optional[str]
    @property
    def score(self) -> float: ...

class Step:
    step: int
    token: int
    piece: str
    prob: float
    forced: bool
    candidates: List[Tuple[str, int, float]]
    source: List[str]
    prefix: List[str]
    prefix_ids: List[int]
    cross: List[List[List[float]]]
    self_attention: List[List[List[float]]]
    def cross_mean(self, layer: Optional[int] = ..., head: Optional[int] = ...) -> List[float]: ...
    def self_mean(self, layer: Optional[int] = ..., head: Optional[int] = ...) -> List[float]: ...

class Translator:
    model_path: str
    threads: int
    inter_threads: int
    def __init__(self, model_path: Union[str, os.PathLike], threads: int = ..., *,
                 inter_threads: int = ..., intra_threads: Optional[int] = ...,
                 device: str = ..., compute_type: str = ...) -> None: ...
    @property
    def info(self) -> Dict[str, Any]: ...
    def clone(self, threads: Optional[int] = ...) -> "Translator": ...
    def close(self) -> None: ...
    def __enter__(self) -> "Translator": ...
    def __exit__(self, *exc: object) -> None: ...
    def tokenize(self, text: Union[str, bytes], side: str = ...) -> List[str]: ...
    def tokenize_ids(self, text: Union[str, bytes], side: str = ...) -> List[int]: ...
    def detokenize(self, tokens: Sequence[Union[str, int]], side: str = ...) -> str: ...
    def piece(self, token_id: int) -> Optional[str]: ...
    def translate_batch(self, source: Sequence[Source], *, beam_size: int = ...,
                        num_hypotheses: int = ..., length_penalty: float = ...,
                        early_stopping: bool = ..., max_decoding_length: Optional[int] = ...,
                        return_scores: bool = ..., return_attention: bool = ...,
                        return_end_token: bool = ..., max_batch_size: int = ...,
                        on_error: str = ...) -> List[TranslationResult]: ...
    def translate_iterable(self, source: Iterable[Source], max_batch_size: int = ...,
                           **kwargs: Any) -> Iterator[TranslationResult]: ...
    def translate(self, text: Source, **kwargs: Any) -> str: ...
    def score_batch(self, source: Sequence[Source], target: Sequence[Source], *,
                    max_batch_size: int = ..., on_error: str = ...) -> List[ScoringResult]: ...
    def step(self, text: Source, *, forced: Optional[Sequence[Union[str, int]]] = ...,
             top_k: int = ..., max_decoding_length: Optional[int] = ...) -> Iterator[Step]: ...
