// The standard variant, the image bundled with the wheel: the core language
// at the "extra features" ROM level plus the "everything" level's features
// that CPython code needs (match groups and spans, range comparison, every
// in-place special method, namedtuple._asdict, memoryview.itemsize),
// double-precision floats, arbitrary-precision integers and the modules a
// sandboxed program needs. Its built-in modules are listed in
// mpconfigvariant.cmake.
// Not the whole "everything" level: its code objects (function.__code__,
// marshal) and other features are in the full variant only.
#define MICROPY_CONFIG_ROM_LEVEL            (MICROPY_CONFIG_ROM_LEVEL_EXTRA_FEATURES)
#define MICROPY_PY_RE_MATCH_GROUPS          (1)
#define MICROPY_PY_RE_MATCH_SPAN_START_END  (1)
#define MICROPY_PY_COLLECTIONS_NAMEDTUPLE__ASDICT (1)
#define MICROPY_PY_BUILTINS_RANGE_BINOP     (1)
#define MICROPY_PY_ALL_INPLACE_SPECIAL_METHODS (1)
#define MICROPY_PY_BUILTINS_MEMORYVIEW_ITEMSIZE (1)
#define MICROPY_PY_BUILTINS_STR_CENTER      (1)
#define MICROPY_PY_SYS_GETSIZEOF            (1)
// The core patches' features (ports/wasi/patches), on by default only at the
// "everything" level.
#define MICROPY_PY_BUILTINS_STR_COMPAT_METHODS (1)
#define MICROPY_PY_BUILTINS_INT_BIT_LENGTH  (1)
#define MICROPY_PY_BUILTINS_ZIP_STRICT      (1)
#define MICROPY_MAP_INSERTION_ORDER         (1)
#define MICROPY_PY_EXCEPTION_CAUSE          (1)
#define MICROPY_PY_MATH_INTEGER_FUNCS       (1)
#define MICROPY_COMP_ANNOTATIONS            (1)
#define MICROPY_PY_TYPE_EXPRESSIONS         (1)
#define MICROPY_PY_FSTRING_DEBUG_CPYTHON    (1)
#define MICROPY_COMP_POSITIONAL_ONLY_ARGS   (1)
#define MICROPY_PY_BUILTINS_STR_TRANSLATE   (1)

#include "../mpconfigvariant_common.h"
