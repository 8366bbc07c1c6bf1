"""``@record``: the package's dataclasses, made without compiling their methods at every start-up.

``@dataclass`` writes each class's ``__init__``, ``__repr__``, ``__eq__``, ``__hash__`` (and a frozen class's
``__setattr__`` and ``__delattr__``) as source text and compiles it with ``exec`` whenever its module is imported:
about 0.45 ms a class, some 38 ms of a single-file check for the package's 85 classes. ``@record`` (used as
``@dataclass`` is: ``frozen``, ``slots``, ``kw_only``, ``dataclasses.field``) makes the same class without compiling:

- ``dataclass(cls, init=False, repr=False, eq=False)`` collects the fields, ``__match_args__`` and the class's
  ``__dataclass_fields__`` (none of which is compiled);
- ``__init__`` is the one dataclass would compile, written out once into ``_records.py`` by::

      python -m disclosure_lint.records

  as a factory that is handed the defaults and default factories and returns the function, so that importing
  the module (from its ``.pyc``) compiles nothing;
- the other methods depend on the fields only through their names: they are written once, here, as closures
  over those names, computing what dataclass's do (tuples of the compared fields, ``FrozenInstanceError``).

``_records.py`` writes beside each ``__init__`` the shape it was made for (the parameters and what the body
assigns, e.g. ``frozen (line, column, where=, extra=())``); a class whose shape is not the stored one, or that
has no stored ``__init__``, is made by plain ``dataclass``, so a stale module only costs time.
``tests/test_records.py`` checks that the committed module is current and that every record behaves as a twin
made by ``dataclass`` from the same fields.

Made by plain ``dataclass`` as well: a class with a dataclass base (dataclass checks a base's ``frozen``
against the subclass's before a record could say it), one that writes one of the methods above itself or has
``__post_init__``.
"""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import operator
import sys
from _thread import get_ident
from collections.abc import Callable, Sequence
from dataclasses import MISSING, Field, FrozenInstanceError
from pathlib import Path
from types import FunctionType
from typing import Any, TypeVar, overload

if sys.version_info >= (3, 11):
    from typing import dataclass_transform
else:  # (what it tells a type checker, that a record is made as a dataclass, is for 3.11 on)

    def dataclass_transform(**kwargs: object) -> Callable[[T], T]:
        return lambda function: function


try:
    from ._records import INITS
except ImportError:  # (not generated yet: every record is made by dataclass)
    INITS = {}

MODULE = "_records"
T = TypeVar("T", bound=type)
# The methods a record writes: a class that has one of its own is left to dataclass, which keeps it.
_OWN_METHODS = ("__init__", "__repr__", "__eq__", "__hash__", "__setattr__", "__delattr__", "__post_init__")
# Every record made, by "module.qualname": what `python -m disclosure_lint.records` writes out.
_MADE: dict[str, tuple[type, bool, bool]] = {}


class _Factory:
    """The default of a parameter whose field has a default factory, shown as dataclass shows its own."""

    def __repr__(self) -> str:
        return "<factory>"


_FACTORY = _Factory()


@overload
def record(cls: T, /) -> T: ...
@overload
def record(*, frozen: bool = False, slots: bool = False, kw_only: bool = False) -> Callable[[T], T]: ...
@dataclass_transform(field_specifiers=(dataclasses.field, Field))
def record(
    cls: T | None = None, /, *, frozen: bool = False, slots: bool = False, kw_only: bool = False
) -> T | Callable[[T], T]:
    """``dataclasses.dataclass(cls, frozen=frozen, slots=slots, kw_only=kw_only)``, its ``__init__`` loaded from
    ``_records.py`` and its other methods shared instead of compiled."""

    def make(cls: T) -> T:
        return _make(cls, frozen, slots, kw_only)

    return make if cls is None else make(cls)


def _make(cls: T, frozen: bool, slots: bool, kw_only: bool) -> T:
    # (__post_init__ is dataclass's to call wherever the class has it from; the others only count in its own body)
    if any(dataclasses.is_dataclass(base) for base in cls.__mro__[1:]) or any(
        hasattr(cls, name) if name == "__post_init__" else name in cls.__dict__ for name in _OWN_METHODS
    ):
        return dataclasses.dataclass(cls, frozen=frozen, slots=slots, kw_only=kw_only)
    as_written = dict(cls.__dict__)
    docstring = cls.__doc__
    # A truthy placeholder, so that dataclass does not ask inspect for the signature of an __init__ not there yet.
    cls.__doc__ = docstring or "(record)"
    made: Any = dataclasses.dataclass(cls, init=False, repr=False, eq=False, slots=slots, kw_only=kw_only)
    key = f"{made.__module__}.{made.__qualname__}"
    shape, defaults = init_shape(dataclasses.fields(made), frozen, slots)
    stored = INITS.get(key)
    if stored is not None and stored[0] == shape:
        _add_methods(made, stored[1](_FACTORY, object, *defaults), frozen, slots, docstring)
    else:  # no __init__ stored for these fields: dataclass makes the class as it was written
        _put_back(cls, as_written)
        made = dataclasses.dataclass(cls, frozen=frozen, slots=slots, kw_only=kw_only)
    _MADE[key] = (made, frozen, slots)
    return made


def _add_methods(cls: Any, init: FunctionType, frozen: bool, slots: bool, docstring: str | None) -> None:
    """Give ``cls`` (made by dataclass without methods) those dataclass would have written, ``init`` the
    ``__init__`` the factory stored for its fields returned."""
    fields = dataclasses.fields(cls)
    params = [f for f in fields if f.init and not f.kw_only] + [f for f in fields if f.init and f.kw_only]
    # The same function with the class's module as its globals, as dataclass's own (typing.get_type_hints reads
    # its annotations there), and the same annotations.
    own_init = FunctionType(
        init.__code__, sys.modules[cls.__module__].__dict__, "__init__", init.__defaults__, init.__closure__
    )
    own_init.__kwdefaults__ = init.__kwdefaults__
    own_init.__annotations__ = {**{f.name: f.type for f in params}, "return": None}
    _add(cls, "__init__", own_init)
    _add(cls, "__repr__", _repr([f.name for f in fields if f.repr]))
    _add(cls, "__eq__", _eq([f.name for f in fields if f.compare]))
    if frozen:
        _add(cls, "__hash__", _hash(_values([f.name for f in fields if (f.compare if f.hash is None else f.hash)])))
        setattr_, delattr_ = _frozen(cls, tuple(f.name for f in fields))
        _add(cls, "__setattr__", setattr_)
        _add(cls, "__delattr__", delattr_)
        if slots:  # what lets pickle and copy restore a frozen class without a __dict__, as dataclass adds
            if "__getstate__" not in cls.__dict__:
                cls.__getstate__ = _getstate
            if "__setstate__" not in cls.__dict__:
                cls.__setstate__ = _setstate
    else:
        cls.__hash__ = None  # eq without frozen: unhashable, as dataclass makes it
    # dataclass was told init=False, repr=False, eq=False, frozen=False; the class now has all four.
    cls.__dataclass_params__.init = cls.__dataclass_params__.repr = cls.__dataclass_params__.eq = True
    cls.__dataclass_params__.frozen = frozen
    # dataclass's docstring for a class without one: its name and str(inspect.signature(cls)) without " -> None".
    cls.__doc__ = docstring or cls.__name__ + f"({', '.join(_signature(params))})".replace(" -> None", "")


def init_shape(fields: Sequence[Field[Any]], frozen: bool, slots: bool) -> tuple[str, list[Any]]:
    """What a record's ``__init__`` is made from: its shape, e.g. ``frozen (line, column, where=, extra=())``,
    and the defaults and default factories its factory is handed, in order.

    One word a field in ``__init__``, in the fields' order: ``name`` (a required parameter), ``name=`` (one with a
    default), ``name=()`` (one with a default factory), ``*name…`` for keyword-only ones; ``~name=()`` is not a
    parameter but set from its factory, ``~name=`` one set to its default (only with slots: without, the class
    attribute gives it). The source of ``__init__`` (``init_source``) depends on the shape alone."""
    words = []
    defaults = []
    for f in fields:
        if f.default_factory is not MISSING:
            end = "=()"
            defaults.append(f.default_factory)
        elif f.default is not MISSING and (f.init or slots):
            end = "="
            defaults.append(f.default)
        elif f.init:
            end = ""
        else:
            continue  # not in __init__ at all
        words.append(("~" if not f.init else "*" if f.kw_only else "") + f.name + end)
    return ("frozen " if frozen else "") + f"({', '.join(words)})", defaults


def init_source(function: str, shape: str) -> str:
    """The source of the factory ``function`` of an ``__init__`` of ``shape`` (see ``init_shape``): the code
    dataclass compiles for it, with the same names."""
    frozen = shape.startswith("frozen ")
    words = [word for word in shape.removeprefix("frozen ")[1:-1].split(", ") if word]
    names = [word.lstrip("*~").partition("=")[0] for word in words]
    this = "__dataclass_self__" if "self" in names else "self"
    positional, keyword, body, defaults = [], [], [], []
    for word, name in zip(words, names):
        end = word.partition("=")[1] + word.partition("=")[2]
        if end:
            defaults.append(f"_dflt_{name}")
        if word.startswith("~"):
            value = f"_dflt_{name}()" if end == "=()" else f"_dflt_{name}"
        else:
            (keyword if word.startswith("*") else positional).append(
                name + {"": "", "=": f"=_dflt_{name}", "=()": "=_HAS_DEFAULT_FACTORY"}[end]
            )
            value = f"_dflt_{name}() if {name} is _HAS_DEFAULT_FACTORY else {name}" if end == "=()" else name
        if frozen:
            body.append(f"__dataclass_builtins_object__.__setattr__({this}, {name!r}, {value})")
        else:
            body.append(f"{this}.{name} = {value}")
    parameters = [this, *positional, *(["*", *keyword] if keyword else [])]
    factory = ["_HAS_DEFAULT_FACTORY", "__dataclass_builtins_object__", *defaults]
    lines = [
        *_def("", function, factory),
        *_def("    ", "__init__", parameters),
        *(f"        {line}" for line in body or ["pass"]),
        "    return __init__",
    ]
    return "\n".join(lines) + "\n"


def _def(indent: str, name: str, parameters: list[str]) -> list[str]:
    line = f"{indent}def {name}({', '.join(parameters)}):"
    if len(line) <= 120:
        return [line]
    return [f"{indent}def {name}(", *(f"{indent}    {p}," for p in parameters), f"{indent}):"]


def _add(cls: type, name: str, method: Callable[..., Any]) -> None:
    method.__qualname__ = f"{cls.__qualname__}.{method.__name__}"
    method.__module__ = cls.__module__
    setattr(cls, name, method)


def _put_back(cls: type, as_written: dict[str, Any]) -> None:
    """Undo ``dataclass(cls, init=False, …)``, which only adds attributes and replaces the fields' ``field()``
    defaults, so that plain dataclass sees the class as it was written."""
    for name in [name for name in cls.__dict__ if name not in as_written]:
        delattr(cls, name)
    for name, value in as_written.items():
        if cls.__dict__.get(name, MISSING) is not value:
            setattr(cls, name, value)


def _values(names: Sequence[str]) -> Callable[[Any], tuple[Any, ...]]:
    """An object's values of ``names`` as a tuple: what dataclass's ``__eq__`` compares and ``__hash__`` hashes
    (a tuple also for one name: a tuple compares its items by identity first, as ``(nan,) == (nan,)`` shows)."""
    if len(names) > 1:
        return operator.attrgetter(*names)
    if names:
        get = operator.attrgetter(names[0])
        return lambda obj: (get(obj),)
    return lambda obj: ()


def _repr(names: Sequence[str]) -> Callable[[Any], str]:
    running = set()

    def __repr__(self: Any) -> str:
        key = id(self), get_ident()
        if key in running:
            return "..."  # an object inside itself, as dataclass's repr shows it
        running.add(key)
        try:
            values = ", ".join(f"{name}={getattr(self, name)!r}" for name in names)
        finally:
            running.discard(key)
        return f"{self.__class__.__qualname__}({values})"

    return __repr__


if sys.version_info >= (3, 13):

    def _eq(names: Sequence[str]) -> Callable[[Any, Any], Any]:
        """As Python 3.13's dataclass compares: the same object is equal, other objects field by field, as
        ``self.a == other.a and self.b == other.b`` (the first false answer, or the last)."""

        def __eq__(self: Any, other: Any) -> Any:
            if self is other:
                return True
            if other.__class__ is self.__class__:
                equal: Any = True
                for name in names:
                    equal = getattr(self, name) == getattr(other, name)
                    if not equal:
                        break
                return equal
            return NotImplemented

        return __eq__

else:

    def _eq(names: Sequence[str]) -> Callable[[Any, Any], Any]:
        """As dataclass compares before Python 3.13: the tuples of the fields."""
        values = _values(names)

        def __eq__(self: Any, other: Any) -> Any:
            if other.__class__ is self.__class__:
                return values(self) == values(other)
            return NotImplemented

        return __eq__


def _hash(values: Callable[[Any], tuple[Any, ...]]) -> Callable[[Any], int]:
    def __hash__(self: Any) -> int:
        return hash(values(self))

    return __hash__


def _frozen(cls: type, names: tuple[str, ...]) -> tuple[Callable[..., None], Callable[..., None]]:
    def __setattr__(self: Any, name: str, value: Any) -> None:
        if type(self) is cls or name in names:
            raise FrozenInstanceError(f"cannot assign to field {name!r}")
        super(cls, self).__setattr__(name, value)

    def __delattr__(self: Any, name: str) -> None:
        if type(self) is cls or name in names:
            raise FrozenInstanceError(f"cannot delete field {name!r}")
        super(cls, self).__delattr__(name)

    return __setattr__, __delattr__


def _getstate(self: Any) -> list[Any]:
    return [getattr(self, f.name) for f in dataclasses.fields(self)]


def _setstate(self: Any, state: list[Any]) -> None:
    for f, value in zip(dataclasses.fields(self), state):
        object.__setattr__(self, f.name, value)


def _signature(params: Sequence[Field[Any]]) -> list[str]:
    """The parameters of ``__init__`` as ``str(inspect.signature(…))`` writes them."""
    words = []
    for f in params:
        if f.kw_only and "*" not in words:
            words.append("*")
        word = f"{f.name}: {inspect.formatannotation(f.type)}"
        if f.default_factory is not MISSING:
            word += f" = {_FACTORY!r}"
        elif f.default is not MISSING:
            word += f" = {f.default!r}"
        words.append(word)
    return words


def package_records() -> dict[str, tuple[type, bool, bool]]:
    """Every record of the package (each of its modules is imported), by ``module.qualname``: the class, and
    whether it is frozen and has slots."""
    import pkgutil  # (only generating the module needs it)

    package = importlib.import_module(__package__)
    for info in pkgutil.walk_packages(package.__path__, f"{__package__}."):
        if not info.name.endswith(".__main__"):  # (which would run the command line)
            importlib.import_module(info.name)
    return {key: _MADE[key] for key in sorted(_MADE) if key.startswith(f"{__package__}.")}


def generate() -> str:
    """The source of ``_records.py``: the ``__init__`` of every record of the package."""
    parts = [f'"""Generated by `python -m {__package__}.records` from the package\'s records: do not edit."""\n']
    table = []
    for key, (cls, frozen, slots) in package_records().items():
        function = "_" + key.removeprefix(f"{__package__}.").replace(".", "_")
        shape, _ = init_shape(dataclasses.fields(cls), frozen, slots)
        parts.append(f"\n\n{init_source(function, shape)}")
        table.append(f"    {key!r}: ({shape!r}, {function}),\n")
    parts.append(f"\n\nINITS = {{\n{''.join(table)}}}\n")
    return "".join(parts)


def main() -> int:
    # Run as __main__, this module is a second copy of itself: the records registered with the one the package
    # imports.
    records = importlib.import_module(f"{__package__}.records")
    path = Path(records.__file__).with_name(f"{MODULE}.py")
    path.write_text(records.generate(), encoding="utf-8")
    print(f"wrote {path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
