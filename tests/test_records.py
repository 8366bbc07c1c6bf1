"""``@record`` (records.py): every record of the package is the class plain ``dataclass`` makes from its fields."""

from __future__ import annotations

import copy
import dataclasses
import inspect
import pickle
from dataclasses import FrozenInstanceError, field
from pathlib import Path
from typing import Any

import pytest

from disclosure_lint import records

REGENERATE = "run: python -m disclosure_lint.records"
PACKAGE_RECORDS = records.package_records()


class Arg:
    """A distinct value for one parameter: equal to another only of the same name, as deepcopy and pickle keep."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Arg) and other.name == self.name

    def __hash__(self) -> int:
        return hash(self.name)

    def __repr__(self) -> str:
        return f"<{self.name}>"


def twin_of(cls: Any, frozen: bool, slots: bool) -> Any:
    """A class made by plain ``dataclass`` from the same fields and parameters: a subclass (with the same names)
    whose fields are all inherited, so that dataclass writes every method for them again."""
    namespace = {"__module__": cls.__module__, "__qualname__": cls.__qualname__}
    kw_only = getattr(cls.__dataclass_params__, "kw_only", False)  # (which Python 3.12 on records)
    return dataclasses.dataclass(type(cls.__name__, (cls,), namespace), frozen=frozen, slots=slots, kw_only=kw_only)


def _value(obj: object, name: str) -> object:
    try:
        return getattr(obj, name)
    except AttributeError:  # an init=False field without a default, never set
        return AttributeError


def _outcome(function: Any, *args: Any) -> object:
    """What ``function(*args)`` returns, or the type of what it raises."""
    try:
        return function(*args)
    except Exception as exc:
        return type(exc)


def _error(cls: Any, *args: Any, **kwargs: Any) -> str:
    """The message of the TypeError of calling ``cls`` wrongly (it names ``Class.__init__``)."""
    with pytest.raises(TypeError) as raised:
        cls(*args, **kwargs)
    return str(raised.value)


def _signature(function: Any) -> list[tuple[str, object, object, object]]:
    return [
        (p.name, p.kind, p.annotation, "<factory>" if repr(p.default) == "<factory>" else p.default)
        for p in inspect.signature(function).parameters.values()
    ]


def _args(cls: Any, changed: str | None = None) -> tuple[list[Arg], dict[str, Arg]]:
    """Arguments for every parameter of ``__init__`` (``changed`` given another value), positional where they can
    be."""
    positional, keyword = [], {}
    for p in list(inspect.signature(cls.__init__).parameters.values())[1:]:
        value = Arg(p.name + ("'" if p.name == changed else ""))
        if p.kind is p.KEYWORD_ONLY:
            keyword[p.name] = value
        else:
            positional.append(value)
    return positional, keyword


def _required(cls: Any) -> dict[str, Arg]:
    return {
        p.name: Arg(p.name)
        for p in list(inspect.signature(cls.__init__).parameters.values())[1:]
        if p.default is p.empty
    }


def assert_behaves_as_twin(cls: Any, frozen: bool, slots: bool) -> None:
    twin = twin_of(cls, frozen, slots)
    fields = dataclasses.fields(cls)
    names = [f.name for f in fields]
    # The class as introspection sees it.
    assert _signature(cls.__init__) == _signature(twin.__init__)
    assert cls.__init__.__annotations__ == twin.__init__.__annotations__
    assert cls.__init__.__globals__ is twin.__init__.__globals__
    assert [f.name for f in dataclasses.fields(twin)] == names
    assert cls.__match_args__ == twin.__match_args__
    assert repr(cls.__dataclass_params__) == repr(twin.__dataclass_params__)
    if cls.__doc__.startswith(f"{cls.__name__}("):  # (a class without a docstring of its own)
        assert cls.__doc__ == twin.__doc__
    assert (cls.__hash__ is None) == (twin.__hash__ is None)
    # Whatever dataclass writes into a class (another Python's dataclass may write more), the record has.
    assert set(vars(twin)) <= set(vars(cls))

    # Instances made from the same arguments.
    positional, keyword = _args(cls)
    mine, theirs = cls(*positional, **keyword), twin(*positional, **keyword)
    assert [_value(mine, n) for n in names] == [_value(theirs, n) for n in names]
    assert repr(mine) == repr(theirs)
    required = _required(cls)
    assert repr(cls(**required)) == repr(twin(**required))
    assert [_value(cls(**required), n) for n in names] == [_value(twin(**required), n) for n in names]
    assert (mine == cls(*positional, **keyword)) is (theirs == twin(*positional, **keyword)) is True
    assert mine.__eq__(object()) is theirs.__eq__(object()) is NotImplemented
    assert _error(cls, *positional, not_a_field=1, **keyword) == _error(twin, *positional, not_a_field=1, **keyword)
    for name in names:
        p, k = _args(cls, changed=name)
        assert (mine == cls(*p, **k)) is (theirs == twin(*p, **k)), name
        assert (mine != cls(*p, **k)) is (theirs != twin(*p, **k)), name
    if cls.__hash__ is not None:
        assert _outcome(hash, mine) == _outcome(hash, theirs)
    if frozen:
        for obj in (mine, theirs):
            for name in names:
                with pytest.raises(FrozenInstanceError):
                    setattr(obj, name, 1)
                with pytest.raises(FrozenInstanceError):
                    delattr(obj, name)

    # What the rest of Python does with them.
    initial = [f.name for f in fields if f.init]
    if initial:
        changes = {initial[-1]: Arg("replaced")}
        assert repr(dataclasses.replace(mine, **changes)) == repr(dataclasses.replace(theirs, **changes))
    if AttributeError not in [_value(mine, n) for n in names]:
        assert dataclasses.asdict(mine) == dataclasses.asdict(theirs)
    pickled = [] if "<locals>" in cls.__qualname__ else [pickle.loads(pickle.dumps(mine))]  # (by name only)
    for again in (*pickled, copy.copy(mine), copy.deepcopy(mine)):
        assert type(again) is cls and repr(again) == repr(mine)
        assert [_value(again, n) for n in names] == [_value(mine, n) for n in names]


def test_the_committed_module_is_what_the_records_give() -> None:
    committed = (Path(records.__file__).parent / f"{records.MODULE}.py").read_text("utf-8")
    assert records.generate() == committed, REGENERATE


def test_every_record_of_the_package_takes_its_init_from_the_module() -> None:
    assert len(PACKAGE_RECORDS) > 100
    module = str(Path(records.__file__).parent / f"{records.MODULE}.py")
    for key, (cls, _, _) in PACKAGE_RECORDS.items():
        assert cls.__init__.__code__.co_filename == module, f"{key}: {REGENERATE}"


@pytest.mark.parametrize("key", list(PACKAGE_RECORDS))
def test_a_record_of_the_package_behaves_as_its_dataclass_twin(key: str) -> None:
    assert_behaves_as_twin(*PACKAGE_RECORDS[key])


def _made_with_stored_init(body: Any, frozen: bool = False, slots: bool = False, kw_only: bool = False) -> Any:
    """The record of the class ``body()`` returns, its ``__init__`` generated by ``init_source`` as the module's
    are (the package has no record of each kind these tests need)."""
    plain = dataclasses.dataclass(body(), frozen=frozen, slots=slots, kw_only=kw_only)
    shape, _ = records.init_shape(dataclasses.fields(plain), frozen, slots)
    namespace: dict[str, Any] = {}
    exec(compile(records.init_source("factory", shape), "<test init>", "exec"), namespace)
    key = f"{plain.__module__}.{plain.__qualname__}"
    records.INITS[key] = (shape, namespace["factory"])
    try:
        cls = records.record(body(), frozen=frozen, slots=slots, kw_only=kw_only)
    finally:
        del records.INITS[key]
    assert cls.__init__.__code__.co_filename == "<test init>"
    return cls


def _every_kind() -> Any:
    class Every:
        a: int
        b: list[int] = field(default_factory=list)
        c: str = "c"
        d: int = field(default=4, kw_only=True)
        e: dict[str, int] = field(default_factory=dict, init=False, repr=False)
        f: int = field(default=6, init=False, compare=False)
        g: int = field(default=7, hash=False)
        h: tuple[int, ...] = field(default_factory=tuple, kw_only=True, metadata={"m": 1})

    return Every


@pytest.mark.parametrize(("frozen", "slots"), [(False, False), (True, False), (False, True), (True, True)])
def test_records_of_every_kind_of_field_behave_as_their_twins(frozen: bool, slots: bool) -> None:
    assert_behaves_as_twin(_made_with_stored_init(_every_kind, frozen, slots), frozen, slots)


def test_keyword_only_records_and_a_field_named_self_behave_as_their_twins() -> None:
    def body() -> Any:
        class Keyword:
            self: int
            other: str = "o"

        return Keyword

    cls = _made_with_stored_init(body, kw_only=True)
    assert_behaves_as_twin(cls, False, False)
    assert str(inspect.signature(cls)) == "(*, self: 'int', other: 'str' = 'o') -> None"


def test_a_record_without_fields_and_one_of_one_field_compare_as_dataclass_does() -> None:
    def empty() -> Any:
        class Empty:
            pass

        return Empty

    def one() -> Any:
        class One:
            x: float

        return One

    assert_behaves_as_twin(_made_with_stored_init(empty, frozen=True), True, False)
    cls = _made_with_stored_init(one, frozen=True)
    assert_behaves_as_twin(cls, True, False)
    nan = float("nan")
    twin = twin_of(cls, True, False)
    # Before Python 3.13 dataclass compares tuples, whose items compare by identity first: (nan,) == (nan,) holds.
    assert (cls(nan) == cls(nan)) is (twin(nan) == twin(nan))
    assert (cls(nan) == cls(float("nan"))) is (twin(nan) == twin(float("nan"))) is False


def test_a_record_inside_itself_is_shown_as_dataclass_shows_it() -> None:
    def body() -> Any:
        class Loop:
            inner: Any = None

        return Loop

    cls = _made_with_stored_init(body)
    twin = twin_of(cls, False, False)
    mine, theirs = cls(), twin()
    mine.inner, theirs.inner = mine, theirs
    assert repr(mine) == repr(theirs) and repr(mine).endswith(".Loop(inner=...)")


@pytest.mark.parametrize(("frozen", "slots"), [(False, False), (True, True)])
def test_a_record_whose_stored_init_is_stale_is_made_by_dataclass(frozen: bool, slots: bool) -> None:
    key = f"{__name__}.{_every_kind.__qualname__}.<locals>.Every"
    records.INITS[key] = ("(a, b=())", lambda *args: None)  # made for other fields
    try:
        cls = records.record(_every_kind(), frozen=frozen, slots=slots)
    finally:
        del records.INITS[key]
    assert cls.__init__.__code__.co_filename == "<string>"  # dataclass's exec
    assert_behaves_as_twin(cls, frozen, slots)
    assert cls(1).b == [] and cls(1).e == {} and cls(1).f == 6


def test_a_record_with_a_dataclass_base_or_methods_of_its_own_is_made_by_dataclass() -> None:
    @records.record(frozen=True)
    class Base:
        a: int

    @records.record(frozen=True)
    class Derived(Base):
        b: int = 2

    @records.record
    class Shown:
        a: int

        def __repr__(self) -> str:
            return "shown"

    assert Derived.__init__.__code__.co_filename == "<string>"
    assert Derived(1) == Derived(1, 2) and hash(Derived(1)) == hash(Derived(1, 2))
    assert repr(Shown(1)) == "shown" and Shown.__init__.__code__.co_filename == "<string>"
