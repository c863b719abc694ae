"""collections.abc: the abstract base classes of typing, by name.

isinstance() checks against them are only true for classes that inherit
them: built-in types are not registered (MicroPython has no __subclasshook__).
"""

from typing import (Hashable, Iterable, Iterator, Reversible, Generator, Sized, Container,
                    Callable, Collection, Set, MutableSet, Mapping, MutableMapping, MappingView,
                    KeysView, ItemsView, ValuesView, Sequence, MutableSequence, ByteString,
                    Awaitable, Coroutine, AsyncIterable, AsyncIterator, AsyncGenerator)
